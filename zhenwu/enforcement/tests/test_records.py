"""询问笔录, 现场检查笔录 and 集体讨论记录: made at their step by the right people, or refused with the field
named and nothing written (no record, no number taken)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.enforcement.models import CaseDocument, DocumentCounter, InquiryRecord, InspectionRecord
from zhenwu.enforcement.services.records import inquiry_add
from zhenwu.enforcement.tests import factories as f
from zhenwu.enforcement.tests.case_file import (
    act,
    client_for,
    decided,
    discuss,
    fresh,
    investigating,
    noticed_major,
    open_case,
    post,
    record_input,
    status,
)
from zhenwu.errors import FieldError

QUESTIONS = [{"q": "你是否为该公司负责人？", "a": "是。"}, {"q": "消防通道内物料是谁堆放的？", "a": "公司员工。"}]


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.ENFORCEMENT_MAJOR_FINE_ORGANISATION = 1000
    settings.ENFORCEMENT_HEARING_FINE_ORGANISATION = 1000


def api_body(team, **extra):
    body = {"started_at": "2025-09-30T08:00", "ended_at": "2025-09-30T08:40", "place": "东山村文化路1号",
            "person_name": "王强", "person_role": "representative", "officers": [team.a.pk, team.b.pk],
            "officers_signed_on": "2025-09-30", "person_signed_on": "2025-09-30", "questions": QUESTIONS}
    body.update(extra)
    return body


def test_an_inquiry_record_is_numbered_and_listed(team, clock):
    row = investigating(team)
    client = client_for(team.a.user)
    url = f"/api/v1/enforcement/cases/{row.case.number}/inquiries"
    response = post(client, url, api_body(team))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "综执询字〔2025〕第1号" and body["questions"][1]["a"] == "公司员工。"
    assert len(body["officers"]) == 2 and body["url"].endswith(f"/inquiries/{body['id']}.pdf")
    second = post(client, url, api_body(team, person_name="李四", person_role="witness")).json()
    assert second["number"] == "综执询字〔2025〕第2号"
    assert [r["number"] for r in client.get(url).json()] == [body["number"], second["number"]]


@pytest.mark.parametrize(("extra", "field"), [
    ({"officers": "A"}, "officers"),  # one officer: Art. 42 wants two
    ({"person_role": "boss"}, "person_role"),
    ({"person_signed_on": None}, "person_signed_on"),  # neither signed nor a note why not
    ({"ended_at": "2025-09-30T07:00"}, "ended_at"),
    ({"started_at": "2025-10-30T08:00"}, "started_at"),  # in the future
    ({"questions": []}, "questions"),
    ({"questions": [{"a": "只有回答"}]}, "questions[0].q"),
    ({"person_id_number": "110105194912310021"}, "person_id_number"),  # a bad check digit
])
def test_a_bad_inquiry_is_refused_with_its_field_and_writes_nothing(team, clock, extra, field):
    row = investigating(team)
    if extra.get("officers") == "A":
        extra = {"officers": [team.a.pk]}
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/inquiries",
                    api_body(team, **extra))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    assert not InquiryRecord.objects.exists() and not DocumentCounter.objects.filter(kind="inquiry").exists()


def test_an_officer_with_an_expired_certificate_or_a_conflict_cannot_be_present(team, clock):
    row = investigating(team)
    with pytest.raises(FieldError) as exc:
        inquiry_add(actor=team.a.user, number=row.case.number,
                    data=record_input(team, officers=[team.a.pk, team.expired.pk], questions=QUESTIONS))
    assert exc.value.field == "officers"
    team.c.conflicts.create(kind="shareholding", uscc=row.party_uscc, party_name="东山机械")
    with pytest.raises(FieldError) as exc:
        inquiry_add(actor=team.a.user, number=row.case.number,
                    data=record_input(team, officers=[team.a.pk, team.c.pk], questions=QUESTIONS))
    assert exc.value.field == "officers" and not InquiryRecord.objects.exists()


def test_records_only_during_the_investigation_and_only_by_an_officer(team, clock):
    row = open_case(team)  # waiting for 立案 approval
    url = f"/api/v1/enforcement/cases/{row.case.number}/inquiries"
    response = post(client_for(team.a.user), url, api_body(team))
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "action"
    act(team.leader, row, "approve_filing", opinion="同意")
    assert post(client_for(team.leader), url, api_body(team)).status_code == 403  # a leader asks no questions
    assert post(client_for(team.expired.user), url, api_body(team)).json()["errors"][0]["field"] == "actor"
    assert not InquiryRecord.objects.exists()


def test_an_inspection_record_names_only_evidence_of_the_case(team, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = investigating(team)
    client = client_for(team.a.user)
    base = f"/api/v1/enforcement/cases/{row.case.number}"
    client.post(f"{base}/evidence", {"file": SimpleUploadedFile("现场.png", f.PNG), "place": "消防通道"})
    sha = hashlib.sha256(f.PNG).hexdigest()
    body = {**api_body(team), "findings": "消防通道内堆放木托盘约20个。", "evidence": ["0" * 64]}
    del body["questions"]
    response = post(client, f"{base}/inspections", body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "evidence"
    body["evidence"] = [sha]
    made = post(client, f"{base}/inspections", body).json()
    assert made["number"] == "综执检字〔2025〕第1号" and made["evidence"] == [sha]
    assert InspectionRecord.objects.get().officers.count() == 2


def test_a_refusal_does_not_take_a_number(team, clock):
    row = investigating(team)
    with pytest.raises(FieldError):
        inquiry_add(actor=team.a.user, number=row.case.number,
                    data=record_input(team, officers=[team.a.pk], questions=QUESTIONS))
    made = inquiry_add(actor=team.a.user, number=row.case.number, data=record_input(team, questions=QUESTIONS))
    assert made.document.number.endswith("第1号")


def test_a_major_case_needs_the_collective_discussion_after_the_legal_review(team, clock):
    row = noticed_major(team, clock)
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "decide", penalty="fine", fine="1500", band="grave")
    assert exc.value.field == "collective_discussion" and status(row) == "notice"
    client = client_for(team.a.user)  # an officer does not record the heads' discussion
    url = f"/api/v1/enforcement/cases/{row.case.number}/discussions"
    body = {"held_at": "2025-10-20T09:00", "place": "会议室", "chair": "队长", "participants": ["甲", "乙"],
            "opinions": "同意", "conclusion": "罚款1500元"}
    assert post(client, url, body).status_code == 403
    response = post(client_for(team.leader), url, body)  # two participants: not a collective discussion
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "participants"
    body["participants"] = ["甲", "乙", "丙"]
    assert post(client_for(team.leader), url, body).json()["number"] == "综执讨字〔2025〕第1号"
    row = act(team.leader, row, "decide", penalty="fine", fine="1500", band="grave")
    assert status(row) == "decided" and fresh(row).decision_number == "综执罚决字〔2025〕第1号"


def test_a_discussion_before_the_legal_review_does_not_count(team, clock):
    row = investigating(team)
    act(team.a.user, row, "finish_investigation", report="终结")
    discuss(team, row)  # while reviewing, before the legal review
    clock.advance(minutes=5)
    act(team.legal, row, "legal_review", opinion="同意")
    act(team.a.user, row, "notify", penalty="fine", fine="1500", band="grave")
    clock.advance(days=20)
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "decide", penalty="fine", fine="1500", band="grave")
    assert exc.value.field == "collective_discussion"


def test_a_minor_case_needs_no_discussion(team, clock):
    row = decided(team, clock)
    assert status(row) == "decided" and not CaseDocument.objects.filter(kind="discussion").exists()
