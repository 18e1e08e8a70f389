"""Rules an area must follow: code shape, parent, level, geometry, containment.

Pure functions returning ``(field, message)`` pairs so import, admin form and API report every
problem at once; `zhenwu.areas.services.area_validate` combines them.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import shapely
from django.conf import settings
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from zhenwu.areas.choices import ALLOWED_PARENT, AreaLevel, SpecialKind
from zhenwu.areas.geometry import POLYGON_TYPES, covers_within_m, to_shape

Problem = tuple[str | None, Any]


def _interpolate(message: Any, params: dict[str, Any]) -> str:
    return str(message) % {k: str(v) if isinstance(v, Promise) else v for k, v in params.items()}


# Interpolated messages stay lazy, so the API can render them in Chinese and in English.
fmt = lazy(_interpolate, str)

# Length of the code at each level; a special grid adds 3 digits to its town or village.
CODE_LENGTH: dict[str, int] = {AreaLevel.COUNTY: 6, AreaLevel.TOWN: 9, AreaLevel.VILLAGE: 12,
               AreaLevel.GRID1: 15, AreaLevel.GRID2: 18}
# Allowed range of the last three digits (DOMAIN.md: towns 001–399; 900–999 reserved for special grids,
# so villages and level-1 grids stop at 899 to keep codes of the same length unambiguous).
SEGMENT_RANGE: dict[str, tuple[int, int]] = {
    AreaLevel.TOWN: (1, 399), AreaLevel.VILLAGE: (1, 899), AreaLevel.GRID1: (1, 899),
    AreaLevel.GRID2: (1, 999), AreaLevel.SPECIAL: (900, 999),
}


class AreaLike(Protocol):
    """What validation needs to know of a parent: an Area, or a feature not yet saved."""

    code: str
    level: str
    geometry: dict[str, Any] | None


def check_code(code: Any, level: str, parent_code: str | None) -> list[Problem]:
    """Digits only, the right length for the level, the parent's code plus three digits."""
    if not isinstance(code, str) or not code.isdigit() or not code.isascii():
        return [("code", _("The code must consist of digits only."))]
    if level == AreaLevel.COUNTY:
        return _check_county_code(code)
    label = AreaLevel(level).label
    expected = CODE_LENGTH.get(level) or (len(parent_code) + 3 if parent_code else None)
    if expected and len(code) != expected:
        return [("code", fmt(_("A %(level)s code has %(n)s digits."), {"level": label, "n": expected}))]
    if parent_code and code[:-3] != parent_code:
        return [("code", fmt(_("The code must be the parent code %(parent)s plus three digits."),
                {"parent": parent_code}))]
    low, high = SEGMENT_RANGE[level]
    if not low <= int(code[-3:]) <= high:
        return [("code", fmt(_("The last three digits of a %(level)s code must be %(low)03d–%(high)03d."),
                {"level": label, "low": low, "high": high}))]
    return []


def _check_county_code(code: str) -> list[Problem]:
    # GB/T 2260: province 11–82, and a county's last two digits are never 00 (that is a prefecture).
    if len(code) != 6 or not 11 <= int(code[:2]) <= 82 or code[4:] == "00":
        return [("code", _("A county code has 6 digits (GB/T 2260), e.g. 321181."))]
    return []


def check_level(level: Any, parent: AreaLike | None, parent_code: str | None) -> list[Problem]:
    """The level exists and may sit under the parent's level; only a county has no parent."""
    if level not in AreaLevel.values:
        return [("level", fmt(_("Unknown level %(level)s; use one of: %(levels)s."),
                {"level": level, "levels": ", ".join(AreaLevel.values)}))]
    allowed = ALLOWED_PARENT[level]
    if not allowed:
        return [("parent", _("A county has no parent."))] if parent_code else []
    if not parent_code:
        return [("parent", _("This level needs a parent area."))]
    if parent is None:
        return [("parent", fmt(_("Unknown parent area %(code)s."), {"code": parent_code}))]
    if parent.level not in allowed:
        return [("parent", fmt(_("A %(level)s cannot sit under a %(parent_level)s."),
                {"level": AreaLevel(level).label, "parent_level": _level_label(parent.level)}))]
    return []


def _level_label(level: str) -> Any:
    return AreaLevel(level).label if level in AreaLevel.values else level


def check_special_kind(level: str, special_kind: Any) -> list[Problem]:
    if level == AreaLevel.SPECIAL and special_kind not in SpecialKind.values:
        return [("special_kind", fmt(_("A special grid needs a kind: %(kinds)s."),
                {"kinds": ", ".join(SpecialKind.values)}))]
    if level != AreaLevel.SPECIAL and special_kind:
        return [("special_kind", _("Only special grids have a kind."))]
    return []


def check_name(name: Any) -> list[Problem]:
    if not isinstance(name, str) or not name.strip():
        return [("name", _("The name is required."))]
    if len(name) > 100:
        return [("name", _("The name is longer than 100 characters."))]
    return []


def check_geometry(geojson: Any) -> tuple[BaseGeometry | None, list[Problem]]:
    """Parse a GeoJSON Polygon/MultiPolygon; well-formed, closed rings, in range, valid, non-empty."""
    message = _structure_problem(geojson)
    if message is None:
        geom = to_shape(geojson)
        if not geom.is_valid:
            message = fmt(_("The polygon is not valid: %(reason)s."),
                    {"reason": shapely.is_valid_reason(geom)})
        elif geom.is_empty or geom.area <= 0:
            message = _("The polygon has no area.")
        else:
            return geom, []
    return None, [("geometry", message)]


def _structure_problem(geojson: Any) -> Any:
    if not isinstance(geojson, dict) or geojson.get("type") not in POLYGON_TYPES:
        return _("The geometry must be a GeoJSON Polygon or MultiPolygon.")
    coords = geojson.get("coordinates")
    polygons = [coords] if geojson["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return _("The geometry has no coordinates.")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return _("Each polygon must be a list of rings.")
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem is not None:
                return problem
    return None


def _ring_problem(ring: Any) -> Any:
    if not isinstance(ring, list) or len(ring) < 4:
        return _("Each ring needs at least four positions.")
    for pos in ring:
        if not _is_position(pos):
            return _("Each position must be [longitude, latitude] in degrees (WGS84).")
    if list(ring[0][:2]) != list(ring[-1][:2]):
        return _("A ring is not closed: its first and last positions differ.")
    return None


def _is_position(pos: Any) -> bool:
    if not isinstance(pos, list | tuple) or len(pos) not in (2, 3):
        return False
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in pos):
        return False
    return -180 <= pos[0] <= 180 and -90 <= pos[1] <= 90


def check_inside_parent(child: BaseGeometry, parent_geom: BaseGeometry | None) -> list[Problem]:
    """The child lies inside its parent, give or take settings.AREA_CONTAINMENT_TOLERANCE_M."""
    tolerance = settings.AREA_CONTAINMENT_TOLERANCE_M
    if parent_geom is None or covers_within_m(parent_geom, child, tolerance):
        return []
    return [("geometry", fmt(_("The area lies outside its parent (tolerance %(m)s m)."), {"m": tolerance}))]
