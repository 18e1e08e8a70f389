from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhenwu.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from zhenwu.accounts import checks  # noqa: F401  (registers the deployment checks)
