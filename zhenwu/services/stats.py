"""The daily summary behind 电子监察's statistics, kept in the kernel's ``casework.CaseFilingStat``
(kind ``SQ``, facet: the item version's id; see ``casework.filing_stats``).

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

from django.db import transaction
from django.utils import timezone

from zhenwu.casework.filing_stats import (
    COUNTERS,
    FilingKey,
    filing_stat_add,
    filing_stat_delete,
    filing_stat_replace,
    filing_stat_sums,
)
from zhenwu.casework.workcal import calendar_current
from zhenwu.services.models import Application
from zhenwu.services.process import KIND


def facet(version_id: int) -> str:
    """The summary's facet of an item version (its id); ``version_of`` reads it back."""
    return str(version_id)


def version_of(facet: str) -> int:
    return int(facet)


def _key(app: Application) -> FilingKey:
    return (app.case.town_code, timezone.localdate(app.created_at), facet(app.item_version_id), app.channel)


def _bump(key: FilingKey, deltas: dict[str, int]) -> None:
    town, day, version, channel = key
    filing_stat_add(kind=KIND, town_code=town, day=day, facet=version, channel=channel, deltas=deltas)


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


def _accumulate(rows: Iterable[tuple[Any, ...]]) -> dict[FilingKey, dict[str, int]]:
    sums: dict[FilingKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for town, created, version, channel, promised, decided, due, level in rows:
        counts = sums[(town, timezone.localdate(created), facet(version), channel)]
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
    rows = (Application.objects.filter(case__town_code__startswith=town_prefix)
            .values_list("case__town_code", "created_at", "item_version_id", "channel",
                         "item_version__promised_limit_days", "decided_at", "case__deadline_due_at", "rating__level")
            .iterator(chunk_size=5000))
    return filing_stat_replace(kind=KIND, town_prefix=town_prefix, sums=_accumulate(rows))


def stats_wipe(*, town_prefix: str) -> int:
    """Drop the summary rows of the towns under ``town_prefix`` (the demo reset)."""
    return filing_stat_delete(kind=KIND, town_prefix=town_prefix)


def summary_by_version(*, town_prefix: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The period's summed counters per (item version, channel), for towns under ``town_prefix``: each row
    has ``item_version_id``, ``channel`` and ``s_<counter>``."""
    rows = filing_stat_sums(kind=KIND, town_prefix=town_prefix, start=start, end=end)
    for r in rows:
        r["item_version_id"] = version_of(r.pop("facet"))
    return rows
