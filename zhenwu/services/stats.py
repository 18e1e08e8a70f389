"""The daily summary behind 电子监察's statistics (``ApplicationDayStat``).

Each application adds to the row of (town, local filing day, item version, channel): once when it is
filed, once when it is decided (finished, on time, promised and used working days) and once when it is
rated. Statistics over a period then sum a few rows per day instead of grouping every application.
``stats_rebuild`` recomputes the rows from the applications (after bulk loads, or if a working-day
calendar import changed the ranks).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from zhenwu.casework.workcal import calendar_current
from zhenwu.services.models import Application, ApplicationDayStat

COUNTERS = ("cases", "finished", "on_time", "promised_days", "used_raw", "r1", "r2", "r3", "r4", "r5")
Key = tuple[str, dt.date, int, str]


def _key(app: Application) -> Key:
    return (app.case.town_code, timezone.localdate(app.created_at), app.item_version_id, app.channel)


def _bump(key: Key, deltas: dict[str, int]) -> None:
    town, day, version, channel = key
    rows = ApplicationDayStat.objects.filter(town_code=town, day=day, item_version_id=version, channel=channel)
    if rows.update(**{name: F(name) + n for name, n in deltas.items()}):
        return
    try:
        with transaction.atomic():
            ApplicationDayStat.objects.create(town_code=town, day=day, item_version_id=version, channel=channel,
                                              **deltas)
    except IntegrityError:  # created meanwhile by a concurrent filing
        rows.update(**{name: F(name) + n for name, n in deltas.items()})


def decision_counts(*, promised: int, decided_at: dt.datetime, due_at: dt.datetime | None) -> dict[str, int]:
    """What one decided application adds: finished, on time, promised and (raw) used working days."""
    rank = calendar_current().rank
    raw = promised
    if due_at is not None:
        raw += rank(timezone.localdate(decided_at).toordinal()) - rank(timezone.localdate(due_at).toordinal())
    return {"finished": 1, "on_time": int(due_at is None or decided_at <= due_at), "promised_days": promised,
            "used_raw": raw}


def stats_filed(app: Application) -> None:
    _bump(_key(app), {"cases": 1})


def stats_decided(app: Application) -> None:
    assert app.decided_at is not None
    _bump(_key(app), decision_counts(promised=app.item_version.promised_limit_days, decided_at=app.decided_at,
                                     due_at=app.case.deadline_due_at))


def stats_rated(app: Application, level: int) -> None:
    _bump(_key(app), {f"r{level}": 1})


def _accumulate(rows: Iterable[tuple[Any, ...]]) -> dict[Key, dict[str, int]]:
    sums: dict[Key, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for town, created, version, channel, promised, decided, due, level in rows:
        counts = sums[(town, timezone.localdate(created), version, channel)]
        counts["cases"] += 1
        if decided is not None:
            for name, n in decision_counts(promised=promised, decided_at=decided, due_at=due).items():
                counts[name] += n
        if level:
            counts[f"r{level}"] += 1
    return sums


@transaction.atomic
def stats_rebuild(*, town_prefix: str = "") -> int:
    """Recompute the summary rows of the towns under ``town_prefix`` from their applications."""
    ApplicationDayStat.objects.filter(town_code__startswith=town_prefix).delete()
    rows = (Application.objects.filter(case__town_code__startswith=town_prefix)
            .values_list("case__town_code", "created_at", "item_version_id", "channel",
                         "item_version__promised_limit_days", "decided_at", "case__deadline_due_at", "rating__level")
            .iterator(chunk_size=5000))
    objs = [ApplicationDayStat(town_code=k[0], day=k[1], item_version_id=k[2], channel=k[3], **v)
            for k, v in _accumulate(rows).items()]
    ApplicationDayStat.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def summary_by_version(*, town_prefix: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The period's summed counters per (item version, channel), for towns under ``town_prefix``."""
    rows = (ApplicationDayStat.objects.filter(town_code__startswith=town_prefix, day__gte=start, day__lte=end)
            .values("item_version_id", "channel").annotate(**{f"s_{c}": Sum(c) for c in COUNTERS}))
    return [dict(r) for r in rows]
