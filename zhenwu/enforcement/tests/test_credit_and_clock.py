"""The credit flag (信用记录) a decided general-procedure penalty puts on its party for ENFORCEMENT_CREDIT_YEARS,
and the 90-day limit from 立案 across the National Day holiday and the pauses."""

from __future__ import annotations

import datetime

from zhenwu.casework.models import Case
from zhenwu.enforcement.guards import add_working_days
from zhenwu.enforcement.selectors import credit_flagged, credit_flagged_enterprise_ids
from zhenwu.enforcement.tests.case_file import act, client_for, decided, investigating, open_case
from zhenwu.registry.tests import factories as registry
from zhenwu.testing import VALID_ID, VALID_USCC


def test_a_decided_penalty_flags_the_party_for_the_credit_years(team, clock, town, settings):
    shop = registry.enterprise(town.grid_a)  # the registry's own enterprise, to be matched by its USCC
    shop.uscc = VALID_USCC
    shop.save()
    other = registry.enterprise(town.grid_a)
    row = open_case(team)
    assert credit_flagged([VALID_USCC]) == set() and credit_flagged_enterprise_ids() == set()  # only 立案
    row = decided(team, clock)
    assert credit_flagged([VALID_USCC.lower(), VALID_ID, ""]) == {VALID_USCC}
    assert credit_flagged_enterprise_ids() == {shop.pk} and other.pk not in credit_flagged_enterprise_ids()
    detail = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}").json()
    assert detail["credit_flagged"] is True
    settings.ENFORCEMENT_CREDIT_YEARS = 1
    clock.advance(days=366)
    assert credit_flagged([VALID_USCC]) == set() and credit_flagged_enterprise_ids() == set()


def test_a_decision_revoked_by_a_court_no_longer_flags(team, clock):
    from zhenwu.enforcement.models import DecisionPublication

    row = decided(team, clock)
    assert credit_flagged([VALID_USCC]) == {VALID_USCC}
    publication = DecisionPublication.objects.get(penalty=row)
    publication.overturn_kind, publication.overturned_on = "litigation_changed", clock.now.date()
    publication.save()
    assert credit_flagged([VALID_USCC]) == {VALID_USCC}  # changed, not annulled: still a penalty
    publication.overturn_kind = "litigation_revoked"
    publication.save()
    assert credit_flagged([VALID_USCC]) == set()


def test_a_summary_penalty_does_not_flag(team, clock):
    from zhenwu.enforcement.services.cases import Party, summary_decide
    from zhenwu.testing import GRID_A

    summary_decide(actor=team.a.user, power_code=team.power.code, party=Party("李明", id_number=VALID_ID),
                   area_code=GRID_A, facts="占道", penalty_kind="fine", fine="50")
    assert credit_flagged([VALID_ID]) == set()


def test_the_90_days_are_natural_days_moved_only_by_pauses_and_approved_extensions(team, clock):
    row = investigating(team)  # 立案 on 30 September 2025, the eve of the eight-day National Day holiday
    due = Case.objects.get(pk=row.case.pk).deadline_due_at
    assert due is not None and due.date() == datetime.date(2025, 12, 29)  # 90 natural days: holidays count
    act(team.a.user, row, "publish", reason="公告送达调查通知")
    clock.advance(days=10)  # the public notice over the holiday pauses the clock for its 10 days
    act(team.a.user, row, "resume")
    act(team.a.user, row, "test", reason="送检")
    clock.advance(days=5)
    act(team.b.user, row, "resume")
    case = Case.objects.get(pk=row.case.pk)
    assert case.deadline_due_at is not None and case.deadline_due_at.date() == datetime.date(2026, 1, 13)
    act(team.leader, row, "extend", days=30, reason="案情复杂")
    case = Case.objects.get(pk=row.case.pk)
    assert case.deadline_due_at is not None and case.deadline_due_at.date() == datetime.date(2026, 2, 12)
    act(team.a.user, row, "finish_investigation", report="终结")
    row = act(team.a.user, row, "notify", penalty="fine", fine="150", band="ordinary")
    # the 3 working days to state and defend are counted on the work calendar from 15 October
    assert row.defence_until == add_working_days(datetime.date(2025, 10, 15), 3) == datetime.date(2025, 10, 20)


def test_the_statement_period_skips_the_holiday(team, clock):
    row = investigating(team)
    act(team.a.user, row, "finish_investigation", report="终结")
    row = act(team.a.user, row, "notify", penalty="fine", fine="150", band="ordinary")
    # noticed on 30 September: 1-8 October are the holiday, 11 October a make-up working day
    assert row.defence_until == datetime.date(2025, 10, 11)
