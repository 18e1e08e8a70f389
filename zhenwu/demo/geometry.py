"""Seeded synthetic geometry for demo towns (shapely 2, WGS84 degrees, 6 decimals).

Shapes are drawn in a local metric plane (metres east/north of a reference point) so that
distances and areas mean the same in both directions, then converted to degrees. Every child
is cut from its parent *after* the parent was rounded, with overlays on the 1e-6° grid, so a
child never leaves its parent by more than a rounding step (~0.1 m).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry

from zhenwu.areas.geometry import local_scale

GRID = 1e-6  # stored precision in degrees (~0.1 m)
ORIGIN = (119.6, 32.0)  # centre of the first demo town
TOWN_SPACING_M = 16_000.0  # towns sit on a hex lattice; the largest town radius is ~7.5 km
TOWNS_PER_ROW = 4
LLOYD_ROUNDS = 6


@dataclass(frozen=True)
class Frame:
    """A local metric plane: metres east and north of (lng0, lat0)."""

    lng0: float
    lat0: float

    @property
    def scale(self) -> np.ndarray:
        kx, ky = local_scale(self.lat0)
        return np.array([kx, ky])

    @property
    def origin(self) -> np.ndarray:
        return np.array([self.lng0, self.lat0])

    def to_metres(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda xy: (xy - self.origin) * self.scale)

    def to_degrees(self, geom: BaseGeometry) -> BaseGeometry:
        return shapely.transform(geom, lambda xy: xy / self.scale + self.origin)

    def offset(self, east_m: float, north_m: float) -> tuple[float, float]:
        kx, ky = local_scale(self.lat0)
        return self.lng0 + east_m / kx, self.lat0 + north_m / ky


def frame_of(geom: BaseGeometry) -> Frame:
    c = geom.centroid
    return Frame(c.x, c.y)


def snap(geom: BaseGeometry) -> BaseGeometry:
    """Round to the stored precision, keeping the geometry valid."""
    return shapely.set_precision(geom, GRID)


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON with plain lists and coordinates rounded to the stored precision."""
    def rounded(value: Any) -> Any:
        if isinstance(value, (tuple, list)):
            return [rounded(v) for v in value]
        return round(float(value), 6)

    data = mapping(geom)
    return {"type": data["type"], "coordinates": rounded(data["coordinates"])}


# --- the town outline ---------------------------------------------------------------------------

def town_centre(index: int) -> tuple[float, float]:
    """Centre of the index-th town: town 0 at ORIGIN, the others on a hex lattice east and south."""
    row, col = divmod(index, TOWNS_PER_ROW)
    east = col * TOWN_SPACING_M + (TOWN_SPACING_M / 2 if row % 2 else 0.0)
    north = -row * TOWN_SPACING_M * math.sqrt(3) / 2
    return Frame(*ORIGIN).offset(east, north)


def star_outline(rng: random.Random, *, vertices: int = 240) -> Polygon:
    """A smooth irregular outline of unit mean radius: r(θ) = 1 + Σ a_k cos(kθ + φ_k).

    The amplitudes sum to at most ~0.35, so r stays positive and the polygon is star-shaped,
    hence simple and valid.
    """
    harmonics = [(k, rng.uniform(lo, hi), rng.uniform(0, 2 * math.pi))
                 for k, lo, hi in ((2, 0.05, 0.12), (3, 0.03, 0.08), (4, 0.02, 0.05),
                                   (5, 0.01, 0.04), (7, 0.005, 0.03), (11, 0.0, 0.02))]
    points = []
    for i in range(vertices):
        theta = 2 * math.pi * i / vertices
        r = 1 + sum(a * math.cos(k * theta + phi) for k, a, phi in harmonics)
        points.append((r * math.sin(theta), r * math.cos(theta)))
    return Polygon(points)


def town_polygon(rng: random.Random, *, centre: tuple[float, float], area_km2: float) -> Polygon:
    """An irregular town outline of `area_km2` around `centre`, in rounded degrees."""
    unit = star_outline(rng)
    metres = affinity.scale(unit, *(2 * [math.sqrt(area_km2 * 1e6 / unit.area)]), origin=(0, 0))
    return snap(Frame(*centre).to_degrees(metres))


def county_polygon(towns: Sequence[BaseGeometry], *, margin_m: float = 3_000.0) -> BaseGeometry:
    """A county outline comfortably containing every town: their convex hull plus a margin."""
    hull = shapely.union_all(list(towns)).convex_hull
    frame = frame_of(hull)
    grown = frame.to_metres(hull).buffer(margin_m, quad_segs=4)
    return snap(frame.to_degrees(grown))


# --- tessellation -------------------------------------------------------------------------------

def tessellate(parent: Polygon, n: int, rng: random.Random, *, rounds: int = LLOYD_ROUNDS) -> list[Polygon]:
    """Split `parent` (rounded degrees) into `n` valid, non-overlapping polygons covering it.

    Seeded points are relaxed with Lloyd's algorithm (each point moves to its cell's centroid)
    so the cells come out of similar size; the result is ordered clockwise from north around
    the parent's centroid, which gives stable codes and names.
    """
    frame = frame_of(parent)
    region = frame.to_metres(parent)
    extent = region.envelope.buffer(region.length / 4)
    points = _random_points(region, n, rng)
    for _ in range(rounds):
        points = [_centre_in(cell, region) for cell in _voronoi(points, extent, region)]
    cells = [frame.to_degrees(c) for c in _voronoi(points, extent, None)]
    pieces = [shapely.intersection(c, parent, grid_size=GRID) for c in cells]
    children = _merge_stray_parts([_polygons(p) for p in pieces])
    if len(children) != n:
        raise ValueError(f"tessellation produced {len(children)} cells instead of {n}")
    return sorted(children, key=lambda c: _bearing(parent.centroid, c.representative_point()))


def _random_points(region: BaseGeometry, n: int, rng: random.Random) -> list[Point]:
    min_x, min_y, max_x, max_y = region.bounds
    points: list[Point] = []
    while len(points) < n:
        p = Point(rng.uniform(min_x, max_x), rng.uniform(min_y, max_y))
        if region.contains(p):
            points.append(p)
    return points


def _voronoi(points: list[Point], extent: BaseGeometry, clip: BaseGeometry | None) -> list[BaseGeometry]:
    cells = list(shapely.voronoi_polygons(MultiPoint(points), extend_to=extent).geoms)
    return cells if clip is None else [c.intersection(clip) for c in cells]


def _centre_in(cell: BaseGeometry, region: BaseGeometry) -> Point:
    """The cell's centroid, or a point inside it when a concave edge puts the centroid outside."""
    c = cell.centroid
    return c if region.contains(c) else cell.representative_point()


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    """Polygon parts, largest first (an overlay may also return stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, Polygon) and not p.is_empty]
    return sorted(parts, key=lambda p: -p.area)


def _merge_stray_parts(cells: list[list[Polygon]]) -> list[Polygon]:
    """Keep each cell's largest part; hand every smaller part to the neighbour sharing most border.

    A convex Voronoi cell clipped by a concave outline can fall apart into pieces; giving the
    strays away keeps every child a single polygon without changing the union.
    """
    main = [parts[0] for parts in cells if parts]
    strays = [p for parts in cells for p in parts[1:]]
    for stray in sorted(strays, key=lambda p: -p.area):
        border = [stray.boundary.intersection(m.boundary).length for m in main]
        best = max(range(len(main)), key=border.__getitem__)
        merged = _polygons(shapely.union(main[best], stray, grid_size=GRID))
        if len(merged) == 1:
            main[best] = merged[0]
    return main


def _bearing(origin: Point, p: Point) -> float:
    """Clockwise angle from north, in radians 0…2π."""
    return math.atan2(p.x - origin.x, p.y - origin.y) % (2 * math.pi)


# --- special grids ------------------------------------------------------------------------------

def shared_border_midpoint(cells: Sequence[Polygon], *, rank: int = 0) -> Point:
    """Midpoint of the rank-th longest border shared by two cells (a spot that straddles grids)."""
    borders: list[LineString] = []
    for i, a in enumerate(cells):
        for b in cells[i + 1:]:
            lines = shapely.line_merge(a.boundary.intersection(b.boundary))
            borders.extend(p for p in shapely.get_parts(lines) if isinstance(p, LineString))
    borders.sort(key=lambda line: -line.length)
    return borders[min(rank, len(borders) - 1)].interpolate(0.5, normalized=True)


def site_polygon(rng: random.Random, *, at: Point, width_m: float, depth_m: float,
                 inside: Polygon) -> Polygon:
    """A rotated rectangle (a school or hospital compound) centred at `at`, clipped to `inside`."""
    frame = Frame(at.x, at.y)
    rect = box(-width_m / 2, -depth_m / 2, width_m / 2, depth_m / 2)
    rect = affinity.rotate(rect, rng.uniform(-35, 35), origin=(0, 0))
    clipped = _polygons(shapely.intersection(frame.to_degrees(rect), inside, grid_size=GRID))
    return clipped[0]
