"""一窗受理 → 社会救助: the hall's own application (the applicant's receipt and tracking number) is decided when the
assistance application taken over from it is — approved: 办结 and back to the accepting window for 出件; refused:
不予许可 with the reason; withdrawn: withdrawn. The window's queue and the tracking page show the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.assistance.models import AssistanceApplication
from zhenwu.assistance.tests.test_dibao_flow import act
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.services import tick
from zhenwu.registry.choices import Relation
from zhenwu.registry.tests import factories
from zhenwu.registry.tests.factories import client_for
from zhenwu.services.models import Application
from zhenwu.services.selectors import application_list
from zhenwu.services.services import application_accept, application_deliver
from zhenwu.testing import PNG, VALID_ID, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken_over(town: Any) -> tuple[Any, Application, str, AssistanceApplication, Client]:
    """A 临时救助 filed at the window, accepted there (查询码 issued), taken over by the tick."""
    from zhenwu.services.tests.factories import build_hall, make_item, window_app

    home = factories.household(town.grid_a)
    head = factories.resident(town.grid_a, household=home, name="李明", id_number=VALID_ID, relation=Relation.HEAD)
    home.head = head
    home.save(update_fields=["head"])
    make_item("320000-MZ-0003", name="临时救助")
    hall = build_hall(town)
    app = window_app(hall, code="320000-MZ-0003")
    application_accept(actor=hall.clerk, application=app)
    code = app.new_tracking_code
    assert tick()["assistance_hall_intake"] == 1
    app.refresh_from_db()  # taken over: the hall's case moved (特别程序)
    row = AssistanceApplication.objects.get(hall_number=app.case.number)
    civil = client_for(make_staff("mz", roles=[Role.CIVIL_AFFAIRS], scope=town.town))
    return hall, app, code, row, civil


def _to_confirming(civil: Client, number: str) -> None:
    assert act(civil, number, "accept", 1).status_code == 200
    assert act(civil, number, "check", 2).status_code == 200
    civil.post(f"/api/v1/assistance/applications/{number}/photos", {"file": SimpleUploadedFile("f.png", PNG)})
    surveyed = act(civil, number, "survey", 3, living_conditions="房屋烧毁", findings="属实")
    assert surveyed.json()["status"] == "confirming", surveyed.json()


def _track(number: str, code: str) -> dict[str, Any]:
    response = Client().post("/api/v1/services/track", {"number": number, "code": code},
                             content_type="application/json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_approval_concludes_the_halls_application_and_the_window_hands_it_out(taken_over):
    hall, app, code, row, civil = taken_over
    number = row.case.number
    assert _track(app.case.number, code)["status"] == "special"  # paused while civil affairs decide
    _to_confirming(civil, number)
    assert _track(app.case.number, code)["result"] == ""  # not decided until the assistance decision
    approved = act(civil, number, "approve", 4, amount="3000")
    assert approved.status_code == 200 and approved.json()["status"] == "paying"

    app.refresh_from_db()
    assert (app.case.status, app.result, app.result_reason, app.case.handler) == ("finished", "approved", "",
                                                                                  hall.clerk)
    steps = list(AuditEntry.objects.filter(subject=app.case.number).order_by("seq").values_list("action", "actor"))
    assert steps[-2:] == [("forward_first_review", None), ("approve", None)]  # the system, for the town's decision
    assert number in AuditEntry.objects.filter(subject=app.case.number, action="approve").get().reason
    tracked = _track(app.case.number, code)
    assert (tracked["status"], tracked["result"], tracked["result_reason"]) == ("finished", "approved", "")
    assert app.case.number in [a.case.number for a in application_list(user=hall.clerk, queue="hand_out")]
    application_deliver(actor=hall.clerk, application=app, mode="express", tracking_number="SF1234567890")
    app.refresh_from_db()
    assert app.case.status == "delivered"


def test_a_refusal_denies_the_halls_application_with_the_reason(taken_over):
    hall, app, code, row, civil = taken_over
    number = row.case.number
    _to_confirming(civil, number)
    denied = act(civil, number, "deny", 4, reason="家庭收入超过当地标准")
    assert denied.status_code == 200 and denied.json()["status"] == "denied"
    app.refresh_from_db()
    assert (app.case.status, app.result, app.result_reason) == ("denied", "denied", "家庭收入超过当地标准")
    tracked = _track(app.case.number, code)
    assert (tracked["result"], tracked["result_reason"]) == ("denied", "家庭收入超过当地标准")


def test_not_accepted_by_civil_affairs_is_a_denial_and_a_withdrawal_withdraws(taken_over):
    hall, app, code, row, civil = taken_over
    rejected = act(civil, row.case.number, "reject", 1, reason="不属于本镇户籍")
    assert rejected.json()["status"] == "rejected"
    app.refresh_from_db()
    assert (app.case.status, app.result_reason) == ("denied", "不属于本镇户籍")


def test_a_withdrawal_withdraws_the_halls_application(taken_over):
    hall, app, code, row, civil = taken_over
    withdrawn = act(civil, row.case.number, "withdraw", 1, reason="家属撤回")
    assert withdrawn.json()["status"] == "withdrawn"
    app.refresh_from_db()
    assert (app.case.status, app.result) == ("withdrawn", "")


def test_a_hall_application_decided_meanwhile_is_left_as_it_is(taken_over):
    hall, app, code, row, civil = taken_over
    from zhenwu.services.services import application_withdraw

    application_withdraw(actor=hall.clerk, application=app, reason="窗口撤回")
    _to_confirming(civil, row.case.number)
    assert act(civil, row.case.number, "approve", 4, amount="3000").status_code == 200
    app.refresh_from_db()
    assert (app.case.status, app.result) == ("withdrawn", "")


def test_an_application_filed_by_the_village_worker_has_no_hall_application(people, family):
    from zhenwu.assistance.tests.test_dibao_flow import file_application

    number = file_application(people, family)
    assert act(client_for(people.civil), number, "reject", 1, reason="材料不全").status_code == 200
    assert not Application.objects.exists()


def test_taken_over_the_halls_clock_pauses_until_the_decision_resumes_it(taken_over):
    hall, app, code, row, civil = taken_over
    assert (app.case.status, app.case.paused_at is not None) == ("special", True)  # 特别程序: the clock stops
    assert row.case.number in app.pause_reason
    paused = AuditEntry.objects.get(subject=app.case.number, action="special_pause")
    assert paused.actor is None and row.case.number in paused.reason  # the system, naming the assistance case
    _to_confirming(civil, row.case.number)
    assert act(civil, row.case.number, "approve", 4, amount="3000").status_code == 200
    app.refresh_from_db()
    assert (app.case.status, app.result, app.case.paused_at) == ("finished", "approved", None)
    steps = list(AuditEntry.objects.filter(subject=app.case.number).order_by("seq").values_list("action", flat=True))
    assert steps[-3:] == ["resume", "forward_first_review", "approve"]


def test_a_hall_application_the_window_resumed_meanwhile_is_still_decided(taken_over):
    hall, app, code, row, civil = taken_over
    from zhenwu.services.services import application_request_supplement, application_special_resume

    application_special_resume(actor=hall.clerk, application=app, reason="补充材料")
    application_request_supplement(actor=hall.clerk, application=app, missing=["户口簿"])
    app.refresh_from_db()
    assert app.case.status == "supplement"
    _to_confirming(civil, row.case.number)
    assert act(civil, row.case.number, "approve", 4, amount="3000").status_code == 200
    app.refresh_from_db()
    assert (app.case.status, app.result, app.case.paused_at) == ("finished", "approved", None)


def test_the_applicant_gets_one_sms_for_the_decision_from_the_hall(taken_over):
    """The hall sent the receipt and sends the decision with its 出件; 社会救助 sends nothing of its own."""
    from zhenwu.testing import sms_delivered_to

    hall, app, code, row, civil = taken_over
    resident_mobile = row.applicant.mobile
    before = sms_delivered_to(app.applicant_mobile) + sms_delivered_to(resident_mobile)
    _to_confirming(civil, row.case.number)
    assert act(civil, row.case.number, "approve", 4, amount="3000").status_code == 200
    texts = [t for t in sms_delivered_to(app.applicant_mobile) + sms_delivered_to(resident_mobile) if t not in before]
    assert len(texts) == 1, texts
    assert row.case.number not in texts[0] and app.case.number in texts[0]
