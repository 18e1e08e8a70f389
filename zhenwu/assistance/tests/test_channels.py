"""The three channels: the family online (citizen portal), the window (一窗受理: a hall application of an
assistance item, taken over once accepted — by the tick or by civil affairs), the village worker on the family's
behalf (with consent)."""

from __future__ import annotations

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.assistance.models import AssistanceApplication
from zhenwu.assistance.services.applications import hall_intake
from zhenwu.casework.services import tick
from zhenwu.registry.choices import Relation
from zhenwu.registry.tests import factories
from zhenwu.registry.tests.factories import client_for
from zhenwu.testing import VALID_ID, make_citizen, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(town):
    """A household of grid A whose head holds the ID number of the test citizen account."""
    household = factories.household(town.grid_a)
    head = factories.resident(town.grid_a, household=household, name="李明", id_number=VALID_ID, relation=Relation.HEAD)
    household.head = head
    household.save(update_fields=["head"])
    return household


def test_the_family_applies_online_and_sees_only_its_own(town, home):
    citizen = make_citizen()
    client = client_for(citizen)
    response = client.post("/api/v1/assistance/me/applications", {"kind": "dibao", "reason": "失业无收入"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "submitted"
    number = response.json()["number"]
    row = AssistanceApplication.objects.get(case__number=number)
    assert (row.channel, row.applicant.id_number, row.file.household) == ("online", VALID_ID, home)
    assert [a["number"] for a in client.get("/api/v1/assistance/me/applications").json()] == [number]
    assert client.get(f"/api/v1/assistance/applications/{number}").status_code == 404  # the staff view: not theirs
    assert client.get(f"/api/v1/assistance/files/{row.file_id}").status_code == 404
    other = make_citizen("citizen2", mobile="13900001111", id_number=factories.id_number("19800101"))
    assert client_for(other).get("/api/v1/assistance/me/applications").json() == []
    refused = client_for(other).post("/api/v1/assistance/me/applications", {"kind": "dibao", "reason": "x"},
                                     content_type="application/json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "applicant"
    withdrawn = client.post(f"/api/v1/assistance/me/applications/{number}/withdraw",
                            {"fields": {"reason": "已找到工作"}}, content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_a_window_application_of_an_assistance_item_becomes_an_assistance_application(town, home):
    from zhenwu.services.services import application_accept
    from zhenwu.services.tests.factories import build_hall, make_item, window_app

    make_item("320000-MZ-0001")
    hall = build_hall(town)
    civil = make_staff("mz", roles=[Role.CIVIL_AFFAIRS], scope=town.town)
    app = window_app(hall)
    assert hall_intake() == 0  # not accepted yet
    taken = client_for(civil).post("/api/v1/assistance/applications/from-hall", {"hall_number": app.case.number},
                                   content_type="application/json")
    assert taken.status_code == 400 and taken.json()["errors"][0]["field"] == "hall_number"
    application_accept(actor=hall.clerk, application=app)
    assert tick()["assistance_hall_intake"] == 1
    row = AssistanceApplication.objects.get(hall_number=app.case.number)
    assert (row.channel, row.kind, row.file.household, row.case.status) == ("window", "dibao", home, "submitted")
    assert hall_intake() == 0  # once only
    again = client_for(civil).post("/api/v1/assistance/applications/from-hall", {"hall_number": app.case.number},
                                   content_type="application/json")
    assert again.status_code == 201 and again.json()["number"] == row.case.number
    clerk = client_for(hall.clerk).post("/api/v1/assistance/applications/from-hall",
                                        {"hall_number": app.case.number}, content_type="application/json")
    assert clerk.status_code == 403  # the window's clerk hands over, but never reads the file


def test_a_hall_application_of_another_item_is_not_taken_over(town, home):
    from zhenwu.services.services import application_accept
    from zhenwu.services.tests.factories import build_hall, make_item, window_app

    make_item("320000-MZ-0007")
    hall = build_hall(town)
    app = window_app(hall, code="320000-MZ-0007")
    application_accept(actor=hall.clerk, application=app)
    civil = make_staff("mz", roles=[Role.CIVIL_AFFAIRS], scope=town.town)
    assert hall_intake() == 0
    refused = client_for(civil).post("/api/v1/assistance/applications/from-hall", {"hall_number": app.case.number},
                                     content_type="application/json")
    assert refused.status_code == 400


def test_on_the_familys_behalf_needs_its_consent(people, family):
    body = {"kind": "dibao", "applicant_id": family.head.pk, "reason": "因病致贫", "channel": "proxy"}
    refused = client_for(people.worker_a).post("/api/v1/assistance/applications", body,
                                               content_type="application/json")
    assert refused.status_code == 400
    assert sorted(e["field"] for e in refused.json()["errors"]) == ["consent_by", "consent_method"]
    assert not AssistanceApplication.objects.exists()
    other_grid = client_for(people.worker_b).post("/api/v1/assistance/applications", {
        **body, "consent_method": "signed", "consent_by": "张建国"}, content_type="application/json")
    assert other_grid.status_code == 404
    clerk = client_for(people.clerk).post("/api/v1/assistance/applications", {
        **body, "consent_method": "signed", "consent_by": "张建国"}, content_type="application/json")
    assert clerk.status_code == 404  # a window clerk sees no file, so no household to file for either
