"""A 低保 application through every step, through the API: filed by the village worker on the family's behalf,
accepted, checked against the imported income data, surveyed with photos, appraised by the village, published
for 7 working days, confirmed, paid, reviewed and finally stopped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.assistance.models import AssistanceApplication, AssistanceFile
from zhenwu.casework.models import AuditEntry
from zhenwu.registry.tests.factories import client_for
from zhenwu.testing import PNG

pytestmark = pytest.mark.django_db


def act(client, number, action, version, **fields):
    return client.post(f"/api/v1/assistance/applications/{number}/actions/{action}",
                       {"fields": fields, "expected_version": version}, content_type="application/json")


def file_application(people, family) -> str:
    response = client_for(people.worker_a).post("/api/v1/assistance/applications", {
        "kind": "dibao", "applicant_id": family.head.pk, "reason": "丈夫重病，妻子照顾，无稳定收入",
        "channel": "proxy", "consent_method": "signed", "consent_by": "张建国"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    return response.json()["number"]


def test_a_dibao_application_goes_through_every_step(clock, people, family):
    number = file_application(people, family)
    civil, worker = client_for(people.civil), client_for(people.worker_a)
    body = civil.get(f"/api/v1/assistance/applications/{number}").json()
    assert (body["status"], body["channel"], [a["key"] for a in body["actions"]]) == (
        "submitted", "proxy", ["accept", "reject", "withdraw"])
    assert number.startswith("JZ-321181102-")

    # other departments' income data: the spouse earns more than the family declared
    civil.post("/api/v1/assistance/income-data", {"provider": "人社局", "rows": [
        {"id_number": family.spouse.id_number, "source": "wages", "monthly_amount": "1800", "year": 2025}]},
        content_type="application/json")
    file_id = body["file_id"]
    civil.post(f"/api/v1/assistance/files/{file_id}/incomes",
               {"source": "wages", "monthly_amount": "600", "member_id": family.spouse.pk},
               content_type="application/json")

    assert act(civil, number, "accept", 1).json()["status"] == "checking"
    checked = act(civil, number, "check", 2).json()
    assert checked["status"] == "surveying"
    assert checked["check_result"]["flags"] == [{"member": "李秀英", "flag": "income_higher_than_declared",
                                                 "declared": "600.00", "imported": "1800.00"}]
    assert checked["check_result"]["per_capita_monthly"] == "600.00"  # 1800 / 3

    refused = act(worker, number, "survey", 3, living_conditions="两间平房", findings="属实")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "photos"
    photo = worker.post(f"/api/v1/assistance/applications/{number}/photos",
                        {"file": SimpleUploadedFile("home.png", PNG)})
    assert photo.status_code == 201
    surveyed = act(worker, number, "survey", 3, living_conditions="两间平房，家具简陋", findings="收入以妻子打零工为主",
                   needs=[{"kind": "medical", "description": "丈夫需长期透析"}])
    assert surveyed.status_code == 200, surveyed.json()
    assert surveyed.json()["status"] == "appraisal"
    head = worker.post(f"/api/v1/assistance/files/{file_id}/members/{family.head.pk}",
                       {"work_capacity": "none", "health": "serious", "disability_grade": 2},
                       content_type="application/json")
    grades = {m["resident_id"]: m["disability_grade"] for m in head.json()["members"]}
    assert grades == {family.head.pk: 2, family.spouse.pk: 0, family.child.pk: 0}

    few = act(worker, number, "appraise", 4, held_on="2025-09-30", participants=3, votes_for=3, votes_against=0,
              amount="1500")
    assert few.status_code == 400 and few.json()["errors"][0]["field"] == "fields.participants"
    appraised = act(worker, number, "appraise", 4, held_on="2025-09-30", participants=9, votes_for=8,
                    votes_against=1, amount="1500", minutes="同意纳入")
    assert appraised.json()["status"] == "publicity"
    # 7 working days after Tuesday 30 September 2025: not the National Day holiday (1-8 October), but the
    # Saturday 11 October worked in its place
    assert appraised.json()["publicity_until"] == "2025-10-16"
    public = client_for(people.clerk).get("/api/v1/assistance/publicity").json()
    assert public == [{"name": "张建国", "village": "东山村", "amount": "1500.00", "until": "2025-10-16"}]

    early = act(civil, number, "close_publicity", 5)
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "action"
    clock.advance(days=17)
    civil, worker = client_for(people.civil), client_for(people.worker_a)  # the sessions idled out meanwhile
    assert act(civil, number, "close_publicity", 5, objections="").json()["status"] == "confirming"
    assert act(worker, number, "approve", 6, amount="1500").status_code == 403  # confirmation is the town's
    approved = act(civil, number, "approve", 6, amount="1450")
    assert approved.json()["status"] == "paying" and approved.json()["amount"] == "1450.00"
    file = AssistanceFile.objects.get(pk=file_id)
    assert (file.status, file.status_since) == ("dibao", dt.date(2025, 10, 17))

    assert act(civil, number, "pay", 7, paid_from="2025-11-01").json()["status"] == "granted"
    file.refresh_from_db()
    assert file.next_review_on == dt.date(2026, 5, 1)  # every six months: the spouse can work (unstable income)

    assert act(civil, number, "review_start", 8).json()["status"] == "reviewing"
    member = civil.post(f"/api/v1/assistance/files/{file_id}/members/{family.spouse.pk}",
                        {"work_capacity": "partial", "health": "chronic"}, content_type="application/json")
    assert member.status_code == 200
    kept = act(civil, number, "review_continue", 9, findings="妻子腰伤，只能做半天", amount="1450")
    assert kept.json()["status"] == "granted" and kept.json()["reviews"][0]["outcome"] == "review_continue"
    file.refresh_from_db()
    assert file.next_review_on == dt.date(2026, 10, 17)  # yearly now: nobody of working age can work full-time
    act(civil, number, "review_start", 10)
    stopped = act(civil, number, "review_stop", 11, reason="妻子稳定就业，收入超过标准")
    assert stopped.json()["status"] == "stopped" and stopped.json()["actions"] == []
    file.refresh_from_db()
    assert file.status == "none" and [c.new for c in file.status_changes.all()] == ["dibao", "none"]
    steps = list(AuditEntry.objects.filter(subject=number).order_by("seq").values_list("action", flat=True))
    assert steps == ["create", "accept", "check", "attachment_add", "survey", "appraise", "close_publicity", "approve",
                     "pay",
                     "review_start", "review_continue", "review_start", "review_stop"]


def test_the_household_cannot_apply_twice_for_what_it_receives_or_awaits(clock, people, family):
    number = file_application(people, family)
    again = client_for(people.civil).post("/api/v1/assistance/applications", {
        "kind": "dibao", "applicant_id": family.spouse.pk, "reason": "再次申请", "channel": "window"},
        content_type="application/json")
    assert again.status_code == 400 and again.json()["errors"][0]["field"] == "kind"
    row = AssistanceApplication.objects.get(case__number=number)
    row.case.status = "granted"
    row.case.save(update_fields=["status"])
    again = client_for(people.civil).post("/api/v1/assistance/applications", {
        "kind": "dibao", "applicant_id": family.spouse.pk, "reason": "再次申请", "channel": "window"},
        content_type="application/json")
    assert again.json()["errors"][0]["message_en"] == "This household already receives this kind of assistance."
    other = client_for(people.civil).post("/api/v1/assistance/applications", {
        "kind": "temporary", "applicant_id": family.spouse.pk, "reason": "突发火灾", "channel": "window"},
        content_type="application/json")
    assert other.status_code == 201 and other.json()["status"] == "submitted"


def test_a_stale_version_is_a_conflict_and_changes_nothing(clock, people, family):
    number = file_application(people, family)
    civil = client_for(people.civil)
    assert act(civil, number, "accept", 1).status_code == 200
    stale = act(civil, number, "check", 1)
    assert stale.status_code == 409
    assert civil.get(f"/api/v1/assistance/applications/{number}").json()["status"] == "checking"


def test_a_short_review_has_no_appraisal_and_no_publicity(clock, people, family):
    civil = client_for(people.civil)
    response = civil.post("/api/v1/assistance/applications", {
        "kind": "temporary", "applicant_id": family.head.pk, "reason": "房屋失火", "channel": "window"},
        content_type="application/json")
    number = response.json()["number"]
    act(civil, number, "accept", 1)
    act(civil, number, "check", 2)
    civil.post(f"/api/v1/assistance/applications/{number}/photos", {"file": SimpleUploadedFile("f.png", PNG)})
    surveyed = act(civil, number, "survey", 3, living_conditions="房屋烧毁", findings="属实")
    assert surveyed.json()["status"] == "confirming"
    assert act(civil, number, "approve", 4, amount="3000").json()["status"] == "paying"
    assert act(civil, number, "pay", 5, paid_from="2025-10-09").json()["status"] == "paid"
    assert AssistanceFile.objects.get(household=family.home).status == "temporary"


def test_the_village_worker_may_not_accept_and_grid_b_not_even_see(clock, people, family):
    number = file_application(people, family)
    assert act(client_for(people.worker_a), number, "accept", 1).status_code == 403
    assert act(client_for(people.worker_b), number, "accept", 1).status_code == 404
    assert act(client_for(people.clerk), number, "accept", 1).status_code == 404
    assert client_for(people.civil).get(f"/api/v1/assistance/applications/{number}").json()["version"] == 1
