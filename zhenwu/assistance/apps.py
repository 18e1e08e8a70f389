from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "zhenwu.assistance"
    label = "assistance"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Social assistance")

    def ready(self) -> None:
        from zhenwu.assistance import effects, guards, policy, process
        from zhenwu.assistance.models import AssistanceApplication
        from zhenwu.assistance.services.applications import hall_intake
        from zhenwu.casework.kinds import kind_register
        from zhenwu.casework.services import tick_step_register

        kind_register(code=process.KIND, label=_("Assistance application"), model=AssistanceApplication,
                      page=process.case_page, process_prefix=process.PREFIX, own_services_only=True,
                      readers=policy.case_readers)
        guards.register()
        effects.register()
        process.register()
        tick_step_register("assistance_hall_intake", hall_intake)
