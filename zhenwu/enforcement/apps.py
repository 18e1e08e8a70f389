from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "zhenwu.enforcement"
    label = "enforcement"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Enforcement")

    def ready(self) -> None:
        from zhenwu.casework.kinds import kind_register
        from zhenwu.enforcement import guards, process
        from zhenwu.enforcement.models import PenaltyCase

        kind_register(code=process.KIND, label=_("Enforcement case"), model=PenaltyCase, page=process.case_page,
                      process_prefix=process.PREFIX, own_services_only=True)
        guards.register()
        process.register()
        from zhenwu.casework.hooks import SUPERVISION_TASK_OPENED, hook_register
        from zhenwu.enforcement.services.followups import followup_route

        hook_register(SUPERVISION_TASK_OPENED, "enforcement", followup_route)  # 审管联动 → the grid's officer
