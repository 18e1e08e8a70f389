"""The detail's actions and the services agree: for several users and states, every action listed is
accepted by its service, and every action not listed is refused (each try rolled back)."""

from __future__ import annotations

import pytest
from django.db import transaction

from zhenwu.accounts.choices import Role
from zhenwu.errors import FieldError
from zhenwu.grid.api import _step
from zhenwu.grid.models import Incident
from zhenwu.grid.schemas import IncidentActionIn
from zhenwu.grid.selectors import ACTION_FIELDS, incident_actions
from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import GridStaff, jpeg, report
from zhenwu.testing import Personas, make_staff

pytestmark = pytest.mark.django_db
PHOTO = [("p.jpg", jpeg("green"))]


class Rollback(Exception):
    pass


def accepted(user, incident: Incident, action: str, data: IncidentActionIn) -> bool:
    try:
        with transaction.atomic():
            _step(user, Incident.objects.select_related("case").get(pk=incident.pk), action, data, PHOTO, "")
            raise Rollback
    except Rollback:
        return True
    except FieldError as exc:  # 400 / 403 / 404 / 409 are all FieldError subclasses
        assert exc.status in (400, 403, 404, 409), exc
        return False


def states(personas: Personas, staff: GridStaff) -> dict[str, Incident]:
    made = {"reported": report(personas.grid_worker_a)}
    made["registered"] = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    held = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    made["dispatched"] = steps.incident_dispatch(actor=staff.dispatcher, incident=held, handler=staff.handler)
    by_unit = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    made["dispatched_unit"] = steps.incident_dispatch(actor=staff.dispatcher, incident=by_unit, unit=staff.squad)
    asked = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    asked = steps.incident_dispatch(actor=staff.dispatcher, incident=asked, handler=staff.handler)
    steps.incident_extension_request(actor=staff.handler, incident=asked, value=2, reason="等待")
    made["extension_requested"] = asked
    fed = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    fed = steps.incident_dispatch(actor=staff.dispatcher, incident=fed, handler=staff.handler)
    made["fed_back"] = steps.incident_handle(actor=staff.handler, incident=fed, result="已处理", photos=PHOTO)
    made["closed"] = steps.incident_self_close(actor=personas.grid_worker_a, incident=report(personas.grid_worker_a),
                                               result="已清理", photos=PHOTO)
    return made


def test_listed_actions_are_exactly_those_the_services_accept(categories, personas: Personas,
                                                              staff: GridStaff) -> None:
    target = report(personas.grid_worker_a)  # an open incident to merge into
    made = states(personas, staff)
    supervisor = make_staff("sup", roles=[Role.SUPERVISOR], scope=personas.town_staff.scope_area)
    users = {"worker": personas.grid_worker_a, "dispatcher": staff.dispatcher, "handler": staff.handler,
             "village_leader": staff.village_leader, "supervisor": supervisor}
    data = IncidentActionIn(reason="理由", result="结果", into=target.case.number, value="2", score="4",
                            unit=str(staff.squad.pk))
    mismatches = []
    for state, incident in made.items():
        for name, user in users.items():
            fresh = Incident.objects.select_related("case", "category_version").get(pk=incident.pk)
            listed = {a["key"] for a in incident_actions(user=user, incident=fresh)}
            for action in ACTION_FIELDS:
                if (action in listed) != accepted(user, fresh, action, data):
                    mismatches.append((state, name, action, action in listed))
    assert mismatches == [], mismatches
