"""Every write of the casework kernel (the public services other apps call).

Split by concern into submodules; import from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from zhenwu.casework.process import DeadlineSpec, effect_register, guard_register, process_register
from zhenwu.casework.services.attachments import attachment_add, attachment_store, attachments_usable
from zhenwu.casework.services.audit import audit_maintenance, audit_record
from zhenwu.casework.services.audit_verify import audit_verify, audit_verify_full
from zhenwu.casework.services.bulk import KEEP, CaseDraft, NoteDraft, StepDraft, cases_bulk_write
from zhenwu.casework.services.calendar import calendar_import, calendar_seed
from zhenwu.casework.services.cases import (
    case_create,
    case_number_allocate,
    case_opening,
    deadline_refresh_lights,
    transition,
)
from zhenwu.casework.services.checkpoints import audit_checkpoint
from zhenwu.casework.services.outbox import notification_enqueue, outbox_deliver_due

TickStep = Callable[..., int]
TICK_STEPS: dict[str, TickStep] = {}


def tick_step_register(name: str, fn: TickStep) -> None:
    """Let an app add periodic work (called from its ``ready()``); ``fn(*, now)`` returns a count."""
    TICK_STEPS[name] = fn


def tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Periodic work (``zhenwu tick`` and the Celery beat task): deliver due notifications,
    refresh deadline lights, then the steps apps registered (they see the fresh lights)."""
    now = now or timezone.now()
    result = {"notifications_sent": outbox_deliver_due(now=now),
              "lights_changed": deadline_refresh_lights(now=now)}
    for name, fn in TICK_STEPS.items():
        result[name] = fn(now=now)
    return result


__all__ = [
    "KEEP", "CaseDraft", "DeadlineSpec", "NoteDraft", "StepDraft", "cases_bulk_write",
    "attachment_add", "attachment_store", "attachments_usable", "audit_checkpoint",
    "audit_maintenance", "audit_record", "audit_verify", "audit_verify_full", "calendar_import",
    "calendar_seed", "case_create", "case_number_allocate", "case_opening", "deadline_refresh_lights",
    "effect_register", "guard_register", "notification_enqueue", "outbox_deliver_due", "process_register", "tick",
    "tick_step_register", "transition",
]
