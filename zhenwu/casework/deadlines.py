"""Deadline arithmetic: due time from a start and a limit, pause extensions, and the light.

Day-based deadlines end at the close of the due day (local time); the start day is not counted.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone

from zhenwu.casework.choices import DeadlineUnit, Light
from zhenwu.casework.workcal import WorkCalendar, calendar_current


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """The last microsecond of ``day`` in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def due_at(unit: str, limit: int, started: dt.datetime,
           cal: WorkCalendar | None = None) -> tuple[dt.datetime, bool]:
    """(due moment, confirmed) for a deadline of ``limit`` units started at ``started``."""
    if unit == DeadlineUnit.HOURS:
        return started + dt.timedelta(hours=limit), True
    day = _local_date(started)
    if unit == DeadlineUnit.NATURAL_DAYS:
        return end_of_day(day + dt.timedelta(days=limit)), True
    result = (cal or calendar_current()).add_workdays(day, limit)
    return end_of_day(result.date), result.confirmed


def extend(unit: str, due: dt.datetime, paused_from: dt.datetime, paused_to: dt.datetime,
           cal: WorkCalendar | None = None) -> tuple[dt.datetime, int, bool]:
    """Push ``due`` out by the pause's length in the deadline's unit: (new due, extension, confirmed)."""
    if unit == DeadlineUnit.HOURS:
        span = paused_to - paused_from
        return due + span, math.ceil(span.total_seconds() / 3600), True
    first, last = _local_date(paused_from), _local_date(paused_to)
    if unit == DeadlineUnit.NATURAL_DAYS:
        days = (last - first).days
        return due + dt.timedelta(days=days), days, True
    cal = cal or calendar_current()
    days = max(cal.between(first, last), 0)
    result = cal.add_workdays(_local_date(due), days)
    return end_of_day(result.date), days, result.confirmed


def push(unit: str, due: dt.datetime, units: int, cal: WorkCalendar | None = None) -> tuple[dt.datetime, bool]:
    """``due`` moved out by ``units`` of the deadline's unit (an approved extension): (new due, confirmed)."""
    if unit == DeadlineUnit.HOURS:
        return due + dt.timedelta(hours=units), True
    if unit == DeadlineUnit.NATURAL_DAYS:
        return due + dt.timedelta(days=units), True
    result = (cal or calendar_current()).add_workdays(_local_date(due), units)
    return end_of_day(result.date), result.confirmed


def _left_and_threshold(unit: str, limit: int, due: dt.datetime, now: dt.datetime,
                        cal: WorkCalendar) -> tuple[float, float]:
    """What is left of the deadline and the yellow threshold, both in the deadline's unit."""
    share = limit * settings.DEADLINE_YELLOW_SHARE
    if unit == DeadlineUnit.HOURS:
        # Hours deadlines are too short for a whole-working-day floor; one hour stands in for it.
        return (due - now).total_seconds() / 3600, max(share, 1.0)
    today, due_day = _local_date(now), _local_date(due)
    if unit == DeadlineUnit.NATURAL_DAYS:
        return float((due_day - today).days), max(share, 1.0)
    return float(cal.between(today, due_day)), max(share, 1.0)


def light_for(unit: str, limit: int | None, due: dt.datetime | None, now: dt.datetime,
              cal: WorkCalendar | None = None) -> str:
    """green / yellow (≤ DEADLINE_YELLOW_SHARE of the limit or ≤ 1 working day left) / red (overdue)."""
    if due is None or not limit:
        return Light.NONE
    if now > due:
        return Light.RED
    left, threshold = _left_and_threshold(unit, limit, due, now, cal or calendar_current())
    return Light.YELLOW if left <= threshold else Light.GREEN


def yellow_from(unit: str, limit: int | None, due: dt.datetime | None,
                cal: WorkCalendar | None = None) -> dt.datetime | None:
    """The moment the light of a running deadline turns yellow: ``light_for`` is green before it, yellow
    from it until ``due`` and red after. A pillar that keeps a copy of its case's clock (``due`` and this)
    counts its lights with plain comparisons, without recomputing the light row by row."""
    if due is None or not limit:
        return None
    threshold = max(limit * settings.DEADLINE_YELLOW_SHARE, 1.0)
    if unit == DeadlineUnit.HOURS:
        return due - dt.timedelta(hours=threshold)
    days, due_day = math.floor(threshold), _local_date(due)
    if unit == DeadlineUnit.NATURAL_DAYS:
        first = due_day - dt.timedelta(days=days)
    else:  # the first day with at most ``days`` working days left (``between`` falls as the day moves on)
        cal = cal or calendar_current()
        lo, hi = due_day.toordinal() - 7 * days - 366, due_day.toordinal()
        while lo < hi:
            mid = (lo + hi) // 2
            if cal.between(dt.date.fromordinal(mid), due_day) <= days:
                hi = mid
            else:
                lo = mid + 1
        first = dt.date.fromordinal(lo)
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))
