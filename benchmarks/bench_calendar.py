"""Working-day arithmetic: `add-workdays` calls per second on the bisect index, against a naive
day-by-day loop over the same confirmed years and exception days (the chinesecalendar seed data,
2004–2026, exactly what `zhenwu migrate` puts in the table)."""

from __future__ import annotations

import datetime as dt
import random

from benchmarks.harness import Report, timed
from zhenwu.casework.services.calendar import _chinesecalendar_days
from zhenwu.casework.workcal import WorkCalendar, naive_add

CALLS, BASELINE_CALLS = 200_000, 20_000
TARGET = 200_000


def _inputs(n: int, rng: random.Random) -> list[tuple[dt.date, int]]:
    first = dt.date(2004, 1, 1)
    return [(first + dt.timedelta(days=rng.randrange(8300)), rng.randrange(1, 61)) for _ in range(n)]


def run(report: Report) -> None:
    years, days = _chinesecalendar_days()
    exceptions = {d: kind == "workday" for d, (kind, _name) in days.items()}
    cal = WorkCalendar(years, exceptions)
    rng = random.Random(1)
    inputs, base_inputs = _inputs(CALLS, rng), _inputs(BASELINE_CALLS, rng)
    year_set = set(years)
    assert all(cal.add(s, n) == naive_add(s, n, year_set, exceptions) for s, n in base_inputs[:2000])

    add = cal.add_workdays
    fast = CALLS / timed(lambda: [add(s, n) for s, n in inputs])
    slow = BASELINE_CALLS / timed(lambda: [naive_add(s, n, year_set, exceptions) for s, n in base_inputs],
                                  repeat=2)
    report.row("calendar add-workdays (bisect index, 1–60 days)", fast, "calls/s",
               baseline_name="day-by-day loop", baseline_value=slow,
               target=f"≥ {TARGET:,} calls/s", met=fast >= TARGET)
