from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "zhenwu.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Social assistance")
