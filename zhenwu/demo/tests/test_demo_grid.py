"""The demo's year of 一网治理 on a small town (scale 0.02: 200 incidents, grids and staff complete), read
through the grid's own selectors: volume, sources, states, on-time closure, escalations, disputes by level,
every grid worker's patrols, the households' visits, a verifying audit chain, a reset that removes it all."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import F
from shapely.geometry import Point

from zhenwu.accounts.models import User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.geometry import to_shape
from zhenwu.areas.index import locate
from zhenwu.areas.models import Area
from zhenwu.casework.models import AuditEntry, Case
from zhenwu.casework.services import audit_verify
from zhenwu.demo import grid as demo_grid
from zhenwu.demo.services import build_county, demo_reset
from zhenwu.grid import selectors
from zhenwu.grid.models import Dispute, Incident, Patrol, Visit
from zhenwu.grid.process import FINISHED_STATES, OPEN_STATES
from zhenwu.grid.selectors_disputes import dispute_list
from zhenwu.registry.choices import GridDuty
from zhenwu.registry.models import GridAssignment, Household

pytestmark = pytest.mark.django_db(transaction=False)
SCALE = 0.02


@pytest.fixture
def small_demo(demo_settings):
    return build_county(seed=1, scale=SCALE)


def test_the_small_town_has_a_year_of_incidents_disputes_visits_and_patrols(small_demo):
    dispatcher = User.objects.get(username="dispatcher")
    every = selectors.incident_list(user=dispatcher)
    assert every.count() == round(demo_grid.FULL_INCIDENTS * SCALE) == Incident.objects.count()
    sources = Counter(every.values_list("source", flat=True))
    assert set(sources) == {"patrol", "citizen", "hotline", "camera", "approval", "enforcement"}
    assert sources.most_common(1)[0][0] == "patrol"
    statuses = Counter(every.values_list("case__status", flat=True))
    finished = sum(statuses[s] for s in FINISHED_STATES)
    assert finished > 0.9 * every.count() and "rejected" in statuses and {"closed", "evaluated"} <= set(statuses)
    closed = Case.objects.filter(incident__in=every, status__in=("closed", "evaluated"))
    on_time = closed.filter(deadline_stopped_at__lte=F("deadline_due_at")).count()
    assert on_time > 0.85 * closed.count()
    self_closed = AuditEntry.objects.filter(case__kind="SJ", action="self_close").count()
    assert 0 < self_closed < closed.count()
    open_now = selectors.incident_list(user=dispatcher, status="open")
    assert open_now.count() == sum(statuses[s] for s in OPEN_STATES)
    rubbish = every.filter(category__code="E0101").count()
    assert rubbish > every.filter(category__code="E0401").count() and rubbish > 0.1 * every.count()
    shapes = {a.code: to_shape(a.geometry or {}) for a in Area.objects.filter(
        code__startswith="321181102", level__in=(AreaLevel.GRID2, AreaLevel.SPECIAL))}
    for code, lng, lat in every.values_list("case__area_code", "lng", "lat")[:80]:
        assert lng is not None and lat is not None
        assert shapes[code].contains(Point(lng, lat))  # a point inside its grid (a special grid: picked)
        assert len(code) == 15 or locate(lng, lat).grid_code == code

    disputes = dispute_list(user=dispatcher)
    assert disputes.count() == round(demo_grid.FULL_DISPUTES * SCALE) == Dispute.objects.count()
    assert Counter(disputes.values_list("level", flat=True)).most_common(1)[0][0] == "grid"

    workers = set(GridAssignment.objects.filter(duty=GridDuty.WORKER, ended_on__isnull=True)
                  .values_list("user_id", flat=True))  # demo.patrols walks the level-2 grids' workers
    patrolled = Counter(Patrol.objects.values_list("worker_id", flat=True))
    assert workers and workers <= set(patrolled)
    assert all(len(t) >= 2 for t in Patrol.objects.values_list("track", flat=True)[:100])
    visited = Counter(Visit.objects.values_list("household_id", flat=True))
    assert set(visited) == set(Household.objects.values_list("pk", flat=True))
    assert min(visited.values()) >= 2  # about monthly over the last four months

    count, problems = audit_verify()
    assert problems == [] and count == AuditEntry.objects.count()
    assert any(lg.username == demo_grid.HANDLER_ACCOUNT for lg in small_demo.logins)


def test_a_second_run_keeps_it_another_scale_replaces_it_and_the_reset_removes_it(small_demo):
    before = list(Incident.objects.order_by("case__number").values_list("case__number", "source", "case__status"))
    build_county(seed=1, scale=SCALE)
    assert list(Incident.objects.order_by("case__number").values_list("case__number", "source",
                                                                      "case__status")) == before
    build_county(seed=1, scale=0.03)  # other base data: the visits go first (they point at the households)
    assert Incident.objects.count() == round(demo_grid.FULL_INCIDENTS * 0.03)
    assert set(Visit.objects.values_list("household_id", flat=True)) == set(Household.objects.values_list("pk",
                                                                                                          flat=True))
    demo_reset()
    assert not Incident.objects.exists() and not Dispute.objects.exists() and not Visit.objects.exists()
    assert not Patrol.objects.exists() and not Case.objects.filter(kind__in=("SJ", "JF")).exists()
