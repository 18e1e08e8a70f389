from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "zhenwu.services"
    label = "services"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("One-window services")

    def ready(self) -> None:
        # Processes are derived from item versions in the database, built on first use in each process.
        from zhenwu.casework.kinds import kind_register
        from zhenwu.services import process
        from zhenwu.services.models import Application

        kind_register(code=process.KIND, label=_("Service-hall application"), model=Application, page="services:case",
                      process_prefix=process.PREFIX, own_services_only=True)
        process.register_hooks()
        from zhenwu.services import effects, task_process
        from zhenwu.services.models import RectificationTask, SupervisionTask

        kind_register(code=task_process.RECTIFY_KIND, label=_("Rectification of a bad rating"),
                      model=RectificationTask, page=task_process.rectification_page,
                      process_prefix=task_process.RECTIFY_PREFIX, own_services_only=True)
        kind_register(code=task_process.SUPERVISE_KIND, label=_("Supervision follow-up of an approval"),
                      model=SupervisionTask, page=task_process.supervision_page,
                      process_prefix=task_process.SUPERVISE_PREFIX, own_services_only=True)
        task_process.register()
        effects.register()
        from zhenwu.casework.process import note_labels_register
        from zhenwu.services.labels import NOTE_ACTIONS

        note_labels_register(NOTE_ACTIONS)
        from zhenwu.casework.services import tick_step_register
        from zhenwu.services.supervision import supervision_urge

        tick_step_register("services_urges", supervision_urge)
        from zhenwu.casework.supervision import urge_recipient_register, urges_by_pillar
        from zhenwu.services.supervision import urge_recipient

        urges_by_pillar(process.KIND)  # the hall's own 在办 and text; the kernel's step skips SQ
        urge_recipient_register(process.KIND, urge_recipient)
        urge_recipient_register(task_process.RECTIFY_KIND, task_process.rectification_urge_recipient)
        from zhenwu.services.limits import limits_purge

        tick_step_register("services_limits_purge", limits_purge)
        from django.db.models.signals import post_save

        from zhenwu.accounts.models import User
        from zhenwu.services.services.linking import on_account_saved

        post_save.connect(on_account_saved, sender=User, dispatch_uid="services-link-applications")
        from zhenwu.casework.hooks import SUPERVISION_TASK_COMPLETE, hook_register
        from zhenwu.services.services.feedback import supervision_task_complete_by_case

        hook_register(SUPERVISION_TASK_COMPLETE, "services", supervision_task_complete_by_case)  # 审管联动 ended
        from zhenwu.casework.hooks import HALL_APPLICATION_DECIDED, HALL_APPLICATION_TAKEN_OVER
        from zhenwu.services.services.taken_over import application_decided_elsewhere, application_taken_over

        hook_register(HALL_APPLICATION_DECIDED, "services", application_decided_elsewhere)  # e.g. 社会救助 decided
        hook_register(HALL_APPLICATION_TAKEN_OVER, "services", application_taken_over)  # its clock pauses meanwhile
