"""``yellow_from`` is the moment ``light_for`` turns yellow, for every unit (a copy of the clock counts lights
with comparisons only): green a millisecond before it, yellow at it, red after the due time."""

import datetime as dt

import pytest

from zhenwu.casework.deadlines import due_at, light_for, yellow_from
from zhenwu.casework.workcal import WorkCalendar
from zhenwu.testing import local

# 2025-10: 10/1–10/8 off, Saturday 10/11 worked (as test_deadlines.py).
CAL = WorkCalendar([2025], {**{dt.date(2025, 10, d): False for d in range(1, 9)},
                            dt.date(2025, 9, 28): True, dt.date(2025, 10, 11): True})
MS = dt.timedelta(milliseconds=1)


@pytest.mark.parametrize(("unit", "limit", "start"), [
    ("hours", 4, local(2025, 9, 30, 16, 0)), ("hours", 24, local(2025, 9, 30, 16, 0)),
    ("hours", 100, local(2025, 9, 30, 16, 0)), ("natural_days", 3, local(2025, 9, 28, 9)),
    ("natural_days", 20, local(2025, 9, 28, 9)), ("working_days", 1, local(2025, 9, 30, 9)),
    ("working_days", 5, local(2025, 9, 26, 9)), ("working_days", 15, local(2025, 9, 20, 9)),
    ("working_days", 12, local(2025, 9, 30, 16)),  # across the National Day holiday
])
def test_the_light_turns_yellow_exactly_then(unit, limit, start):
    due, _ok = due_at(unit, limit, start, CAL)
    yellow = yellow_from(unit, limit, due, CAL)
    assert yellow is not None and yellow <= due
    if yellow > start:
        assert light_for(unit, limit, due, yellow - MS, CAL) == "green"
    assert light_for(unit, limit, due, yellow, CAL) == "yellow"
    assert light_for(unit, limit, due, due, CAL) == "yellow"
    assert light_for(unit, limit, due, due + MS, CAL) == "red"


def test_no_deadline_no_moment():
    assert yellow_from("hours", 4, None) is None and yellow_from("hours", 0, local(2025, 9, 30, 9)) is None
