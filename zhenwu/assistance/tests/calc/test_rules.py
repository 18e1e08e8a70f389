"""Rule sets: validated whole, published once, a new version from the next period only, grants recomputed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhenwu.assistance.models import Grant, RuleSet, Tier
from zhenwu.assistance.services.grants import grant_open
from zhenwu.assistance.services.rules import rules_publish, rules_validate, seed_data
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.testing import TOWN

D = Decimal
pytestmark = pytest.mark.django_db


def data(**changes):
    out = seed_data(dt.date(2026, 4, 1))
    out.update(changes)
    return out


def fields_of(exc) -> set:
    return {name for name, _m in exc.value.errors}


def test_a_new_version_changes_amounts_from_its_first_period_only(civil, dibao_home):
    grant = grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 1, 1))
    report = rules_publish(actor=civil.town_officer, town_code=TOWN, data=data(local_standard="1300.00"))
    assert report.rule_set is not None and report.rule_set.version == 2
    grant.refresh_from_db()
    assert (grant.period_end, grant.monthly_amount) == (dt.date(2026, 3, 31), D("2130.00"))  # Jan–Mar unchanged
    new = Grant.objects.get(previous=grant)
    assert (new.period_start, new.period_end, new.rule_set) == (dt.date(2026, 4, 1), dt.date(2026, 12, 31),
                                                                 report.rule_set)
    assert new.monthly_amount == D("2400.00")  # 1,300 × 3 − 1,500
    assert [(c.old_amount, c.new_amount) for c in report.changes] == [(D("2130.00"), D("2400.00"))]
    assert new.breakdown["rules"]["version"] == 2 and grant.breakdown["rules"]["version"] == 1


def test_a_dry_run_says_what_would_change_and_writes_nothing(civil, dibao_home):
    grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 1, 1))
    report = rules_publish(actor=civil.town_officer, town_code=TOWN, data=data(local_standard="1300.00"),
                           dry_run=True)
    assert report.rule_set is None and report.changes[0].new_amount == D("2400.00")
    assert RuleSet.objects.count() == 1 and Grant.objects.count() == 1


def test_a_new_version_cannot_take_effect_in_the_current_or_a_past_period(civil):
    with pytest.raises(FieldError) as exc:  # it is March 2026
        rules_publish(actor=civil.town_officer, town_code=TOWN, data=data(effective_from="2026-03-01"))
    assert exc.value.field == "effective_from"
    with pytest.raises(FieldError) as exc:
        rules_publish(actor=civil.town_officer, town_code=TOWN, data=data(effective_from="2026-04-15"))
    assert exc.value.field == "effective_from" and RuleSet.objects.count() == 1


def test_a_published_rule_set_is_never_edited(civil):
    civil.rules.local_standard = D("1")
    with pytest.raises(ValueError):
        civil.rules.save()
    with pytest.raises(ValueError):
        Tier.objects.filter(rule_set=civil.rules)[0].delete()


def test_a_grant_across_a_rule_change_is_split_where_the_new_rules_start(civil, dibao_home):
    rules_publish(actor=civil.town_officer, town_code=TOWN, data=data(local_standard="1300.00"))
    first = grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    assert (first.period_end, first.monthly_amount) == (dt.date(2026, 3, 31), D("2130.00"))
    assert Grant.objects.get(previous=first).monthly_amount == D("2400.00")


def _tiers(*rows):
    return [{"lower": lo, "upper": up, "rate_percent": r} for lo, up, r in rows]


@pytest.mark.parametrize(("change", "field"), [
    ({"categories": {**seed_data(dt.date(2026, 4, 1))["categories"],
                     "expenditure": {"line_factor": "1.5", "cap_monthly": "12500",
                                     "tiers": _tiers(("0", "2000", "100"), ("1500", None, "50"))}}},
     "categories.expenditure.tiers"),  # overlapping tiers
    ({"categories": {**seed_data(dt.date(2026, 4, 1))["categories"],
                     "dibao": {"line_factor": "1", "cap_monthly": "6000",
                               "tiers": _tiers(("0", "2000", "100"), ("2500", None, "50"))}}},
     "categories.dibao.tiers"),  # a hole between tiers
    ({"categories": {**seed_data(dt.date(2026, 4, 1))["categories"],
                     "edge": {"line_factor": "1.5", "tiers": _tiers(("0", None, "30"))}}},
     "categories.edge.cap_monthly"),  # a missing cap
    ({"item_caps": {"medical": "100000", "education": "20000"}}, "item_caps.care"),  # a missing item cap
    ({"household_cap_yearly": ""}, "household_cap_yearly"),
    ({"local_standard": "-5"}, "local_standard"),
    ({"local_standard": "12.345"}, "local_standard"),
    ({"add_ons": {"lucky": "5"}}, "add_ons.lucky"),
    ({"effective_from": "2026-13-01"}, "effective_from"),
])
def test_bad_rules_are_refused_naming_the_field(change, field):
    with pytest.raises(FieldError) as exc:
        rules_validate(data(**change), town_code=TOWN)
    assert field in fields_of(exc)


def test_only_civil_affairs_of_the_town_publish(civil):
    with pytest.raises(NotFound):  # the town lies above a village's scope
        rules_publish(actor=civil.village_a, town_code=TOWN, data=data())
    with pytest.raises(Forbidden):
        rules_publish(actor=civil.leader, town_code=TOWN, data=data())
    assert RuleSet.objects.count() == 1
