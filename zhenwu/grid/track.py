"""Patrol tracks as geometry: metric steps between GPS points, the speed check, the simplified line.

Pure functions over (t, lng, lat) points (WGS84 degrees, aware datetimes), so the services and the tests
share one definition of "distance walked" and "impossible speed". Distances are measured on a plane
tangent at the track's first point (``areas.geometry.local_scale``), well under 1 % off within a town.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import shapely
from shapely.geometry import LineString

from zhenwu.areas.geometry import local_scale


@dataclass(frozen=True)
class Fix:
    """One GPS fix of a patrol."""

    t: datetime
    lng: float
    lat: float
    accuracy: float | None = None


def step_m(a: Fix, b: Fix) -> float:
    """Metres between two fixes (equirectangular around their mean latitude)."""
    kx, ky = local_scale((a.lat + b.lat) / 2)
    return math.hypot((b.lng - a.lng) * kx, (b.lat - a.lat) * ky)


def speed_kmh(a: Fix, b: Fix) -> float:
    """The speed needed to go from ``a`` to ``b`` in km/h (infinite when they share a time but not a place)."""
    metres = step_m(a, b)
    seconds = (b.t - a.t).total_seconds()
    if seconds <= 0:
        return 0.0 if metres < 1 else math.inf
    return metres / seconds * 3.6


def first_too_fast(previous: Fix | None, fixes: Sequence[Fix], max_kmh: float) -> tuple[int, float] | None:
    """(index in ``fixes``, km/h) of the first fix reached faster than ``max_kmh`` from the one before it
    (``previous`` is the last fix already stored, if any), or None."""
    before = previous
    for i, fix in enumerate(fixes):
        if before is not None:
            kmh = speed_kmh(before, fix)
            if kmh > max_kmh:
                return i, kmh
        before = fix
    return None


def _metric_line(fixes: Sequence[Fix]) -> tuple[LineString, float, float]:
    lng0, lat0 = fixes[0].lng, fixes[0].lat
    kx, ky = local_scale(lat0)
    return LineString([((f.lng - lng0) * kx, (f.lat - lat0) * ky) for f in fixes]), lng0, lat0


def simplified(fixes: Sequence[Fix], tolerance_m: float) -> list[list[float]]:
    """The track as [[lng, lat], …] simplified by Douglas-Peucker with ``tolerance_m`` metres (shapely)."""
    if len(fixes) < 2:
        return [[f.lng, f.lat] for f in fixes]
    line, lng0, lat0 = _metric_line(fixes)
    kx, ky = local_scale(lat0)
    simple = shapely.simplify(line, tolerance_m, preserve_topology=False)
    return [[round(lng0 + x / kx, 7), round(lat0 + y / ky, 7)] for x, y in simple.coords]


def length_m(coords: Sequence[Sequence[float]]) -> float:
    """Length in metres of a line given as [[lng, lat], …]."""
    if len(coords) < 2:
        return 0.0
    kx, ky = local_scale(coords[0][1])
    return sum(math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * ky) for a, b in zip(coords, coords[1:], strict=False))
