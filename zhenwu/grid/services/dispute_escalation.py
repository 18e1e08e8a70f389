"""Automatic escalation of overdue disputes (小事不出网格、难事不出乡镇), the tick step ``grid_dispute_escalations``.

The same rules as the incidents' (``services.escalation``, ``GRID_AUTO_ESCALATE`` and
``GRID_AUTO_ESCALATE_TOP``) on the dispute's own levels: a dispute still being mediated (调解中) whose level
let its time limit pass (``GRID_DISPUTE_DAYS``) goes one level up, grid → village → town, by the same
kernel step as a person's 上报 (``escalate``: the next level's limit starts, its staff are told by SMS, the
audit entry names no actor and says ``automatic``). The town is the top: a dispute overdue there stays for
the town to settle or refer (and is in the supervision lists). No grace period is needed: each level
starts a limit of its own, so a dispute goes up at most one level per limit.

Concurrent ticks: each dispute is taken under its row lock with ``skip_locked`` and re-checked (state,
level, still overdue) under the lock; the kernel's compare-and-set on the case's version refuses a move
that raced a person's step. A dispute is escalated once, whoever runs the tick.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.casework.services import transition
from zhenwu.errors import Conflict
from zhenwu.errors import gettext as _
from zhenwu.grid import dispute_process as dp
from zhenwu.grid.choices import EscalationLevel
from zhenwu.grid.models import Dispute
from zhenwu.grid.policy_disputes import LEVELS, next_level

BATCH = 1000


def _levels_below_top() -> list[str]:
    """The dispute levels that may still be passed up automatically (``GRID_AUTO_ESCALATE_TOP``, at most town)."""
    top = str(settings.GRID_AUTO_ESCALATE_TOP)
    cut = LEVELS.index(top) if top in LEVELS else len(LEVELS) - 1
    return LEVELS[:cut]


def _overdue(now: dt.datetime, levels: list[str]) -> QuerySet[Dispute]:
    return Dispute.objects.filter(case__status=dp.MEDIATING, level__in=levels, case__deadline_due_at__lt=now,
                                  case__deadline_stopped_at__isnull=True, case__paused_at__isnull=True)


def _escalate_one(pk: int, level: str, now: dt.datetime) -> bool:
    """Pass one overdue dispute up a level, if it still is overdue at ``level`` once locked."""
    with transaction.atomic():
        dispute = (_overdue(now, [level]).select_for_update(of=("self",), skip_locked=True)
                   .select_related("case").filter(pk=pk).first())
        if dispute is None:
            return False  # another tick holds it or has done it, or a person has moved it meanwhile
        up = next_level(dispute.level)
        if up is None:
            return False
        reason = str(_("Not settled within the %(level)s level's time limit: passed up automatically.")
                     % {"level": EscalationLevel(dispute.level).label})
        try:
            with transaction.atomic():
                dispute.case = transition(
                    actor=None, case=dispute.case, action=dp.ESCALATE, reason=reason,
                    fields={"reason": reason, "from_level": dispute.level, "to_level": up, "automatic": True},
                    expected_version=dispute.case.version, deadline=dp.level_deadline(up))
        except Conflict:
            return False  # the case moved under us (a person's step): nothing is written
        dispute.level = up
        dispute.save(update_fields=["level"])
    return True


def disputes_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """The tick step: every dispute overdue at its level goes one level up (see the module); returns how many."""
    if not settings.GRID_AUTO_ESCALATE:
        return 0
    now = now or timezone.now()
    levels = _levels_below_top()
    if not levels:
        return 0
    due = list(_overdue(now, levels).order_by("case__deadline_due_at", "pk").values_list("pk", "level")[:BATCH])
    return sum(_escalate_one(pk, level, now) for pk, level in due)
