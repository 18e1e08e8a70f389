"""The service hall's case kind: registered once, mapping a case to its application and page."""

import pytest
from django.urls import reverse

from zhenwu.casework.kinds import case_kind, case_pillar, case_url, kind_get
from zhenwu.services.models import Application
from zhenwu.services.tests.factories import window_app


def test_the_hall_registers_its_kind_once():
    kind = kind_get("SQ")
    assert kind is not None and kind.model is Application and kind.own_services_only
    assert kind.owns_process("services:320000-MZ-0001:v1") and str(kind.label)


@pytest.mark.django_db
def test_any_case_of_the_hall_maps_to_its_application_and_page(hall, item, client):
    app = window_app(hall)
    assert case_kind(app.case) is kind_get("SQ")
    assert case_pillar(app.case) == app
    assert case_url(app.case) == reverse("services:case", kwargs={"number": app.case.number})
    client.force_login(hall.clerk)
    seen = client.get(f"/api/v1/casework/cases/{app.case.number}").json()
    assert seen["page_url"] == case_url(app.case) and seen["kind_label"] == "一窗受理办件"
    moved = client.post(f"/api/v1/casework/cases/{app.case.number}/transitions", {"action": "accept"},
                        content_type="application/json")
    assert moved.status_code == 403 and "only through" in moved.json()["errors"][0]["message_en"]
