"""A small month of grid work, built through the services, for the points and indicators tests.

October 2025 in grid A (village 东山村), reported by grid worker A unless said otherwise:

- SJ1: registered, dispatched at once, handled, verified (passed) 2 h later   → +2 valid, +3 closed, +1 on time
- SJ2: rejected (不予立案)                                                     → −2 invalid
- SJ3: self-closed on the spot by the worker                                   → +2 valid, +1 self-closure
- SJ4: registered, dispatched, handled; verified (failed) 30 h later; handled again; nobody verifies
                                                                              → +2 valid, −2 late, −2 unanswered
- SJ5: a citizen's report: registered, dispatched 5 h late, returned, dispatched again → no points
- a visit by worker A                                                          → +1
- a patrol of 2 h 30 min by worker A                                           → +2 (two whole hours)

Worker A: 6 − 2 + 3 − 2 + 1 + 2 = 8 points.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhenwu.grid.models import Incident, Patrol, Visit
from zhenwu.grid.services.patrols import patrol_points_add, patrol_start, patrol_stop
from zhenwu.grid.services.steps import (
    incident_dispatch,
    incident_handle,
    incident_register,
    incident_reject,
    incident_return,
    incident_self_close,
    incident_verify,
)
from zhenwu.grid.services.visits import VisitInput, visit_record
from zhenwu.grid.tests.factories import GridStaff, jpeg, report
from zhenwu.registry.tests import factories as registry
from zhenwu.testing import Clock, Personas, TestTown, local

OCTOBER = dt.date(2025, 10, 1)
WORKER_A_POINTS = 8


@dataclass
class World:
    sj1: Incident
    sj2: Incident
    sj3: Incident
    sj4: Incident
    sj5: Incident
    visit: Visit
    patrol: Patrol


def _photo(colour: str = "green") -> list[tuple[str, bytes]]:
    return [("p.jpg", jpeg(colour))]


def _to_fed_back(staff: GridStaff, incident: Incident) -> Incident:
    incident = incident_register(actor=staff.dispatcher, incident=incident)
    incident = incident_dispatch(actor=staff.dispatcher, incident=incident, unit=staff.squad)
    return incident_handle(actor=staff.handler, incident=incident, result="已清理", photos=_photo())


def build(town: TestTown, personas: Personas, staff: GridStaff, clock: Clock) -> World:
    worker = personas.grid_worker_a
    clock.now = local(2025, 10, 9, 9, 0)
    sj1 = _to_fed_back(staff, report(worker))
    clock.now += dt.timedelta(hours=2)
    sj1 = incident_verify(actor=worker, incident=sj1, passed=True, photos=_photo("blue"))

    sj2 = incident_reject(actor=staff.dispatcher, incident=report(worker), reason="重复上报")
    sj3 = incident_self_close(actor=worker, incident=report(worker), result="已清理", photos=_photo())

    sj4 = _to_fed_back(staff, report(worker))
    clock.now += dt.timedelta(hours=30)
    sj4 = incident_verify(actor=worker, incident=sj4, passed=False, photos=_photo("red"), reason="仍有垃圾")
    sj4 = incident_handle(actor=staff.handler, incident=sj4, result="再次清理", photos=_photo())

    sj5 = incident_register(actor=staff.dispatcher, incident=report(personas.citizen, source="citizen"))
    clock.now += dt.timedelta(hours=5)
    sj5 = incident_dispatch(actor=staff.dispatcher, incident=sj5, unit=staff.squad)
    sj5 = incident_return(actor=staff.handler, incident=sj5, reason="不属本队")
    sj5 = incident_dispatch(actor=staff.dispatcher, incident=sj5, unit=staff.squad)

    home = registry.household(town.grid_a)
    visit = visit_record(actor=worker, data=VisitInput(target_kind="household", target_id=home.pk, record="入户"))
    start = local(2025, 10, 12, 8, 0)
    patrol, _ = patrol_start(actor=worker, client_id="oct-12", started_at=start, now=start)
    patrol_points_add(actor=worker, patrol_id=patrol.pk, now=start + dt.timedelta(hours=2, minutes=30),
                      points=[{"t": start + dt.timedelta(minutes=m), "lng": 119.52 + m * 0.0001,
                               "lat": 31.95} for m in range(0, 150, 10)])
    patrol = patrol_stop(actor=worker, patrol_id=patrol.pk, ended_at=start + dt.timedelta(hours=2, minutes=30),
                         now=start + dt.timedelta(hours=2, minutes=30))
    clock.now = local(2025, 10, 13, 12, 0)  # SJ4's second round went unanswered for more than a day
    return World(sj1, sj2, sj3, sj4, sj5, visit, patrol)
