"""An Open311 request followed through the incident loop: what the client sees at each step."""

from __future__ import annotations

import json

import pytest

from zhenwu.grid.models import Incident
from zhenwu.grid.open311.formats import iso
from zhenwu.grid.process import LABELS
from zhenwu.grid.services.steps import incident_dispatch, incident_register, incident_reject
from zhenwu.grid.tests.open311_spec import CREATED, REQUEST, check

pytestmark = pytest.mark.django_db


def seen(world, number: str) -> dict:
    return check(world.get(f"requests/{number}.json"), "json", REQUEST)[0]


def test_dispatch_shows_the_handling_department_and_the_deadline(world, staff):
    number = check(world.report("json"), "json", CREATED)[0]["service_request_id"]
    incident = Incident.objects.get(case__number=number)
    incident = incident_register(actor=staff.dispatcher, incident=incident)
    incident = incident_dispatch(actor=staff.dispatcher, incident=incident, unit=staff.squad)
    found = seen(world, number)
    assert found["status"] == "open" and found["status_notes"] == LABELS["dispatched"]
    assert found["agency_responsible"] == staff.squad.name
    incident.case.refresh_from_db()
    assert incident.case.deadline_due_at is not None
    assert found["expected_datetime"] == iso(incident.case.deadline_due_at)


def test_a_rejected_request_is_closed_and_leaves_the_open_list(world, staff):
    number = check(world.report("json"), "json", CREATED)[0]["service_request_id"]
    incident_reject(actor=staff.dispatcher, incident=Incident.objects.get(case__number=number), reason="重复上报")
    found = seen(world, number)
    assert found["status"] == "closed" and found["status_notes"] == LABELS["rejected"]
    assert number not in world.get("requests.json", status="open").content.decode()
    closed = json.loads(world.get("requests.json", status="closed").content)
    assert [r["service_request_id"] for r in closed] == [number]
