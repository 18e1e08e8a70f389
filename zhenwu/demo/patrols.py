"""The demo town's patrols (网格巡查): every grid worker walks their grid on most working days of the last
year (``DAYS`` at scale 1, fewer at smaller scales), one to two and a half hours from mid-morning.

A patrol is a random walk at walking pace inside the worker's grid, one fix a minute; each patrol keeps its
simplified track and distance as the services compute them (``grid.track``), and the last week's patrols
keep their full GPS points too (older ones only their simplified track, as a retention rule would leave
them). Everything is drawn from ``random.Random("zhenwu-demo/<seed>/patrols-<town>")``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from typing import Any

import shapely
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

from zhenwu.areas.geometry import local_scale
from zhenwu.grid.models import CheckIn, Patrol, TrackPoint
from zhenwu.grid.track import Fix, length_m, simplified
from zhenwu.registry.choices import GridDuty
from zhenwu.registry.models import GridAssignment

DAYS = 365
FULL_POINTS_DAYS = 7
PATROL_SHARE = 0.8  # of working days
STEP_SECONDS = 60
COARSE_STEP_MINUTES = 5  # older patrols: only the simplified track is kept, so fewer fixes are walked
BATCH = 2000


def _walk(rng: random.Random, grid: BaseGeometry, start: dt.datetime, minutes: int, step: int = 1) -> list[Fix]:
    """One fix every ``step`` minutes at 3–5 km/h, turning a little each step and back inwards at the grid's
    edge. Patrols older than a week keep only their simplified track, so they are walked in coarser steps."""
    inside = grid.representative_point()
    minx, miny, maxx, maxy = grid.bounds
    for _attempt in range(20):
        p = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if shapely.contains_xy(grid, p.x, p.y):
            inside = p
            break
    kx, ky = local_scale(inside.y)
    x, y, heading = inside.x, inside.y, rng.uniform(0, 2 * math.pi)
    fixes = [Fix(start, round(x, 7), round(y, 7), 8.0)]
    for minute in range(step, minutes + 1, step):
        metres = rng.uniform(50, 83) * step  # 3–5 km/h
        for _turn in range(6):
            heading += rng.gauss(0, 0.5)
            nx, ny = x + metres * math.cos(heading) / kx, y + metres * math.sin(heading) / ky
            if shapely.contains_xy(grid, nx, ny):  # a prepared grid, no Point object per step
                x, y = nx, ny
                break
            heading += math.pi / 2
        fixes.append(Fix(start + dt.timedelta(seconds=STEP_SECONDS * minute), round(x, 7), round(y, 7),
                         round(rng.uniform(4, 20), 1)))
    return fixes


def _working_days(today: dt.date, days: int) -> list[dt.date]:
    return [d for d in (today - dt.timedelta(days=n) for n in range(1, days + 1)) if d.weekday() < 5]


def patrols_wipe(area_prefix: str) -> int:
    """Delete the patrols and check-ins under ``area_prefix`` (the demo's own, before a rebuild or reset)."""
    CheckIn.objects.filter(area_code__startswith=area_prefix).delete()
    return int(Patrol.objects.filter(area_code__startswith=area_prefix).delete()[0])


def patrols_build(*, town_code: str, seed: int, scale: float = 1.0, now: dt.datetime | None = None,
                  progress: Callable[..., Any] | None = None) -> int:
    """Replace the town's demo patrols; returns how many were written."""
    patrols_wipe(town_code)
    rng = random.Random(f"zhenwu-demo/{seed}/patrols-{town_code}")
    now = timezone.localtime(now or timezone.now())
    days = _working_days(now.date(), max(3, round(DAYS * scale)))
    full_after = now - dt.timedelta(days=FULL_POINTS_DAYS)
    tolerance = float(settings.GRID_PATROL_SIMPLIFY_METERS)
    walkers = (GridAssignment.objects.filter(grid__code__startswith=town_code, duty=GridDuty.WORKER,
                                             ended_on=None).select_related("grid").order_by("grid__code", "user_id"))
    rows: list[tuple[Patrol, list[Fix]]] = []
    for assignment in walkers:
        if not assignment.grid.geometry:
            continue
        grid = shape(assignment.grid.geometry)
        shapely.prepare(grid)  # thousands of point-in-grid tests per worker
        for day in days:
            if rng.random() > PATROL_SHARE:
                continue
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30))
                                        + dt.timedelta(minutes=rng.randint(0, 120)))
            recent = start >= full_after
            fixes = _walk(rng, grid, start, rng.randint(60, 150), step=1 if recent else COARSE_STEP_MINUTES)
            track = simplified(fixes, tolerance)
            patrol = Patrol(worker_id=assignment.user_id, area_code=assignment.grid.code,
                            client_id=f"demo-{day:%Y%m%d}-{assignment.pk}", started_at=start,
                            ended_at=fixes[-1].t, distance_m=round(length_m(track), 1), point_count=len(fixes),
                            track=track)
            rows.append((patrol, fixes if recent else []))
    Patrol.objects.bulk_create([p for p, _fixes in rows], batch_size=BATCH)
    points = [TrackPoint(patrol=p, t=f.t, lng=f.lng, lat=f.lat, accuracy=f.accuracy)
              for p, fixes in rows for f in fixes]
    TrackPoint.objects.bulk_create(points, batch_size=BATCH)
    if progress is not None:
        progress(_("Town %(code)s: %(patrols)d patrols with %(points)d recent track points (%(seconds).1f s)"),
                 code=town_code, patrols=len(rows), points=len(points))
    return len(rows)
