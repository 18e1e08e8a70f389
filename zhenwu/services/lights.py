"""One definition of 在办 (in progress) and of each deadline light, used by every figure of the hall:
the queue's counts and light filter, 电子监察's counts and lists, the 催办 step, tracking and the home
pages (``application_counts``).

- In progress: filed and not yet decided or ended — 预审, 待受理, 补正, 办理 / 初审 / 复审 / 审批, 特别程序.
  办结 and 不予许可 wait only for 出件 (their clock is stopped) and are not in progress.
- The light is that of the live deadline **now** (the stored ``Case.light`` is only as fresh as the last
  tick): red when the due time has passed, yellow when ≤ ``DEADLINE_YELLOW_SHARE`` of the limit or ≤ 1
  working day is left, else green. A paused case (补正, 特别程序) keeps the light it had when the clock
  stopped. A case without a live deadline (not accepted yet) has no light.

``light_q`` is the same rule as a database filter: for each time limit in use, the moment before which a
due time is yellow is computed once with the working-day calendar, so the filter is a few comparisons.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from zhenwu.casework import deadlines
from zhenwu.casework.choices import DeadlineUnit, Light
from zhenwu.casework.models import Case as CaseRow
from zhenwu.casework.workcal import calendar_current
from zhenwu.services.choices import Status
from zhenwu.services.models import ServiceItemVersion

IN_PROGRESS: tuple[str, ...] = (
    Status.PRECHECK, Status.SUBMITTED, Status.SUPPLEMENT, Status.ACCEPTED, Status.FIRST_REVIEW,
    Status.SECOND_REVIEW, Status.APPROVAL, Status.SPECIAL)
LIGHTS: tuple[str, ...] = (Light.GREEN, Light.YELLOW, Light.RED)


def live_light(case: CaseRow, now: dt.datetime | None = None) -> str:
    """The light of one case as of ``now`` ("" when it is not in progress or has no live deadline)."""
    if case.status not in IN_PROGRESS or not case.deadline_live:
        return Light.NONE
    if case.paused_at is not None:
        return case.light
    return deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at, now or timezone.now())


def _yellow_from(unit: str, limit: int, now: dt.datetime) -> tuple[dt.datetime, bool]:
    """(moment, inclusive): a due time before this moment (or at it, for hours) is yellow, not green."""
    threshold = max(limit * settings.DEADLINE_YELLOW_SHARE, 1.0)
    if unit == DeadlineUnit.HOURS:
        return now + dt.timedelta(hours=threshold), True
    days = math.floor(threshold) + 1  # whole days left ≤ floor(threshold) ⇔ due day before this day
    today = timezone.localdate(now)
    first_green = (today + dt.timedelta(days=days) if unit == DeadlineUnit.NATURAL_DAYS
                   else calendar_current().add(today, days))
    return timezone.make_aware(dt.datetime.combine(first_green, dt.time())), False


def _limits() -> list[tuple[str, int]]:
    """The time limits application deadlines use: each version's promised working days (a dozen or so)."""
    promised = set(ServiceItemVersion.objects.filter(promised_limit_days__gt=0).order_by().values_list(
        "promised_limit_days", flat=True).distinct())
    return [(DeadlineUnit.WORKING_DAYS.value, int(n)) for n in sorted(promised)]


def light_q(light: str, *, now: dt.datetime | None = None, prefix: str = "case__") -> Q:
    """Applications (``prefix`` "case__") or cases ("") in progress whose light is ``light`` now."""
    now = now or timezone.now()

    def q(**kw: object) -> Q:
        return Q(**{prefix + k: v for k, v in kw.items()})

    live = q(status__in=IN_PROGRESS, deadline_due_at__isnull=False, deadline_stopped_at__isnull=True)
    paused, running = q(paused_at__isnull=False), q(paused_at__isnull=True)
    if light == Light.RED:
        return live & ((paused & q(light=Light.RED)) | (running & q(deadline_due_at__lt=now)))
    known, yellow = Q(pk__in=[]), Q(pk__in=[])
    for unit, limit in _limits():
        kind = q(deadline_unit=unit, deadline_limit=limit)
        moment, inclusive = _yellow_from(unit, limit, now)
        known |= kind
        yellow |= kind & q(**{"deadline_due_at__lte" if inclusive else "deadline_due_at__lt": moment})
    # Limits no item uses (e.g. an admin-edited process) keep their stored light.
    stored = ~known & q(light=light)
    not_late = running & q(deadline_due_at__gte=now)
    if light == Light.YELLOW:
        return live & ((paused & q(light=Light.YELLOW)) | (not_late & (yellow | stored)))
    if light == Light.GREEN:
        return live & ((paused & q(light=Light.GREEN)) | (not_late & ((known & ~yellow) | stored)))
    return Q(pk__in=[])


def light_counts(qs: QuerySet[Any], *, now: dt.datetime | None = None, prefix: str = "case__") -> dict[str, int]:
    """In-progress rows of ``qs`` per light now, and ``none`` for those without a live deadline: one
    grouped query over the cases in progress (the status index), each row's light decided once."""
    now = now or timezone.now()
    light = Case(*(When(light_q(name, now=now, prefix=prefix), then=Value(str(name))) for name in LIGHTS),
                 default=Value("none"))
    rows = (qs.filter(**{prefix + "status__in": IN_PROGRESS}).order_by().annotate(live_light=light)
            .values("live_light").annotate(n=Count("pk")))
    result = dict.fromkeys([*(str(name) for name in LIGHTS), "none"], 0)
    for row in rows:
        result[row["live_light"]] += row["n"]
    return result
