"""The case file on the staff pages: 询问笔录, 现场检查笔录, 集体讨论记录 and 听证笔录 made through their forms, the
payment plan, the demand and the court asked through the case page's steps. Each: saved and listed with its
PDF; bad input shown again with the message and nothing written; the wrong person 403 or 404."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from zhenwu.casework.models import AuditEntry
from zhenwu.enforcement.guards import add_working_days
from zhenwu.enforcement.models import (
    CaseDocument,
    CollectiveDiscussion,
    HearingRecord,
    InquiryRecord,
    InspectionRecord,
    PaymentPlan,
)
from zhenwu.enforcement.services.cases import evidence_add
from zhenwu.enforcement.tests import factories as f
from zhenwu.enforcement.tests.case_file import (
    act,
    client_for,
    investigating,
    noticed_major,
    pdf_text,
    served,
    status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.ENFORCEMENT_MAJOR_FINE_ORGANISATION = 1000
    settings.ENFORCEMENT_HEARING_FINE_ORGANISATION = 1000


def url(row: Any, kind: str) -> str:
    return f"/enforcement/cases/{row.case.number}/records/{kind}/"


def record_form(team: Any, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"started_at": "2025-09-30T08:00", "ended_at": "2025-09-30T08:40",
                            "place": "东山村文化路1号", "person_name": "王强", "person_role": "representative",
                            "officers": [str(team.a.pk), str(team.b.pk)], "officers_signed_on": "2025-09-30",
                            "person_signed_on": "2025-09-30"}
    body.update(extra)
    return body


QUESTIONS = "问：你是否为该公司负责人？\n答：是。\n问：消防通道内物料是谁堆放的？\n答：公司员工。"


def text(response: Any) -> str:
    return str(response.content.decode())


# ---------------------------------------------------------------- 询问笔录

def test_an_officer_adds_an_inquiry_record_and_it_is_listed_with_its_pdf(team, clock):
    row = investigating(team)
    client = client_for(team.a.user)
    page = client.get(url(row, "inquiries"))
    assert page.status_code == 200 and 'id="record-form"' in text(page)
    case_page = text(client.get(f"/enforcement/cases/{row.case.number}/"))
    assert 'id="records-inquiries"' in case_page and 'class="add-record"' in case_page
    response = client.post(url(row, "inquiries"), record_form(team, questions=QUESTIONS))
    assert response.status_code == 302, text(response)
    record = InquiryRecord.objects.get()
    assert record.questions == [{"q": "你是否为该公司负责人？", "a": "是。"},
                                {"q": "消防通道内物料是谁堆放的？", "a": "公司员工。"}]
    assert {o.pk for o in record.officers.all()} == {team.a.pk, team.b.pk}
    listed = text(client.get(url(row, "inquiries")))
    assert record.document.number in listed and f"/inquiries/{record.pk}.pdf" in listed
    assert AuditEntry.objects.filter(subject=row.case.number, action="inquiry_record").count() == 1
    timeline = text(client.get(f"/enforcement/cases/{row.case.number}/"))
    assert "制作询问笔录" in timeline  # the record on the case's timeline, by name


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"questions": ""}, "questions", "此字段为必填项。"),
    ({"questions": "你是谁？"}, "questions", "问："),  # not a question line
    ({"started_at": "昨天"}, "started_at", "YYYY-MM-DDTHH:MM"),
    ({"officers": [], "questions": QUESTIONS}, "officers", "此字段为必填项。"),
])
def test_a_bad_inquiry_is_shown_again_with_its_error_and_nothing_written(team, clock, change, field, message):
    row = investigating(team)
    response = client_for(team.a.user).post(url(row, "inquiries"), record_form(team, **{"questions": QUESTIONS,
                                                                                         **change}))
    body = text(response)
    assert response.status_code == 400 and message in body
    assert f'field-{field}' in body and "王强" in body  # the typed values are kept
    assert not InquiryRecord.objects.exists() and not CaseDocument.objects.filter(kind="inquiry").exists()


def test_the_services_refusal_lands_on_its_field(team, clock):
    """One officer is not enough (Art. 42): the service says so on ``officers``; no number is taken."""
    row = investigating(team)
    response = client_for(team.a.user).post(url(row, "inquiries"), record_form(
        team, officers=[str(team.a.pk)], questions=QUESTIONS))
    assert response.status_code == 400 and "至少" in text(response)
    assert not InquiryRecord.objects.exists() and not CaseDocument.objects.filter(kind="inquiry").exists()
    unsigned = client_for(team.a.user).post(url(row, "inquiries"), record_form(
        team, person_signed_on="", questions=QUESTIONS))
    assert unsigned.status_code == 400 and "field-person_signed_on" in text(unsigned)
    assert not InquiryRecord.objects.exists()


# ---------------------------------------------------------------- 现场检查笔录

def test_an_inspection_record_names_the_evidence_taken_there(team, clock, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = investigating(team)
    link = evidence_add(actor=team.a.user, number=row.case.number, data=f.PNG, name="现场.png")
    client = client_for(team.a.user)
    assert link.attachment.sha256[:12] in text(client.get(url(row, "inspections")))
    bad = client.post(url(row, "inspections"), record_form(team, findings="", evidence=[link.attachment.sha256]))
    assert bad.status_code == 400 and not InspectionRecord.objects.exists()
    unknown = client.post(url(row, "inspections"), record_form(team, findings="物料堆放", evidence=["0" * 64]))
    assert unknown.status_code == 400 and "field-evidence" in text(unknown) and not InspectionRecord.objects.exists()
    response = client.post(url(row, "inspections"), record_form(team, findings="消防通道内堆放物料约3立方米",
                                                                  evidence=[link.attachment.sha256]))
    assert response.status_code == 302, text(response)
    record = InspectionRecord.objects.get()
    assert record.evidence == [link.attachment.sha256] and record.findings.startswith("消防通道")
    pdf = client.get(f"/api/v1/enforcement/cases/{row.case.number}/inspections/{record.pk}.pdf")
    assert pdf.status_code == 200 and link.attachment.sha256 in pdf_text(pdf.content)


def test_records_of_the_investigation_are_not_made_after_it(team, clock):
    row = noticed_major(team, clock)
    client = client_for(team.a.user)
    page = client.get(url(row, "inquiries"))
    assert page.status_code == 200 and 'id="record-form"' not in text(page) and 'id="record-when"' in text(page)
    response = client.post(url(row, "inquiries"), record_form(team, questions=QUESTIONS))
    assert response.status_code == 403 and not InquiryRecord.objects.exists()


# ---------------------------------------------------------------- 集体讨论记录

DISCUSSION = {"held_at": "2025-10-20T09:00", "place": "队部会议室", "chair": "赵局长", "participants": "甲、乙、丙",
              "opinions": "事实清楚，同意处罚", "conclusion": "按事先告知处罚"}


def test_a_leader_records_the_collective_discussion(team, clock):
    row = noticed_major(team, clock)
    leader = client_for(team.leader)
    assert 'id="record-form"' in text(leader.get(url(row, "discussions")))
    too_few = leader.post(url(row, "discussions"), {**DISCUSSION, "participants": "甲、乙"})
    assert too_few.status_code == 400 and "field-participants" in text(too_few)
    assert not CollectiveDiscussion.objects.exists()
    response = leader.post(url(row, "discussions"), DISCUSSION)
    assert response.status_code == 302, text(response)
    record = CollectiveDiscussion.objects.get()
    assert record.participants == ["甲", "乙", "丙"] and record.chair == "赵局长"
    assert f"/discussions/{record.pk}.pdf" in text(leader.get(url(row, "discussions")))


def test_an_officer_may_not_record_the_discussion(team, clock):
    row = noticed_major(team, clock)
    officer = client_for(team.a.user)
    assert 'id="record-form"' not in text(officer.get(url(row, "discussions")))
    assert officer.post(url(row, "discussions"), DISCUSSION).status_code == 403
    assert not CollectiveDiscussion.objects.exists()


# ---------------------------------------------------------------- 听证笔录

def in_hearing(team: Any, clock: Any) -> Any:
    row = investigating(team)
    act(team.a.user, row, "finish_investigation", report="事实清楚")
    act(team.legal, row, "legal_review", opinion="同意")
    act(team.a.user, row, "notify", penalty="fine", fine="1500", band="grave")
    hearing_at = add_working_days(clock.now.date(), 7)
    act(team.a.user, row, "hold_hearing", requested_on=clock.now.date().isoformat(),
        hearing_at=hearing_at.isoformat(), place="队部听证室")
    clock.advance(days=12)
    return row


def hearing_form(host: Any, **extra: Any) -> dict[str, Any]:
    body = {"held_at": "2025-10-11T09:00", "place": "队部听证室", "host": str(host.pk),
            "participants": "王强（委托代理人）\nzf_a\nzf_b", "investigators_case": "占用消防通道，拟罚款1500元",
            "party_statement": "已自行清理，请求从轻", "conclusion": "建议维持拟处罚"}
    body.update(extra)
    return body


def test_the_hearing_is_recorded_with_a_host_who_did_not_investigate(team, clock):
    row = in_hearing(team, clock)
    assert status(row) == "hearing"
    client = client_for(team.a.user)
    page = text(client.get(url(row, "hearings")))
    assert 'id="record-form"' in page and f'value="{team.legal.pk}"' in page
    assert f'value="{team.a.user.pk}"' not in page  # investigators are not offered as the host
    investigator = client.post(url(row, "hearings"), hearing_form(team.b.user))
    assert investigator.status_code == 400 and not HearingRecord.objects.exists()  # not a choice of the form
    empty = client.post(url(row, "hearings"), hearing_form(team.legal, party_statement="", conclusion=""))
    assert empty.status_code == 400 and "此字段为必填项。" in text(empty) and not HearingRecord.objects.exists()
    response = client.post(url(row, "hearings"), hearing_form(team.legal))
    assert response.status_code == 302, text(response)
    record = HearingRecord.objects.get()
    assert record.host == team.legal and record.participants == ["王强（委托代理人）", "zf_a", "zf_b"]
    assert record.document.number == "综执听笔字〔2025〕第1号"
    listed = text(client.get(url(row, "hearings")))
    assert f"/api/v1/enforcement/cases/{row.case.number}/hearings/{record.pk}.pdf" in listed
    pdf = client.get(f"/api/v1/enforcement/cases/{row.case.number}/hearings/{record.pk}.pdf")
    assert pdf.status_code == 200 and "已自行清理" in pdf_text(pdf.content) and "听证笔录" in pdf_text(pdf.content)
    api = client.get(f"/api/v1/enforcement/cases/{row.case.number}/hearings").json()
    assert [r["number"] for r in api] == [record.document.number]
    assert "听证笔录" in text(client.get(f"/enforcement/cases/{row.case.number}/"))  # among the documents
    archive: Any = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}/archive.zip")
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    at = {n.split("-", 1)[1].split("-")[0]: i for i, n in enumerate(names) if "-" in n}
    assert at["听证通知书"] < at["听证笔录"]  # in the case file after the notice of the hearing


def test_the_service_refuses_an_investigator_as_host(team, clock):
    from zhenwu.enforcement.services.records import HearingInput, hearing_add
    from zhenwu.errors import FieldError

    row = in_hearing(team, clock)
    with pytest.raises(FieldError) as exc:
        hearing_add(actor=team.a.user, number=row.case.number, data=HearingInput(
            held_at="2025-10-11T09:00", place="队部", host=team.b.user.pk, participants=["王强"],
            party_statement="无", investigators_case="拟罚款", conclusion="维持"))
    assert exc.value.field == "host" and not HearingRecord.objects.exists()


def test_no_hearing_record_outside_the_hearing(team, clock):
    row = investigating(team)
    client = client_for(team.a.user)
    assert 'id="record-form"' not in text(client.get(url(row, "hearings")))
    assert client.post(url(row, "hearings"), hearing_form(team.legal)).status_code == 403
    assert not HearingRecord.objects.exists()


def _hearing_input(team: Any) -> Any:
    from zhenwu.enforcement.services.records import HearingInput

    return HearingInput(held_at="2025-10-11T09:00", place="队部听证室", host=team.legal.pk, participants=["王强"],
                        party_statement="请求从轻", investigators_case="拟罚款1500元", conclusion="维持")


def test_the_hearing_record_is_written_up_after_the_hearing_until_the_decision(team, clock):
    from zhenwu.enforcement.services.records import hearing_add
    from zhenwu.enforcement.tests.case_file import discuss
    from zhenwu.errors import FieldError

    row = in_hearing(team, clock)
    act(team.leader, row, "resume")  # the leader ends the hearing: back to 告知, not decided
    assert status(row) == "notice"
    client = client_for(team.a.user)
    page = text(client.get(url(row, "hearings")))
    assert 'id="record-form"' in page
    response = client.post(url(row, "hearings"), hearing_form(team.legal))
    assert response.status_code == 302, text(response)
    assert HearingRecord.objects.get().document.number == "综执听笔字〔2025〕第1号"
    act(team.legal, row, "legal_review_after_hearing", opinion="同意")
    discuss(team, row)
    act(team.leader, row, "decide", penalty="fine", fine="1500", band="grave", defence="已陈述申辩")
    assert status(row) == "decided"
    assert 'id="record-form"' not in text(client.get(url(row, "hearings")))
    assert client.post(url(row, "hearings"), hearing_form(team.legal)).status_code == 403
    with pytest.raises(FieldError) as exc:
        hearing_add(actor=team.a.user, number=row.case.number, data=_hearing_input(team))
    assert exc.value.field == "action"
    message = exc.value.errors[0][1]
    assert "处罚决定已作出" in str(message) and "before the decision" in message.render("en")  # type: ignore[attr-defined]
    assert HearingRecord.objects.count() == 1


def test_no_hearing_record_on_a_case_without_a_hearing(team, clock):
    from zhenwu.enforcement.services.records import hearing_add
    from zhenwu.errors import FieldError

    row = noticed_major(team, clock)  # at 告知, the hearing never held
    client = client_for(team.a.user)
    assert 'id="record-form"' not in text(client.get(url(row, "hearings")))
    assert client.post(url(row, "hearings"), hearing_form(team.legal)).status_code == 403
    with pytest.raises(FieldError) as exc:
        hearing_add(actor=team.a.user, number=row.case.number, data=_hearing_input(team))
    assert exc.value.field == "action" and "未举行听证" in str(exc.value.errors[0][1])
    assert not HearingRecord.objects.exists() and not CaseDocument.objects.filter(kind="hearing_record").exists()


# ---------------------------------------------------------------- who may open the pages

def test_the_record_pages_are_403_without_a_case_role_and_404_outside_the_scope(team, clock, personas):
    from zhenwu.areas.models import Area

    row = investigating(team)
    far = f.officer("zf_far", Area.objects.get(code="321181102202"))  # village B
    for kind in ("inquiries", "inspections", "discussions", "hearings"):
        assert client_for(personas.town_staff).get(url(row, kind)).status_code == 403
        assert client_for(personas.citizen).get(url(row, kind)).status_code == 404
        assert client_for(far.user).get(url(row, kind)).status_code == 404
        assert client_for(far.user).post(url(row, kind), record_form(team, questions=QUESTIONS)).status_code == 404
    assert client_for(team.a.user).get(url(row, "nonsense")).status_code == 404
    assert client_for(team.a.user).get("/enforcement/cases/no-such/records/inquiries/").status_code == 404
    assert not InquiryRecord.objects.exists()


def test_the_forms_carry_the_csrf_token(team, clock):
    from django.test import Client

    row = investigating(team)
    client = Client(enforce_csrf_checks=True)
    client.force_login(team.a.user)
    assert "csrfmiddlewaretoken" in text(client.get(url(row, "inquiries")))
    assert client.post(url(row, "inquiries"), record_form(team, questions=QUESTIONS)).status_code == 403
    assert not InquiryRecord.objects.exists()


# ---------------------------------------------------------------- payment plan, demand, court

def step(row: Any, action: str) -> str:
    return f"/enforcement/cases/{row.case.number}/act/{action}/"


def test_instalments_are_asked_for_on_the_case_page_and_approved_by_the_leader(team, clock):
    row = served(team, clock, fine="150")
    officer, leader = client_for(team.a.user), client_for(team.leader)
    page = text(officer.get(f"/enforcement/cases/{row.case.number}/"))
    assert 'data-action="request_payment_plan"' in page and 'name="instalments"' in page
    wrong = officer.post(step(row, "request_payment_plan"), {
        "kind": "instalments", "reason": "经营困难", "instalments": "2025-10-20 50\n2025-11-20 50"})
    assert wrong.status_code == 400 and "150" in text(wrong) and "2025-11-20 50" in text(wrong)
    assert not PaymentPlan.objects.exists() and status(row) == "served"
    no_until = officer.post(step(row, "request_payment_plan"), {"kind": "deferral", "reason": "经营困难"})
    assert no_until.status_code == 400 and not PaymentPlan.objects.exists()
    ok = officer.post(step(row, "request_payment_plan"), {
        "kind": "instalments", "reason": "经营困难", "instalments": "2025-10-20 75\n2025-11-20 75"})
    assert ok.status_code == 302 and status(row) == "plan_review"
    plan = PaymentPlan.objects.get()
    assert [(str(i.due_on), i.amount) for i in plan.instalments.all()] == [("2025-10-20", 75), ("2025-11-20", 75)]
    assert officer.post(step(row, "approve_payment_plan"), {"opinion": "同意"}).status_code == 403
    assert status(row) == "plan_review"
    assert leader.post(step(row, "approve_payment_plan"), {"opinion": "同意分期"}).status_code == 302
    assert status(row) == "on_plan"
    page = text(officer.get(f"/enforcement/cases/{row.case.number}/"))
    assert 'id="payment-plans"' in page and "同意分期" in page and 'data-action="pay_instalment"' in page


def test_a_demand_and_the_court_application_from_the_case_page(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=20)  # the 15 days to pay are over
    officer, leader = client_for(team.a.user), client_for(team.leader)
    page = text(officer.get(f"/enforcement/cases/{row.case.number}/"))
    assert 'data-action="demand"' in page
    future = officer.post(step(row, "demand"), {"served_on": "2030-01-01"})
    assert future.status_code == 400 and status(row) == "served"
    assert officer.post(step(row, "demand"), {"served_on": clock.now.date().isoformat()}).status_code == 302
    assert status(row) == "demanded"
    court = text(leader.get(f"/enforcement/cases/{row.case.number}/"))
    assert 'data-action="apply_court"' in court and 'name="court"' in court
    assert officer.post(step(row, "apply_court"), {"court": "丹阳市人民法院"}).status_code == 403


# ---------------------------------------------------------------- reconsideration or lawsuit

def test_the_remedy_steps_have_their_own_fields_on_the_case_page(team, clock):
    from zhenwu.enforcement.models import Remedy

    row = served(team, clock, fine="150")
    officer, leader = client_for(team.a.user), client_for(team.leader)
    page = text(officer.get(f"/enforcement/cases/{row.case.number}/"))
    assert 'data-action="file_remedy"' in page
    form = page.split('data-action="file_remedy"')[1].split("</form>")[0]
    for snippet in ('name="kind"', 'value="reconsideration" selected', "行政复议", "行政诉讼", 'name="body"',
                    'name="filed_on"', "复议或诉讼", "复议机关或人民法院", "提出日期"):
        assert snippet in form, snippet
    assert 'name="reason"' not in form  # not the generic step form
    no_body = officer.post(step(row, "file_remedy"), {"kind": "lawsuit", "body": " ", "filed_on": "2025-09-30"})
    assert no_body.status_code == 400 and "请填写复议机关或受理法院。" in text(no_body)
    assert 'value="lawsuit" selected' in text(no_body)  # what was typed comes back
    future = officer.post(step(row, "file_remedy"), {"kind": "reconsideration", "body": "丹阳市人民政府",
                                                     "filed_on": "2030-01-01"})
    shown = text(future)
    assert future.status_code == 400 and "申请复议或提起诉讼的日期应在2025-09-30" in shown
    assert "丹阳市人民政府" in shown and 'class="action-form' in shown and " bound" in shown
    assert status(row) == "served" and not Remedy.objects.exists()
    ok = officer.post(step(row, "file_remedy"), {"kind": "reconsideration", "body": "丹阳市人民政府",
                                                 "filed_on": "2025-09-30"})
    assert ok.status_code == 302 and status(row) == "remedy"
    assert 'data-action="resume"' not in text(officer.get(f"/enforcement/cases/{row.case.number}/"))  # the leader's

    page = text(leader.get(f"/enforcement/cases/{row.case.number}/"))
    form = page.split('data-action="resume"')[1].split("</form>")[0]
    for snippet in ('name="ended_on"', 'name="outcome"', "维持原决定", "变更原决定", 'name="fine"', "终结日期", "结果",
                    "变更后的罚款（元）"):
        assert snippet in form, snippet
    heavier = leader.post(step(row, "resume"), {"ended_on": "2025-09-30", "outcome": "changed", "fine": "200"})
    assert heavier.status_code == 400 and "变更后的罚款不得超过原决定的150.00元。" in text(heavier)
    no_outcome = leader.post(step(row, "resume"), {"ended_on": "2025-09-30"})
    assert no_outcome.status_code == 400 and "请选择结果：维持、撤销或变更。" in text(no_outcome)
    remedy = Remedy.objects.get()
    assert status(row) == "remedy" and remedy.ended_on is None and remedy.outcome == ""
    assert str(type(row).objects.get(pk=row.pk).fine) == "150.00"
    ok = leader.post(step(row, "resume"), {"ended_on": "2025-09-30", "outcome": "changed", "fine": "100"})
    assert ok.status_code == 302 and status(row) == "served"
    remedy.refresh_from_db()
    assert (remedy.outcome, str(remedy.fine_before), str(type(row).objects.get(pk=row.pk).fine)) == (
        "changed", "150.00", "100.00")
