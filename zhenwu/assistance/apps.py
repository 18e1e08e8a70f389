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
        from zhenwu.assistance.services.applications import hall_intake, reviews_due
        from zhenwu.casework.kinds import kind_register
        from zhenwu.casework.services import tick_step_register

        kind_register(code=process.KIND, label=_("Assistance application"), model=AssistanceApplication,
                      page=process.case_page, process_prefix=process.PREFIX, own_services_only=True,
                      readers=policy.case_readers)
        guards.register()
        effects.register()
        process.register()
        tick_step_register("assistance_hall_intake", hall_intake)
        tick_step_register("assistance_reviews_due", reviews_due)  # 动态复核 due: renew or stop the grant
        self._ready_labels()
        self._ready_warnings()

    def _ready_warnings(self) -> None:
        """§3 early warning: its task kind YJ (assist-warn)."""
        from zhenwu.assistance import policy, warning_process
        from zhenwu.assistance.models import EarlyWarning
        from zhenwu.casework.kinds import kind_register
        from zhenwu.casework.supervision import urge_recipient_register

        kind_register(code=warning_process.KIND, label=_("Assistance early warning"), model=EarlyWarning,
                      page=warning_process.warning_page, process_prefix=warning_process.PREFIX,
                      own_services_only=True, readers=policy.case_readers)  # the same readers as a file
        warning_process.register()
        urge_recipient_register(warning_process.KIND, warning_process.urge_recipient)

    def _ready_labels(self) -> None:
        """What the audit entries of files, rule sets, grants and payment lists are called in the admin."""
        from zhenwu.assistance.choices_calc import GrantStatus, PaymentListStatus
        from zhenwu.casework.process import note_labels_register, state_labels_register

        state_labels_register({**dict(GrantStatus.choices), **dict(PaymentListStatus.choices)})
        note_labels_register({
            "draw": _("Payment list drawn up"), "publish": _("Rule set published"), "rule_set": _("Warning rule set"),
            "export_bank": _("Bank file exported"), "grant_open": _("Grant opened"), "grant_split": _("Grant split"),
            "grant_renew": _("Grant renewed"),
            "grant_stop": _("Grant stopped"), "payee_set": _("Bank account recorded"), "recompute": _("Recomputed"),
            "view": _("Viewed"), "visit": _("Home visit recorded")})
