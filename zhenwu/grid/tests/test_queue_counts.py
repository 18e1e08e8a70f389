"""The queue's status tabs and light counts read the incident's own copies of its case's state and running
clock (``status``, ``due_at``, ``yellow_at``): they are set at filing and kept by every step of the loop, so
the counts equal what the cases say at every moment, and the counting statements never touch the cases."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zhenwu.accounts.models import User
from zhenwu.casework.deadlines import yellow_from
from zhenwu.casework.models import Case
from zhenwu.grid import selectors
from zhenwu.grid.models import Incident
from zhenwu.grid.process import OPEN_STATES
from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import GridStaff, jpeg, report
from zhenwu.testing import Clock, Personas

pytestmark = pytest.mark.django_db
PHOTO = [("p.jpg", jpeg("green"))]


def fresh(incident: Incident) -> Incident:
    return Incident.objects.select_related("case", "category_version").get(pk=incident.pk)


def assert_copies_match_the_cases() -> None:
    for incident in Incident.objects.select_related("case"):
        case = incident.case
        due = case.deadline_due_at if case.deadline_live else None
        assert (incident.status, incident.due_at) == (case.status, due), case.number
        assert incident.is_open == (case.status in OPEN_STATES)
        assert incident.yellow_at == (yellow_from(case.deadline_unit, case.deadline_limit, due) if due else None)


def page_counts(user: User) -> tuple[dict[str, int], dict[str, int]]:
    client = Client()
    client.force_login(user)  # afresh: the moved clock would end an idle session
    context = client.get("/grid/incidents/").context
    return {t["key"]: t["count"] for t in context["tabs"] if t["key"] not in ("", "open")}, context["lights"]


def truth(clock: Clock) -> tuple[dict[str, int], dict[str, int]]:
    """The counts as the cases say them: states from ``Case.status``, lights from the live light of each."""
    states = Counter(Case.objects.filter(kind="SJ").values_list("status", flat=True))
    lights = Counter(selectors.live_light(i, clock.now) for i in Incident.objects.select_related("case"))
    return states, {k: lights.get(k, 0) for k in ("green", "yellow", "red")}


def check(client: User, clock: Clock) -> None:
    assert_copies_match_the_cases()
    tabs, lights = page_counts(client)
    states, live = truth(clock)
    assert {k: v for k, v in tabs.items() if v} == dict(states)
    assert lights == live


def test_counts_stay_right_across_the_loop_and_the_clock(categories, personas: Personas, staff: GridStaff,
                                                        clock: Clock) -> None:
    client = staff.dispatcher
    worker = personas.grid_worker_a
    main, second, junk, small = (report(worker) for _ in range(4))
    p0101 = report(worker, category="P0101")
    check(client, clock)  # five 待立案, the 4-hour dispatch limit running
    clock.advance(hours=3, minutes=30)
    check(client, clock)  # yellow: the last hour
    steps.incident_register(actor=staff.dispatcher, incident=main)
    steps.incident_reject(actor=staff.dispatcher, incident=junk, reason="重复无效")
    steps.incident_merge(actor=staff.dispatcher, incident=second, into=main.case.number)
    steps.incident_self_close(actor=worker, incident=small, result="已清理", photos=PHOTO)
    check(client, clock)
    clock.advance(hours=1)
    check(client, clock)  # the unhandled reports are red now
    steps.incident_dispatch(actor=staff.dispatcher, incident=fresh(main), handler=staff.handler)
    steps.incident_register(actor=staff.dispatcher, incident=p0101)
    steps.incident_dispatch(actor=staff.dispatcher, incident=fresh(p0101), handler=staff.handler)
    check(client, clock)  # both green again: the category limits (24 h, 4 h) started at dispatch
    steps.incident_extension_request(actor=staff.handler, incident=fresh(main), value=12, reason="需协调")
    check(client, clock)
    steps.incident_extension_decide(actor=staff.dispatcher, incident=fresh(main), approve=True)
    assert fresh(main).case.deadline_limit == 36
    check(client, clock)  # the due time moved out: so did the copy
    steps.incident_return(actor=staff.handler, incident=fresh(p0101), reason="不属于本单位")
    check(client, clock)
    steps.incident_handle(actor=staff.handler, incident=fresh(main), result="已清运", photos=PHOTO)
    check(client, clock)  # fed back: the clock stopped, no light
    steps.incident_verify(actor=worker, incident=fresh(main), passed=False, reason="仍有残留", photos=PHOTO)
    check(client, clock)  # rework: the category's limit again
    clock.advance(hours=30)
    check(client, clock)
    steps.incident_handle(actor=staff.handler, incident=fresh(main), result="已清运干净", photos=PHOTO)
    steps.incident_verify(actor=worker, incident=fresh(main), passed=True, photos=PHOTO)
    steps.incident_evaluate(actor=staff.dispatcher, incident=fresh(main), score=5)
    check(client, clock)
    assert Incident.objects.get(pk=main.pk).status == "evaluated"


def test_the_counting_statements_do_not_join_the_cases(categories, personas: Personas, staff: GridStaff) -> None:
    report(personas.grid_worker_a)
    qs = selectors.incident_list(user=staff.dispatcher)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.incident_status_counts(qs) == {"reported": 1}
        assert selectors.incident_light_counts(qs) == {"green": 1, "yellow": 0, "red": 0}
        assert selectors.incident_list(user=staff.dispatcher, status="reported", light="green").count() == 1
    assert len(queries) == 3
    assert not any("casework_case" in q["sql"] for q in queries.captured_queries)
