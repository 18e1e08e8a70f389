"""普通程序 through every step, and each refusal the Administrative Penalty Law requires."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.casework.models import Case
from zhenwu.enforcement.guards import add_working_days
from zhenwu.enforcement.models import ConflictDeclaration, PenaltyCase
from zhenwu.enforcement.services.cases import Party, case_act, general_open, late_fee
from zhenwu.enforcement.tests import factories as f
from zhenwu.errors import FieldError
from zhenwu.testing import GRID_A, VALID_USCC

SHOP = Party("丹阳市东山机械有限公司", uscc=VALID_USCC)


@pytest.fixture(autouse=True)
def _thresholds(settings):  # the test power's fines are small: make 1,000 yuan "large" for a hearing and review
    settings.ENFORCEMENT_MAJOR_FINE_ORGANISATION = 1000
    settings.ENFORCEMENT_HEARING_FINE_ORGANISATION = 1000


def open_case(team, investigators=None) -> PenaltyCase:
    ids = [o.pk for o in (investigators or [team.a, team.b])]
    return general_open(actor=team.a.user, power_code=team.power.code, party=SHOP, area_code=GRID_A,
                        facts="占用消防通道堆放物料", investigators=ids)


def act(user, row: PenaltyCase, action: str, **fields: Any) -> PenaltyCase:
    return case_act(actor=user, number=row.case.number, action=action, fields=fields)


def status(row: PenaltyCase) -> str:
    return Case.objects.get(pk=row.case.pk).status


def noticed(team, fine: str = "1500", band: str = "grave") -> PenaltyCase:
    row = open_case(team)
    act(team.leader, row, "approve_filing", opinion="同意立案")
    act(team.a.user, row, "finish_investigation", report="事实清楚，证据确凿")
    return act(team.a.user, row, "notify", penalty="fine", fine=fine, band=band)


def discuss(team, row: PenaltyCase) -> None:
    from zhenwu.enforcement.services.records import DiscussionInput, discussion_add

    discussion_add(actor=team.leader, number=row.case.number, data=DiscussionInput(
        held_at="2025-09-30T09:00", place="队部会议室", chair="zf_leader", participants=["甲", "乙", "丙"],
        opinions="同意处罚", conclusion="罚款1200元"))


def test_a_general_case_through_every_step(team, clock):
    row = open_case(team)
    assert status(row) == "registered"
    act(team.leader, row, "approve_filing", opinion="同意立案")
    due = Case.objects.get(pk=row.case.pk).deadline_due_at
    assert due is not None and (due - clock.now).days == 90  # natural days from 立案 (Art. 60)
    act(team.a.user, row, "test", reason="送检")
    clock.advance(days=3)
    act(team.b.user, row, "resume")
    moved = Case.objects.get(pk=row.case.pk).deadline_due_at
    assert moved is not None and (moved - due).days == 3  # the testing pause moves the 90 days out
    act(team.a.user, row, "finish_investigation", report="事实清楚")
    row = act(team.a.user, row, "notify", penalty="fine", fine="1500", band="grave")
    assert row.hearing_right and row.major and status(row) == "notice"
    hearing_at = add_working_days(clock.now.date(), 7)
    act(team.a.user, row, "hold_hearing", requested_on=clock.now.date().isoformat(), hearing_at=hearing_at.isoformat())
    clock.advance(days=12)
    act(team.leader, row, "resume")
    with pytest.raises(FieldError) as exc:  # a case after a hearing is major: legal review first (Art. 58)
        act(team.leader, row, "decide", penalty="fine", fine="1500", band="grave")
    assert exc.value.field == "action"
    act(team.legal, row, "legal_review_after_hearing", opinion="同意")
    with pytest.raises(FieldError) as exc:  # a major case: the heads' collective discussion first (Art. 57)
        act(team.leader, row, "decide", penalty="fine", fine="1200", band="grave", defence="已陈述申辩")
    assert exc.value.field == "collective_discussion" and status(row) == "notice"
    discuss(team, row)
    row = act(team.leader, row, "decide", penalty="fine", fine="1200", band="grave", defence="已陈述申辩")
    assert (status(row), row.fine) == ("decided", Decimal("1200"))
    assert row.decision_number == "综执罚决字〔2025〕第1号"
    served = clock.now.date()
    act(team.a.user, row, "serve", method="直接送达", served_on=served.isoformat())
    clock.advance(days=20)
    row = act(team.a.user, row, "pay", paid_on=(served + datetime.timedelta(days=20)).isoformat())
    assert row.late_fee == Decimal("180.00")  # 5 days late × 3% × 1,200
    act(team.leader, row, "close", report="已履行")
    assert status(row) == "closed"


def test_one_investigator_is_refused(team):
    with pytest.raises(FieldError) as exc:
        open_case(team, [team.a])
    assert exc.value.field == "investigators" and not Case.objects.exists()


def test_an_investigator_with_an_expired_certificate_is_refused(team):
    with pytest.raises(FieldError) as exc:
        open_case(team, [team.a, team.expired])
    assert exc.value.field == "investigators" and not Case.objects.exists()


def test_a_recused_investigator_is_refused_even_after_filing(team):
    row = open_case(team)
    act(team.leader, row, "approve_filing", opinion="同意")
    ConflictDeclaration.objects.create(officer=team.b, kind="shareholding", uscc=VALID_USCC, party_name="东山机械")
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "finish_investigation", report="终结")
    assert exc.value.field == "investigators" and status(row) == "investigating"


def test_legal_review_by_an_investigator_is_refused(team, town):
    both = f.officer("zf_both", town.town, roles=[Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER])
    row = open_case(team, [team.a, both])
    act(team.leader, row, "approve_filing", opinion="同意")
    act(team.a.user, row, "finish_investigation", report="终结")
    with pytest.raises(FieldError) as exc:
        act(both.user, row, "legal_review", opinion="同意")
    assert exc.value.field == "actor"
    assert PenaltyCase.objects.get(pk=row.pk).legal_reviewed_at is None


def test_a_major_case_without_legal_review_cannot_be_decided(team, clock):
    row = noticed(team)
    clock.advance(days=20)  # past the 3 working days of the statement period (the National Day week)
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "decide", penalty="fine", fine="1500", band="grave")
    assert exc.value.field == "action" and status(row) == "notice"


def test_no_decision_before_the_statement_period_ends_unless_waived(team):
    row = noticed(team, fine="150", band="ordinary")
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "decide", penalty="fine", fine="150", band="ordinary")
    assert exc.value.field == "fields.defence_waived"
    act(team.leader, row, "decide", penalty="fine", fine="150", band="ordinary", defence_waived=True)
    assert status(row) == "decided"


def test_a_decision_above_the_prior_notice_after_a_defence_is_refused(team, clock):
    row = noticed(team, fine="150", band="ordinary")
    clock.advance(days=20)  # past the 3 working days of the statement period (the National Day week)
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "decide", penalty="fine", fine="180", band="ordinary", defence="当事人申辩")
    assert exc.value.field == "fields.fine" and status(row) == "notice"


def test_a_fine_outside_the_band_needs_a_written_reason(team, clock):
    row = noticed(team, fine="150", band="ordinary")
    clock.advance(days=20)  # past the 3 working days of the statement period (the National Day week)
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "decide", penalty="fine", fine="30", band="ordinary")
    assert exc.value.field == "fields.outside_band_reason"
    act(team.leader, row, "decide", penalty="fine", fine="30", band="ordinary", outside_band_reason="主动消除危害后果")
    assert status(row) == "decided"


def test_a_hearing_needs_the_right_and_seven_working_days_notice(team, clock):
    row = noticed(team, fine="150", band="ordinary")
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "hold_hearing", requested_on="2025-09-30", hearing_at="2025-12-01")
    assert exc.value.field == "action"
    row = noticed(team)
    too_soon = add_working_days(clock.now.date(), 6)
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "hold_hearing", requested_on="2025-09-30", hearing_at=too_soon.isoformat())
    assert exc.value.field == "fields.hearing_at"


def test_the_late_fee_is_capped_at_the_fine():
    served = datetime.date(2026, 1, 5)
    assert late_fee(fine=Decimal(100), served_on=served, paid_on=served + datetime.timedelta(days=15)) == 0
    assert late_fee(fine=Decimal(100), served_on=served, paid_on=served + datetime.timedelta(days=16)) == 3
    assert late_fee(fine=Decimal(100), served_on=served, paid_on=served + datetime.timedelta(days=200)) == 100


def test_the_api_lists_the_allowed_actions_and_refuses_the_wrong_role(team):
    row = open_case(team)
    client = Client()
    client.force_login(team.a.user)
    url = f"/api/v1/enforcement/cases/{row.case.number}"
    assert client.get(url).json()["actions"] == []
    assert client.post(f"{url}/actions/approve_filing", {"fields": {"opinion": "同意"}},
                       content_type="application/json").status_code == 403
    client.force_login(team.leader)
    assert client.get(url).json()["actions"] == ["approve_filing"]
    body = client.post(f"{url}/actions/approve_filing", {"fields": {"opinion": "同意"}},
                       content_type="application/json").json()
    assert body["status"] == "investigating" and body["party_uscc"] == VALID_USCC
    listed = client.get("/api/v1/enforcement/cases?procedure=general").json()
    assert [c["number"] for c in listed["items"]] == [row.case.number]


def test_the_90_days_are_extended_on_the_leaders_approval(team, clock):
    row = open_case(team)
    act(team.leader, row, "approve_filing", opinion="同意")
    due = Case.objects.get(pk=row.case.pk).deadline_due_at
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "extend", days=30, reason="案情复杂")
    assert exc.value.status == 403
    act(team.leader, row, "extend", days=30, reason="案情复杂")
    stored = Case.objects.get(pk=row.case.pk)
    assert stored.status == "investigating" and stored.deadline_due_at is not None and due is not None
    assert (stored.deadline_due_at.date() - due.date()).days == 30
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "extend", days=-1, reason="x")
    assert exc.value.field == "fields.days"
    with pytest.raises(FieldError) as exc:  # no way around the days check through the process's own key
        act(team.leader, row, "extend_investigating", days=1000, reason="x")
    assert exc.value.field == "action"


def test_evidence_is_hashed_and_only_a_certified_officer_adds_it(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = open_case(team)
    client = Client()
    client.force_login(team.a.user)
    url = f"/api/v1/enforcement/cases/{row.case.number}/evidence"
    body = client.post(url, {"file": SimpleUploadedFile("现场.png", f.PNG), "place": "东山村文化路1号"}).json()
    assert body["sha256"] == hashlib.sha256(f.PNG).hexdigest() and body["name"] == "现场.png @ 东山村文化路1号"
    client.force_login(team.expired.user)
    response = client.post(url, {"file": SimpleUploadedFile("x.png", f.PNG)})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "actor"
