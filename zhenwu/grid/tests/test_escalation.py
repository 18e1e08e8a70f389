"""Escalation up the area tree by hand and by the tick when a level lets an incident go overdue (a clock
moved by the test), and 催办 / 督办 of incidents through the kernel reaching the holder."""

from __future__ import annotations

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.casework.models import AuditEntry, CaseUrge
from zhenwu.casework.services import tick
from zhenwu.casework.supervision import case_supervise
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.grid.models import Incident
from zhenwu.grid.services import steps
from zhenwu.grid.services.escalation import incident_escalate
from zhenwu.grid.tests.factories import GridStaff, jpeg, report
from zhenwu.testing import Clock, Personas, make_staff, sms_delivered_to

pytestmark = pytest.mark.django_db


def fresh(incident: Incident) -> Incident:
    return Incident.objects.select_related("case").get(pk=incident.pk)


def dispatched(personas: Personas, staff: GridStaff) -> Incident:
    incident = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    return steps.incident_dispatch(actor=staff.dispatcher, incident=incident, handler=staff.handler)


def test_escalation_by_hand_needs_a_reason_the_scope_and_a_role(categories, personas: Personas,
                                                                staff: GridStaff) -> None:
    incident = report(personas.grid_worker_a)
    with pytest.raises(FieldError) as caught:
        incident_escalate(actor=personas.grid_worker_a, incident=incident, reason="")
    assert caught.value.field == "reason"
    with pytest.raises(NotFound):
        incident_escalate(actor=personas.grid_worker_b, incident=incident, reason="网格内解决不了")
    with pytest.raises(Forbidden):  # the town's window clerk sees the town but answers for no incident
        incident_escalate(actor=personas.town_staff, incident=incident, reason="网格内解决不了")
    assert fresh(incident).escalation_level == "grid"
    incident_escalate(actor=personas.grid_worker_a, incident=incident, reason="涉及多户，网格内解决不了")
    incident = fresh(incident)
    assert incident.escalation_level == "village" and incident.escalated_at is not None
    entry = AuditEntry.objects.get(subject=incident.case.number, action="escalate")
    assert entry.data == {"from": "grid", "to": "village", "automatic": False}
    assert any(incident.case.number in t for t in sms_delivered_to(staff.village_leader.mobile or ""))


def test_the_tick_escalates_an_overdue_incident_one_level_per_grace_period(categories, personas: Personas,
                                                                           staff: GridStaff, clock: Clock,
                                                                           settings) -> None:
    settings.GRID_AUTO_ESCALATE_STEP_HOURS = 24
    incident = dispatched(personas, staff)  # 暴露垃圾: due in 24 hours
    assert tick()["grid_escalations"] == 0
    clock.advance(hours=23)
    assert tick()["grid_escalations"] == 0  # not yet overdue
    clock.advance(hours=2)
    assert tick()["grid_escalations"] == 1
    assert fresh(incident).escalation_level == "village"
    assert tick()["grid_escalations"] == 0  # the village has its grace period
    clock.advance(hours=24)
    assert tick()["grid_escalations"] == 1
    assert fresh(incident).escalation_level == "town"
    entries = AuditEntry.objects.filter(subject=incident.case.number, action="escalate").order_by("seq")
    assert [((e.data or {})["to"], (e.data or {})["automatic"], e.actor_id) for e in entries] == [
        ("village", True, None), ("town", True, None)]
    settings.GRID_AUTO_ESCALATE_TOP = "town"
    clock.advance(hours=48)
    assert tick()["grid_escalations"] == 0 and fresh(incident).escalation_level == "town"


def test_nothing_escalates_when_switched_off_or_once_handled(categories, personas: Personas, staff: GridStaff,
                                                             clock: Clock, settings) -> None:
    incident = dispatched(personas, staff)
    settings.GRID_AUTO_ESCALATE = False
    clock.advance(hours=30)
    assert tick()["grid_escalations"] == 0
    settings.GRID_AUTO_ESCALATE = True
    steps.incident_handle(actor=staff.handler, incident=fresh(incident), result="已处理",
                          photos=[("a.jpg", jpeg("green"))])
    assert tick()["grid_escalations"] == 0  # the clock stopped at the feedback
    assert fresh(incident).escalation_level == "grid"


def test_an_unregistered_report_escalates_when_the_dispatch_limit_passes(categories, personas: Personas,
                                                                         clock: Clock, settings) -> None:
    settings.GRID_DISPATCH_LIMIT_HOURS = 4  # read when the report is filed
    incident = report(personas.grid_worker_a)
    clock.advance(hours=5)
    assert tick()["grid_escalations"] == 1 and fresh(incident).escalation_level == "village"


def test_reminders_and_supervision_reach_the_holder(categories, personas: Personas, staff: GridStaff,
                                                    clock: Clock) -> None:
    incident = dispatched(personas, staff)
    clock.advance(hours=21)  # less than a fifth of 24 hours left: yellow
    assert tick()["case_urges"] == 1
    urge = CaseUrge.objects.get(case=incident.case)
    assert urge.recipient == staff.handler and urge.level == "yellow"
    assert any(incident.case.number in t for t in sms_delivered_to(staff.handler.mobile or ""))
    leader = make_staff("leader", roles=[Role.LEADER], scope=personas.town_staff.scope_area)
    case_supervise(actor=leader, case=fresh(incident).case, priority="urgent", note="群众反映强烈")
    assert tick()["supervision_reminders"] == 1
    assert sum(incident.case.number in t for t in sms_delivered_to(staff.handler.mobile or "")) >= 2


def test_a_unit_held_incident_is_urged_to_a_member_of_the_unit(categories, personas: Personas, staff: GridStaff,
                                                               clock: Clock) -> None:
    incident = steps.incident_register(actor=staff.dispatcher, incident=report(personas.grid_worker_a))
    steps.incident_dispatch(actor=staff.dispatcher, incident=incident, unit=staff.squad)
    clock.advance(hours=21)
    tick()
    assert CaseUrge.objects.get(case=incident.case).recipient == staff.handler  # the squad's member


def test_an_undispatched_report_is_urged_to_the_towns_dispatcher(categories, personas: Personas, staff: GridStaff,
                                                                 clock: Clock) -> None:
    incident = report(personas.grid_worker_a)  # the dispatch limit runs (4 hours)
    clock.advance(hours=3, minutes=30)
    assert tick()["case_urges"] == 1
    assert CaseUrge.objects.get(case=incident.case).recipient == staff.dispatcher
