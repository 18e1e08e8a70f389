"""电子监察 statistics on a hand-built set: on-time rate, working days used, ratings, scope, bad input."""

import pytest

from zhenwu.errors import FieldError, Forbidden
from zhenwu.services.supervision import period_clean, supervision_stats
from zhenwu.services.tests.supervision_factories import march_set, other_town_supervisor, supervisor

pytestmark = pytest.mark.django_db


def march():
    return period_clean(date_from="2026-03-01", date_to="2026-03-31")


def test_it_counts_cases_finished_and_the_on_time_rate(hall, item, town):
    march_set(hall)
    [row] = supervision_stats(user=supervisor(town), period=march(), group="item")
    assert (row.key, row.cases, row.finished, row.on_time, row.on_time_rate) == ("320000-MZ-0001", 3, 2, 1, 0.5)


def test_it_averages_working_days_used_against_promised(hall, item, town):
    march_set(hall)
    [row] = supervision_stats(user=supervisor(town), period=march(), group="department")
    assert (row.key, row.avg_used_days, row.avg_promised_days) == ("民政", 3.5, 3.0)


def test_it_gives_the_rating_distribution_by_channel(hall, item, town):
    march_set(hall)
    [row] = supervision_stats(user=supervisor(town), period=march(), group="channel")
    assert row.key == "window"
    assert row.ratings == {5: 1, 4: 0, 3: 0, 2: 0, 1: 1}


def test_the_period_limits_the_cases(hall, item, town):
    march_set(hall)
    april = period_clean(date_from="2026-04-01", date_to="2026-04-30")
    [row] = supervision_stats(user=supervisor(town), period=april)
    assert (row.cases, row.on_time_rate, row.avg_used_days) == (1, 1.0, 1.0)


def test_a_supervisor_of_another_town_sees_nothing(hall, item, town):
    march_set(hall)
    assert supervision_stats(user=other_town_supervisor(town), period=march()) == []


def test_it_refuses_a_clerk(hall, item, town):
    with pytest.raises(Forbidden):
        supervision_stats(user=hall.clerk, period=march())


@pytest.mark.parametrize(("raw_from", "raw_to", "field"), [
    ("2026-13-01", "", "from"), ("yesterday", "", "from"), ("2026-03-10", "2026-03-01", "to"),
    ("2026-03-01", "2026-02-30", "to")])
def test_it_rejects_bad_dates(raw_from, raw_to, field):
    with pytest.raises(FieldError) as err:
        period_clean(date_from=raw_from, date_to=raw_to)
    assert err.value.field == field


def test_the_default_period_is_this_month():
    import datetime as dt

    period = period_clean(today=dt.date(2026, 2, 14))
    assert (period.start, period.end) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_a_summary_row_of_a_deleted_item_version_is_left_out_not_a_crash(hall, item, town):
    import datetime as dt

    from zhenwu.casework.filing_stats import filing_stat_add

    march_set(hall)
    filing_stat_add(kind="SQ", town_code=town.town.code, day=dt.date(2026, 3, 9), facet="999999",
                    channel="window", deltas={"cases": 4})
    user = supervisor(town)
    [row] = supervision_stats(user=user, period=march(), group="item")
    assert (row.key, row.cases) == ("320000-MZ-0001", 3)
    assert sum(r.cases for r in supervision_stats(user=user, period=march(), group="channel")) == 7
