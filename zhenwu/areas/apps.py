from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "zhenwu.areas"
    label = "areas"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Areas and grids")
