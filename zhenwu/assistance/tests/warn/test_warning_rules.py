"""The spending rule: a threshold per status, the rolling window's edges, rules overriding the settings,
no second warning while one is open or quiet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from zhenwu.assistance.models import EarlyWarning, WarningRule
from zhenwu.assistance.services.warnings import rule_set, spending_candidates, warnings_scan
from zhenwu.assistance.tests.warn.factories import person, settle
from zhenwu.errors import FieldError, Forbidden

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 9, 30)


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.ASSISTANCE_WARNING_THRESHOLDS = {"dibao": 5000, "tekun": 5000, "edge": 8000, "expenditure": 8000,
                                              "temporary": 8000, "none": 20000}
    settings.ASSISTANCE_WARNING_WINDOW_DAYS = 365


@pytest.mark.parametrize(("status", "spent", "flagged"), [
    ("dibao", 4999.99, False), ("dibao", 5000, True), ("edge", 7999, False), ("edge", 8000, True),
    ("tekun", 5000, True), (None, 19999, False), (None, 20000, True),
])
def test_the_threshold_depends_on_the_household_status(town, status, spent, flagged):
    someone = person(town.grid_a, status=status)
    settle(someone, AS_OF - dt.timedelta(days=10), spent)
    found = spending_candidates(as_of=AS_OF)
    assert [(c.person_id, c.status) for c in found] == ([(someone.pk, status or "none")] if flagged else [])


def test_the_window_counts_the_last_365_days_up_to_the_day(town):
    someone = person(town.grid_a)
    settle(someone, AS_OF - dt.timedelta(days=365), 4000)  # one day too old: outside
    settle(someone, AS_OF - dt.timedelta(days=364), 2500)  # the window's first day
    settle(someone, AS_OF, 2400)  # the window's last day
    settle(someone, AS_OF + dt.timedelta(days=1), 9000)  # after the day: not yet
    assert spending_candidates(as_of=AS_OF) == []  # 4,900
    settle(someone, AS_OF - dt.timedelta(days=100), Decimal("100.00"))
    [found] = spending_candidates(as_of=AS_OF)
    assert found.amount == Decimal("5000.00")
    # a day earlier the window still holds the 4,000 and not yet the 2,400
    assert [c.amount for c in spending_candidates(as_of=AS_OF - dt.timedelta(days=1))] == [Decimal("6600.00")]
    # a day later the 2,500 drops out and the 9,000 comes in
    assert [c.amount for c in spending_candidates(as_of=AS_OF + dt.timedelta(days=1))] == [Decimal("11500.00")]


def test_a_rule_overrides_the_settings_and_may_be_switched_off(town, civil):
    someone = person(town.grid_a)
    settle(someone, AS_OF - dt.timedelta(days=20), 3000)
    assert spending_candidates(as_of=AS_OF) == []
    rule_set(actor=civil, status="dibao", threshold=Decimal("3000"), window_days=30)
    assert len(spending_candidates(as_of=AS_OF)) == 1
    assert spending_candidates(as_of=AS_OF + dt.timedelta(days=10)) == []  # 30-day window: gone
    rule_set(actor=civil, status="dibao", threshold=Decimal("3000"), window_days=30, active=False)
    assert spending_candidates(as_of=AS_OF) == []


def test_only_civil_affairs_change_rules_and_bad_values_are_refused(town, civil, personas):
    with pytest.raises(Forbidden):
        rule_set(actor=personas.town_staff, status="dibao", threshold=Decimal(1), window_days=30)
    kwargs: dict[str, Any]
    for kwargs, field in (({"threshold": Decimal(0)}, "threshold"), ({"window_days": 0}, "window_days"),
                          ({"window_days": 5000}, "window_days"), ({"status": "rich"}, "status")):
        args: dict[str, Any] = {"status": "dibao", "threshold": Decimal(100), "window_days": 30, **kwargs}
        with pytest.raises(FieldError) as exc:
            rule_set(actor=civil, **args)
        assert exc.value.field == field
    assert not WarningRule.objects.exists()


def test_no_second_warning_while_one_is_open_or_quiet(clock, town, worker_a, settings):
    settings.ASSISTANCE_WARNING_QUIET_DAYS = 90
    someone = person(town.grid_a)
    settle(someone, AS_OF - dt.timedelta(days=5), 6000)
    assert len(warnings_scan(as_of=AS_OF)) == 1
    assert warnings_scan(as_of=AS_OF + dt.timedelta(days=100)) == []  # still open
    from zhenwu.assistance.services.warnings import warning_visit

    [w] = EarlyWarning.objects.all()
    warning_visit(actor=worker_a, warning=w, record="已核实", outcome="no_need")
    assert warnings_scan(as_of=AS_OF + dt.timedelta(days=89)) == []  # quiet for 90 days from the as-of day
    assert len(warnings_scan(as_of=AS_OF + dt.timedelta(days=90))) == 1


def test_the_scan_flags_only_the_people_asked_for(town):
    a, b = person(town.grid_a), person(town.grid_b)
    settle(a, AS_OF, 6000)
    settle(b, AS_OF, 6000)
    assert [c.person_id for c in spending_candidates(as_of=AS_OF, persons=[b.pk])] == [b.pk]
    assert {c.person_id for c in spending_candidates(as_of=AS_OF)} == {a.pk, b.pk}
