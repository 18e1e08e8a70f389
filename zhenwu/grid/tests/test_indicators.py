"""一网治理 indicators on a known month (scoring_world): counts, the formulas of the settings, the scope."""

from __future__ import annotations

import pytest

from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.grid.selectors_scoring import formula_eval, indicators, level_clean, month_clean
from zhenwu.grid.tests.scoring_world import OCTOBER, World, build
from zhenwu.testing import TOWN, VILLAGE_A, VILLAGE_B, local

pytestmark = pytest.mark.django_db
NOVEMBER = local(2025, 11, 5, 9, 0)  # October is over: per-day figures divide by its 31 days


@pytest.fixture
def world(town, personas, staff, categories, clock) -> World:
    return build(town, personas, staff, clock)


def test_the_known_month_gives_the_known_counts_and_rates(world, staff) -> None:
    rows, total = indicators(user=staff.dispatcher, month=OCTOBER, level="village", now=NOVEMBER)
    assert [r.code for r in rows] == [VILLAGE_A, VILLAGE_B] and rows[0].name == "东山村"
    assert rows[1].counts["reported"] == 0 and rows[1].counts["workers"] == 1  # grid worker B, nothing reported
    counts = rows[0].counts
    assert {k: counts[k] for k in ("reported", "registered", "due", "closed", "closed_on_time", "reworked",
                                   "dispatched", "dispatched_on_time", "returned", "worker_reports", "workers",
                                   "worker_days", "patrols", "patrol_seconds")} == {
        "reported": 5, "registered": 3, "due": 3, "closed": 1, "closed_on_time": 1, "reworked": 1,
        "dispatched": 3, "dispatched_on_time": 2, "returned": 1, "worker_reports": 4, "workers": 1,
        "worker_days": 31, "patrols": 1, "patrol_seconds": 9000}
    assert counts["patrol_meters"] == round(world.patrol.distance_m, 1) > 0
    values = rows[0].values
    assert values["closure_rate"] == 33.3 and values["on_time_closure_rate"] == 33.3
    assert values["rework_rate"] == 33.3 and values["on_time_dispatch_rate"] == 66.7
    assert values["accurate_dispatch_rate"] == 66.7 and values["reports_per_worker_day"] == 0.13
    assert values["patrol_hours"] == 2.5 and values["patrol_km"] == round(world.patrol.distance_m / 1000, 2)
    assert total.counts == {**counts, "workers": 2, "worker_days": 62}
    assert total.values == {**values, "reports_per_worker_day": 0.06}


def test_the_formulas_are_settings(world, staff, settings) -> None:
    settings.GRID_INDICATORS = {"closure_rate": {"formula": "(closed + 1) / (due * 2)", "unit": "%"},
                                "rework_share": {"formula": "reworked / reported", "unit": ""}}
    rows, _total = indicators(user=staff.dispatcher, month=OCTOBER, level="town", now=NOVEMBER)
    assert [r.code for r in rows] == [TOWN]
    assert rows[0].values == {"closure_rate": 33.3, "rework_share": 0.2}


def test_a_formula_is_only_arithmetic_over_the_counts() -> None:
    assert formula_eval("(dispatched - returned) / dispatched", {"dispatched": 4, "returned": 1}) == 0.75
    assert formula_eval("closed / due", {"closed": 0, "due": 0}) is None
    for bad in ("__import__('os')", "closed.real", "closed ** 2", "unknown / 2", "closed /"):
        with pytest.raises(ValueError):
            formula_eval(bad, {})


def test_grid_level_groups_by_the_incidents_own_grid_and_empty_months_are_empty(world, staff, town) -> None:
    rows, _total = indicators(user=staff.dispatcher, month=OCTOBER, level="grid", now=NOVEMBER)
    assert [r.code for r in rows] == [town.grid_a.code, town.grid_b.code]
    rows, total = indicators(user=staff.dispatcher, month=month_clean("2025-09"), level="grid")
    assert rows == [r for r in rows if r.counts["workers"]] and total.counts["reported"] == 0
    assert total.values["closure_rate"] is None


def test_the_scope_cuts_the_counts(world, personas, staff) -> None:
    assert indicators(user=staff.village_leader, month=OCTOBER, now=NOVEMBER)[1].counts["reported"] == 5
    assert indicators(user=personas.county_staff, month=OCTOBER, now=NOVEMBER)[1].counts["reported"] == 5
    with pytest.raises(Forbidden):
        indicators(user=personas.grid_worker_a, month=OCTOBER)  # a worker has their own ledger only
    with pytest.raises(Forbidden):
        indicators(user=personas.town_staff, month=OCTOBER)  # the hall's clerks have no grid role
    with pytest.raises(NotFound):
        indicators(user=personas.citizen, month=OCTOBER)


@pytest.mark.parametrize(("raw", "field"), [("2025-13", "month"), ("25-10", "month"), ("1999-01", "month")])
def test_a_bad_month_is_a_field_error(raw, field) -> None:
    with pytest.raises(FieldError) as caught:
        month_clean(raw)
    assert caught.value.field == field


def test_a_bad_level_is_a_field_error() -> None:
    with pytest.raises(FieldError):
        level_clean("county")
