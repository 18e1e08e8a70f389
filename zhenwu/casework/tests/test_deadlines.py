import datetime as dt

import pytest

from zhenwu.casework.deadlines import due_at, end_of_day, extend, light_for
from zhenwu.casework.workcal import WorkCalendar
from zhenwu.testing import local

# 2025-10 in a small calendar: 10/1–10/8 off, Saturday 10/11 worked.
CAL = WorkCalendar([2025], {**{dt.date(2025, 10, d): False for d in range(1, 9)},
                            dt.date(2025, 9, 28): True, dt.date(2025, 10, 11): True})


def test_working_days_do_not_count_the_start_day():
    due = due_at("working_days", 3, local(2025, 9, 30, 16, 0), CAL)
    assert due == (end_of_day(dt.date(2025, 10, 11)), True)


def test_natural_days_and_hours():
    assert due_at("natural_days", 3, local(2025, 9, 30, 16, 0), CAL)[0] == end_of_day(dt.date(2025, 10, 3))
    assert due_at("hours", 48, local(2025, 9, 30, 16, 0), CAL)[0] == local(2025, 10, 2, 16, 0)


def test_a_pause_extends_by_its_length_in_the_unit():
    due = end_of_day(dt.date(2025, 10, 14))
    # paused Thursday 10/9 → Monday 10/13: 10/10, 10/11 (调休) and 10/13 are working days.
    new_due, days, _ok = extend("working_days", due, local(2025, 10, 9, 9), local(2025, 10, 13, 9), CAL)
    assert (new_due, days) == (end_of_day(dt.date(2025, 10, 17)), 3)
    assert extend("hours", local(2025, 10, 9, 9), local(2025, 10, 9, 10), local(2025, 10, 9, 13), CAL)[:2] \
        == (local(2025, 10, 9, 12), 3)
    assert extend("natural_days", due, local(2025, 10, 9, 9), local(2025, 10, 13, 9), CAL)[:2] \
        == (end_of_day(dt.date(2025, 10, 18)), 4)


@pytest.mark.parametrize(("now", "light"), [
    (local(2025, 9, 1, 9), "green"),      # 10 of 10 working days left
    (local(2025, 9, 10, 9), "green"),     # 3 left (> 20% of 10 = 2)
    (local(2025, 9, 11, 9), "yellow"),    # 2 left (= 20%)
    (local(2025, 9, 15, 23, 59), "yellow"),
    (local(2025, 9, 16, 0, 0), "red"),    # past the end of the due day
])
def test_lights_at_each_boundary_working_days(now, light):
    due = end_of_day(dt.date(2025, 9, 15))  # 10 working days after 9/1
    assert light_for("working_days", 10, due, now, CAL) == light


@pytest.mark.parametrize(("now", "light"), [
    (local(2025, 9, 26, 9), "green"),   # 3 working days left: 9/28 (调休), 9/29, 9/30
    (local(2025, 9, 29, 9), "yellow"),  # 1 left (the one-working-day floor beats 20% of 3)
])
def test_the_one_working_day_floor_wins_for_short_limits(now, light):
    assert light_for("working_days", 3, end_of_day(dt.date(2025, 9, 30)), now, CAL) == light


def test_hours_lights():
    due = local(2025, 9, 3, 10)
    assert light_for("hours", 48, due, local(2025, 9, 2, 0), CAL) == "green"     # 34 h left
    assert light_for("hours", 48, due, local(2025, 9, 3, 0, 24), CAL) == "yellow"  # 9.6 h left
    assert light_for("hours", 48, due, local(2025, 9, 3, 10, 1), CAL) == "red"
    assert light_for("hours", 48, None, local(2025, 9, 3, 10, 1), CAL) == ""
