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
        from zhenwu.casework.process import note_labels_register, state_labels_register
        from zhenwu.enforcement.models_inspection import PlanStatus

        state_labels_register(dict(PlanStatus.choices))  # a random-inspection plan's audit entries
        note_labels_register({
            "plan_create": _("Plan created"), "plan_save": _("Plan saved"), "plan_announce": _("Plan announced"),
            "plan_draw": _("Targets drawn"), "plan_issue": _("Tasks issued"), "plan_report": _("Results recorded"),
            "plan_publish": _("Results published"), "plan_close": _("Plan closed"),
            # the case file's records on a penalty case's timeline
            "inquiry_record": _("Inquiry record made"), "inspection_record": _("On-site inspection record made"),
            "collective_discussion": _("Collective discussion recorded"), "hearing_record": _("Hearing recorded")})
        from zhenwu.enforcement.services import hearing_document

        hearing_document.register()  # 听证笔录: a record kind of the case file (its PDF, link, archive)
