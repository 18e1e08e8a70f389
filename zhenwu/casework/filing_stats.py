"""The summary by filing day (``CaseFilingStat``) that a pillar keeps for its statistics.

A row counts the cases of one kind filed on one local day in one town, per the pillar's ``facet`` (its
own grouping key, a string: the service hall uses the item version's id) and channel: how many were
filed, finished, finished on time, the promised and (raw) used working days, and the ratings 1–5.
The pillar adds to the row when a case is filed, decided and rated (``filing_stat_add``), or recomputes
its rows after a bulk load (``filing_stat_replace``); readers sum the rows of a period
(``filing_stat_sums``, ``filing_stat_daily``) instead of grouping every case. The kernel only keeps the
numbers: what a facet means is the pillar's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from zhenwu.casework.models import CaseFilingStat
from zhenwu.querycache import hot_cursor

COUNTERS = ("cases", "finished", "on_time", "promised_days", "used_raw", "r1", "r2", "r3", "r4", "r5")
FilingKey = tuple[str, dt.date, str, str]  # (town, filing day, facet, channel) within one kind


def _check(deltas: Mapping[str, int]) -> None:
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown filing counters: {sorted(unknown)}")


_ADD_SQL: dict[tuple[str, tuple[str, ...]], str] = {}


def _add(kind: str, town_code: str, day: dt.date, facet: str, channel: str, deltas: Mapping[str, int]) -> int:
    """``UPDATE … SET c = c + %s …`` of the row's counters, its SQL built once per set of counters (every
    filing runs it: the ORM's update() compiled it afresh each time); how many rows it changed (0 or 1)."""
    names = tuple(sorted(deltas))
    key = (connection.vendor, names)
    sql = _ADD_SQL.get(key)
    if sql is None:
        meta, q = CaseFilingStat._meta, connection.ops.quote_name

        def col(name: str) -> str:
            return q(meta.get_field(name).column)  # type: ignore[union-attr,arg-type]

        sql = _ADD_SQL[key] = (
            f"UPDATE {q(meta.db_table)} SET {', '.join(f'{col(n)} = {col(n)} + %s' for n in names)} "
            f"WHERE {' AND '.join(f'{col(k)} = %s' for k in ('town_code', 'day', 'kind', 'facet', 'channel'))}")
    day_value = CaseFilingStat._meta.get_field("day").get_db_prep_value(day, connection)
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [*(int(deltas[n]) for n in names), town_code, day_value, kind, facet, channel])
        return int(cursor.rowcount)


def filing_stat_add(*, kind: str, town_code: str, day: dt.date, facet: str, channel: str,
                    deltas: Mapping[str, int]) -> None:
    """Add ``deltas`` to the counters of the row, creating it when it is the first of its key. The
    increments are in-place ``c = c + n`` updates, so concurrent filings never lose a count."""
    _check(deltas)
    if _add(kind, town_code, day, facet, channel, deltas):
        return
    try:
        with transaction.atomic():
            CaseFilingStat.objects.create(town_code=town_code, day=day, kind=kind, facet=facet, channel=channel,
                                          **deltas)
    except IntegrityError:  # created meanwhile by a concurrent filing
        _add(kind, town_code, day, facet, channel, deltas)


def filing_stat_delete(*, kind: str, town_prefix: str = "") -> int:
    """Drop the kind's rows of the towns under ``town_prefix``."""
    return CaseFilingStat.objects.filter(kind=kind, town_code__startswith=town_prefix).delete()[0]


@transaction.atomic
def filing_stat_replace(*, kind: str, town_prefix: str, sums: Mapping[FilingKey, Mapping[str, int]]) -> int:
    """Replace the kind's rows of the towns under ``town_prefix`` by ``sums`` (a pillar's rebuild)."""
    for counts in sums.values():
        _check(counts)
    filing_stat_delete(kind=kind, town_prefix=town_prefix)
    objs = [CaseFilingStat(town_code=town, day=day, kind=kind, facet=facet, channel=channel, **counts)
            for (town, day, facet, channel), counts in sums.items()]
    CaseFilingStat.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def filing_stat_sums(*, kind: str, town_prefix: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The period's summed counters per (facet, channel), for towns under ``town_prefix``: each row has
    ``facet``, ``channel`` and ``s_<counter>``."""
    rows = (CaseFilingStat.objects.filter(kind=kind, town_code__startswith=town_prefix, day__gte=start, day__lte=end)
            .values("facet", "channel").annotate(**{f"s_{c}": Sum(c) for c in COUNTERS}))
    return [dict(r) for r in rows]


def filing_stat_daily(*, kind: str, town_prefix: str, start: dt.date, end: dt.date) -> dict[dt.date, tuple[int, int]]:
    """Cases filed per filing day and how many of them are finished, for towns under ``town_prefix``."""
    rows = (CaseFilingStat.objects.filter(kind=kind, town_code__startswith=town_prefix, day__gte=start, day__lte=end)
            .values("day").annotate(n=Sum("cases"), done=Sum("finished")))
    return {r["day"]: (r["n"], r["done"]) for r in rows}
