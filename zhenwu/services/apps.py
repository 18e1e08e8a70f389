from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "zhenwu.services"
    label = "services"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("One-window services")

    def ready(self) -> None:
        # Processes are derived from item versions in the database, built on first use in each process.
        from zhenwu.services import process

        process.register_hooks()
