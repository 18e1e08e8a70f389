"""The queue's status tabs without a filter read the counts the database keeps per grid and state
(``IncidentCount``, triggers of migration grid.0003): they follow every insert, state change and delete, whoever
writes (the services, a bulk update, raw SQL), and answer within each user's scope."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from zhenwu.accounts.choices import Role
from zhenwu.grid import selectors
from zhenwu.grid.models import Incident, IncidentCount
from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import POINT_B, GridStaff, report
from zhenwu.testing import GRID_A, GRID_B, Personas, make_staff

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple[str, str], int]:
    return {(r.area_code, r.status): r.n for r in IncidentCount.objects.all() if r.n}


def truth() -> dict[tuple[str, str], int]:
    return dict(Counter(Incident.objects.values_list("area_code", "status")))


def test_the_counts_follow_every_write(categories, personas: Personas, staff: GridStaff) -> None:
    a1, a2, a3 = (report(personas.grid_worker_a) for _ in range(3))
    report(personas.grid_worker_b, point=POINT_B)
    assert counted() == truth() == {(GRID_A, "reported"): 3, (GRID_B, "reported"): 1}
    steps.incident_register(actor=staff.dispatcher, incident=a1)
    steps.incident_reject(actor=staff.dispatcher, incident=a2, reason="无效")
    assert counted() == truth()
    Incident.objects.filter(pk=a3.pk).update(status="closed")  # a bulk write, no service
    with connection.cursor() as cursor:  # raw SQL too
        cursor.execute("UPDATE grid_incident SET status = 'dispatched' WHERE id = %s", [a1.pk])
    assert counted() == truth()
    Incident.objects.filter(pk=a3.pk).update(area_code=a3.area_code)  # unchanged: the counts stay
    assert counted() == truth()
    Incident.objects.filter(pk=a3.pk).delete()
    assert counted() == truth() == {(GRID_A, "dispatched"): 1, (GRID_A, "rejected"): 1, (GRID_B, "reported"): 1}


def test_the_totals_answer_within_the_scope(categories, town, personas: Personas, staff: GridStaff) -> None:
    for _ in range(2):
        report(personas.grid_worker_a)
    report(personas.grid_worker_b, point=POINT_B)
    assert selectors.incident_status_totals(user=staff.dispatcher) == {"reported": 3}  # the town
    assert selectors.incident_status_totals(user=personas.grid_worker_b) == {"reported": 1}  # grid B only
    assert selectors.incident_status_totals(user=personas.admin) == {"reported": 3}  # the county
    clerk = make_staff("no_grid_role", roles=[Role.WINDOW_CLERK], scope=town.town)
    assert selectors.incident_status_totals(user=clerk) == {}  # no grid role: nothing
    assert selectors.incident_status_totals(user=personas.citizen) is None  # a citizen's queue: its own reports
    for user in (staff.dispatcher, personas.grid_worker_b, personas.admin):
        queue = selectors.incident_list(user=user)
        assert selectors.incident_status_totals(user=user) == selectors.incident_status_counts(queue)


def test_the_page_counts_filtered_queues_from_their_rows(categories, personas: Personas, staff: GridStaff,
                                                         client) -> None:
    report(personas.grid_worker_a)
    report(personas.grid_worker_a, category="P0101")
    client.force_login(staff.dispatcher)
    tabs = {t["key"]: t["count"] for t in client.get("/grid/incidents/").context["tabs"]}
    assert (tabs[""], tabs["reported"]) == (2, 2)  # from the kept counts
    filtered = {t["key"]: t["count"] for t in client.get("/grid/incidents/?category=P0101").context["tabs"]}
    assert (filtered[""], filtered["reported"]) == (1, 1)  # from the filtered rows
