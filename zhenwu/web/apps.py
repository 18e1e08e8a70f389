from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "zhenwu.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zhenwu.web.admin_labels import install

        install()
