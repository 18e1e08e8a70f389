from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "zhenwu.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhenwu.accounts import checks  # noqa: F401  (registers the deployment checks)
