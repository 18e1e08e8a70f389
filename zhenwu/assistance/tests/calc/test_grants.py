"""Grants: opened under the rules in force with the whole breakdown, refused twice, stopped, capped per year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhenwu.assistance.choices_calc import GrantStatus
from zhenwu.assistance.models import Grant
from zhenwu.assistance.services.grants import grant_open, grant_stop
from zhenwu.assistance.tests.calc import factories as f
from zhenwu.casework.models import AuditEntry
from zhenwu.errors import FieldError, NotFound

D = Decimal
pytestmark = pytest.mark.django_db


def test_a_grant_keeps_its_amount_breakdown_and_rule_version(civil, dibao_home):
    grant = grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    assert grant.monthly_amount == D("2130.00")
    assert (grant.period_start, grant.period_end) == (dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    assert grant.rule_set == civil.rules and grant.breakdown["rules"]["version"] == 1
    assert grant.breakdown["amount"] == "2130.00" and len(grant.breakdown["inputs"]["members"]) == 3
    assert AuditEntry.objects.filter(subject=f"assistance.grant:{grant.pk}", action="grant_open").exists()


def test_the_same_kind_twice_in_a_period_is_refused(civil, dibao_home):
    grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    with pytest.raises(FieldError) as exc:
        grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 6, 1))
    assert (exc.value.field, exc.value.status) == ("kind", 409)
    assert Grant.objects.count() == 1


@pytest.mark.parametrize(("start", "end", "field"), [
    (dt.date(2026, 3, 2), None, "start"), (dt.date(2026, 3, 1), dt.date(2026, 5, 30), "end"),
    (dt.date(2026, 3, 1), dt.date(2027, 1, 31), "end"), (dt.date(2025, 3, 1), None, "start"),
])
def test_a_bad_period_names_the_field(civil, dibao_home, start, end, field):
    with pytest.raises(FieldError) as exc:  # 2025: no rules were in force yet
        grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=start, end=end)
    assert exc.value.field == field and not Grant.objects.exists()


def test_only_civil_affairs_of_the_scope_open_a_grant(civil, dibao_home):
    with pytest.raises(NotFound):
        grant_open(actor=civil.village_b, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    with pytest.raises(NotFound):  # a clerk may not even learn that the file exists
        grant_open(actor=civil.clerk, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    assert grant_open(actor=civil.village_a, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))


def test_the_household_cap_counts_every_grant_of_the_year(civil, town):
    home = f.assistance_file(town.grid_a, status="expenditure", members=[{}, {}], incomes=["0"],
                             expenditures=[("medical", "400000.00"), ("care", "90000.00"), ("education", "50000.00")])
    first = grant_open(actor=civil.town_officer, file=home, kind="expenditure", start=dt.date(2026, 1, 1))
    # counted 100,000 + 30,000 + 20,000 a year (each kind capped) = 12,500 a month; gap 3,630 + 12,500 = 16,130;
    # tiers 2,000 + 2,800 + 5,065
    assert first.monthly_amount == D("9865.00")
    second = grant_open(actor=civil.town_officer, file=home, kind="medical", start=dt.date(2026, 7, 1))
    cap = next(st for st in second.breakdown["steps"] if st["code"] == "household_cap")
    assert cap["capped"] and cap["params"]["granted"] == "118380.00"  # 12 × 9,865
    assert second.monthly_amount == D("5270.00")  # (150,000 − 118,380) / 6
    assert 12 * first.monthly_amount + 6 * second.monthly_amount <= D("150000")


def test_stopping_a_grant_ends_it_after_a_month(civil, dibao_home):
    grant = grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    with pytest.raises(FieldError) as exc:
        grant_stop(actor=civil.town_officer, grant=grant, last_month=dt.date(2026, 5, 1), reason=" ")
    assert exc.value.field == "reason"
    grant_stop(actor=civil.town_officer, grant=grant, last_month=dt.date(2026, 5, 1), reason="收入超过标准")
    grant.refresh_from_db()
    assert (grant.status, grant.period_end) == (GrantStatus.STOPPED, dt.date(2026, 5, 31))
    with pytest.raises(NotFound):  # a leader does not see the file: 404 before any role check
        grant_stop(actor=civil.leader, grant=grant, last_month=dt.date(2026, 4, 1), reason="其他")
