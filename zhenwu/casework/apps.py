from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


def _seed_calendar(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """Seed the working-day calendar after every migrate (and after a test flush)."""
    from django.db import connections

    from zhenwu.casework.models import CalendarYear
    from zhenwu.casework.services.calendar import calendar_seed
    from zhenwu.casework.workcal import calendar_invalidate

    calendar_invalidate()
    if CalendarYear._meta.db_table in connections[using].introspection.table_names():
        calendar_seed(using=using)


class CaseworkConfig(AppConfig):
    name = "zhenwu.casework"
    label = "casework"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Casework kernel")

    def ready(self) -> None:
        # accounts (a lower layer) sends its codes through our outbox without importing us (ADR 0003).
        from zhenwu.accounts.sending import outbox_install
        from zhenwu.casework.services.outbox import notification_enqueue

        outbox_install(notification_enqueue)
        from zhenwu.casework import background

        background.install()
        post_migrate.connect(_seed_calendar, sender=self, dispatch_uid="casework_seed_calendar")
        from zhenwu.casework.models import ProcessDefinitionRecord
        from zhenwu.casework.process import process_cache_clear

        for signal in (post_save, post_delete):
            signal.connect(process_cache_clear, sender=ProcessDefinitionRecord, dispatch_uid=f"process_cache_{signal}")
        from zhenwu.casework.services import tick_step_register
        from zhenwu.casework.supervision import case_stats_refresh, supervision_remind, urge_due

        tick_step_register("case_urges", urge_due)
        tick_step_register("supervision_reminders", supervision_remind)
        tick_step_register("case_stats", case_stats_refresh)
        from zhenwu.casework.idempotency import idempotency_purge

        tick_step_register("idempotency_purge", idempotency_purge)
