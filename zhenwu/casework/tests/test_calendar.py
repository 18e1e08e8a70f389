import datetime as dt
import random

import pytest
from django.core.management import call_command

from zhenwu.casework.models import CalendarDay, CalendarYear
from zhenwu.casework.workcal import WorkCalendar, calendar_build, calendar_current, naive_add

D = dt.date


@pytest.mark.django_db
def test_it_is_seeded_by_migrate_for_2004_to_2026():
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2004, 2027))
    assert CalendarDay.objects.get(date=D(2025, 10, 11)).kind == "workday"


@pytest.mark.django_db
def test_it_adds_working_days_across_national_day_2025():
    assert calendar_current().add_workdays(D(2025, 9, 30), 3) == (D(2025, 10, 11), True)


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "days", "expected"), [
    (D(2025, 12, 31), 1, D(2026, 1, 4)),   # 1/1–1/3 off, Sunday 1/4 worked
    (D(2026, 2, 13), 1, D(2026, 2, 14)),   # Saturday 2/14 worked before Spring Festival
    (D(2026, 2, 14), 1, D(2026, 2, 24)),   # 2/15–2/23 off
    (D(2026, 9, 30), 1, D(2026, 10, 8)),   # 10/1–10/7 off
    (D(2026, 10, 8), 2, D(2026, 10, 10)),  # Saturday 10/10 worked
    (D(2026, 6, 18), 1, D(2026, 6, 22)),   # 6/19–6/21 off
])
def test_it_knows_the_2026_schedule(start, days, expected):
    assert calendar_current().add(start, days) == expected


@pytest.mark.django_db
def test_it_falls_back_to_monday_to_friday_for_2027_and_says_unconfirmed():
    result = calendar_current().add_workdays(D(2027, 1, 1), 3)  # Friday
    assert result == (D(2027, 1, 6), False)
    assert calendar_current().add_workdays(D(2026, 12, 30), 3) == (D(2027, 1, 4), False)


@pytest.mark.django_db
def test_it_matches_the_day_by_day_loop_everywhere():
    cal = calendar_build()
    years = set(cal.years)
    exceptions = {d: k == "workday" for d, k in CalendarDay.objects.values_list("date", "kind")}
    rnd = random.Random(7)
    for _ in range(2000):
        start = D(2003, 6, 1) + dt.timedelta(days=rnd.randrange(9000))
        days = rnd.randrange(0, 60)
        assert cal.add(start, days) == naive_add(start, days, years, exceptions), (start, days)


def test_it_counts_working_days_between_and_handles_a_gap_year():
    cal = WorkCalendar([2030, 2032], {D(2030, 1, 1): False})
    assert cal.between(D(2029, 12, 31), D(2030, 1, 7)) == 4
    assert not cal.confirmed(D(2031, 5, 1), D(2031, 5, 2))
    assert cal.confirmed(D(2032, 5, 1), D(2032, 5, 2))
    assert cal.add(D(2029, 12, 31), 1) == D(2030, 1, 2)


@pytest.mark.django_db
def test_the_cli_prints_the_date_and_unconfirmed(capsys):
    call_command("calendar", "add-workdays", "2025-09-30", "3")
    call_command("calendar", "add-workdays", "2027-01-01", "3")
    assert capsys.readouterr().out.splitlines() == ["2025-10-11", "2027-01-06 unconfirmed"]
