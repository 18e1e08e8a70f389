"""Geometry helpers over GeoJSON (shapely 2): parsing, derived figures, metric distances."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def to_shape(geojson: dict[str, Any]) -> BaseGeometry:
    return shape(geojson)


def local_scale(lat: float) -> tuple[float, float]:
    """Metres per degree of longitude and latitude near `lat` (equirectangular, fine at town scale)."""
    m_per_deg = math.pi * EARTH_RADIUS_M / 180.0
    return m_per_deg * math.cos(math.radians(lat)), m_per_deg


def area_m2(geom: BaseGeometry) -> float:
    """Area in square metres, projecting around the geometry's own latitude."""
    if geom.is_empty:
        return 0.0
    kx, ky = local_scale(geom.centroid.y)
    return float(geom.area * kx * ky)


def derived_fields(geojson: dict[str, Any] | None) -> dict[str, Any]:
    """centroid, bbox and area of a GeoJSON geometry, as stored on Area."""
    if not geojson:
        return {"centroid_lng": None, "centroid_lat": None, "bbox": None, "area_m2": None}
    geom = to_shape(geojson)
    point = geom.representative_point() if not geom.centroid.within(geom) else geom.centroid
    min_x, min_y, max_x, max_y = geom.bounds
    return {
        "centroid_lng": round(point.x, 7),
        "centroid_lat": round(point.y, 7),
        "bbox": [min_x, min_y, max_x, max_y],
        "area_m2": round(area_m2(geom), 1),
    }


def project_local(geom: BaseGeometry, lng0: float, lat0: float) -> BaseGeometry:
    """`geom` in metres on a plane tangent at (lng0, lat0); accurate to well under 1% within a county."""
    kx, ky = local_scale(lat0)
    origin = np.array([lng0, lat0])
    scale = np.array([kx, ky])
    return shapely.transform(geom, lambda coords: (coords - origin) * scale)


def distance_m(geom: BaseGeometry, lng: float, lat: float) -> float:
    """Distance in metres from the point (lng, lat) to `geom` (0 inside)."""
    return float(project_local(geom, lng, lat).distance(Point(0.0, 0.0)))


def covers_within_m(outer: BaseGeometry, inner: BaseGeometry, tolerance_m: float) -> bool:
    """Whether `inner` lies inside `outer`, allowing `inner` to stick out by up to `tolerance_m`."""
    if outer.covers(inner):
        return True
    c = outer.centroid
    outer_m = project_local(outer, c.x, c.y)
    inner_m = project_local(inner, c.x, c.y)
    return bool(outer_m.buffer(tolerance_m).covers(inner_m))
