from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "zhenwu.grid"
    label = "grid"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Grid governance")

    def ready(self) -> None:
        from zhenwu.casework.kinds import kind_register
        from zhenwu.casework.services import process_register
        from zhenwu.grid import effects, process
        from zhenwu.grid.models import Incident

        kind_register(code=process.KIND, label=_("Grid incident"), model=Incident, page=process.incident_page,
                      process_prefix=process.PREFIX, own_services_only=True)
        effects.register()
        process_register(process.definition())
        from zhenwu.casework.supervision import urge_recipient_register
        from zhenwu.grid.services.incidents import incident_urge_recipient

        urge_recipient_register(process.KIND, incident_urge_recipient)
        from zhenwu.casework.services import tick_step_register
        from zhenwu.grid.services.escalation import incidents_escalate_overdue

        tick_step_register("grid_escalations", incidents_escalate_overdue)
        from zhenwu.grid.services.dispute_escalation import disputes_escalate_overdue

        tick_step_register("grid_dispute_escalations", disputes_escalate_overdue)  # 矛盾纠纷 overdue at a level
        from zhenwu.grid.services.points import points_tick

        tick_step_register("grid_points", points_tick)  # 积分: incremental, and each day's full recompute
        from zhenwu.grid import dispute_process

        dispute_process.register()  # 矛盾纠纷: kind JF, process grid-dispute:v1
        from zhenwu.casework.hooks import PATROL_SUMMARY, hook_register
        from zhenwu.grid.selectors_patrols import patrol_positions

        hook_register(PATROL_SUMMARY, "grid", patrol_positions)  # officers' last position and mileage (一队执法)
