"""Celery tasks of the kernel (eager in-process when no broker is configured)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="zhenwu.casework.tasks.tick")
def tick() -> dict[str, int]:
    """The periodic tick (settings.CELERY_BEAT_SCHEDULE)."""
    from zhenwu.casework.services import tick as run_tick

    return run_tick()


@shared_task(name="zhenwu.casework.tasks.deliver")
def deliver(pk: int) -> bool:
    """Deliver one outbox message right after the enqueuing transaction commits."""
    from zhenwu.casework.services.outbox import outbox_deliver

    return outbox_deliver(pk=pk)


@shared_task(name="zhenwu.casework.tasks.audit_checkpoint")
def audit_checkpoint() -> dict[str, int]:
    """Sign every audit chain's head (settings.CELERY_BEAT_SCHEDULE "audit-checkpoint", daily by default)."""
    from zhenwu.casework.services import audit_checkpoint as make

    row, problems = make()
    return {"number": row.number, "chains": row.chains, "problems": len(problems)}
