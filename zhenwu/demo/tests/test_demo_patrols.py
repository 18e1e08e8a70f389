"""The demo's patrols: every grid worker walks inside their own grid, the same for the same seed."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from shapely.geometry import Point, shape

from zhenwu.areas.models import Area
from zhenwu.demo.patrols import patrols_build
from zhenwu.grid.models import Patrol, TrackPoint
from zhenwu.registry.choices import GridDuty
from zhenwu.registry.models import GridAssignment


@pytest.mark.django_db
def test_every_grid_worker_patrols_inside_their_grid_and_a_rebuild_is_the_same(demo_settings):
    call_command("demo", "--scale", "0.01", stdout=io.StringIO())
    workers = set(GridAssignment.objects.filter(duty=GridDuty.WORKER, ended_on=None).values_list("user_id", flat=True))
    assert set(Patrol.objects.values_list("worker_id", flat=True)) == workers
    patrol = Patrol.objects.order_by("pk").first()
    assert patrol is not None
    grid = shape(Area.objects.get(code=patrol.area_code).geometry)
    assert all(grid.covers(Point(lng, lat)) for lng, lat in patrol.track)
    assert 0 < patrol.distance_m < 13_000 and patrol.ended_at is not None
    assert TrackPoint.objects.filter(patrol=patrol).count() in (0, patrol.point_count)
    town = patrol.area_code[:9]
    first = list(Patrol.objects.order_by("area_code", "started_at").values_list("started_at", "distance_m"))
    patrols_build(town_code=town, seed=1, scale=0.01)
    assert list(Patrol.objects.order_by("area_code", "started_at").values_list("started_at", "distance_m")) == first


@pytest.mark.django_db
def test_only_the_last_week_keeps_its_full_points(demo_settings):
    call_command("demo", "--scale", "0.03", stdout=io.StringIO())
    week_ago = timezone.now() - dt.timedelta(days=7)
    old = Patrol.objects.filter(started_at__lt=week_ago - dt.timedelta(days=1)).first()
    recent = Patrol.objects.filter(started_at__gte=week_ago).first()
    assert old is not None and recent is not None
    assert not TrackPoint.objects.filter(patrol=old).exists() and old.track
    assert TrackPoint.objects.filter(patrol=recent).count() == recent.point_count
