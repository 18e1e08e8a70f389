"""Writes to the area tree. Every change invalidates the point→area index."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from zhenwu.areas import index
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.geometry import derived_fields, to_shape
from zhenwu.areas.models import Area
from zhenwu.areas.validation import (
    AreaLike,
    Problem,
    check_code,
    check_geometry,
    check_inside_parent,
    check_level,
    check_name,
    check_special_kind,
    fmt,
)
from zhenwu.errors import Conflict, FieldError


def area_validate(*, code: Any, name: Any, level: Any, parent_code: str | None, parent: AreaLike | None,
                  geometry: Any, special_kind: Any = "", require_geometry: bool = False,
                  shapes: dict[str, BaseGeometry | None] | None = None) -> list[Problem]:
    """Every problem of one area as (field, message) pairs; [] when it may be written.

    The one rule set behind import, the admin form and the API: code shape and digits per level,
    parent exists and has an allowed level, special-grid kind, name, a valid polygon inside the
    parent. `shapes` memoises parsed parent geometries across calls (an import checks many children
    against one parent).
    """
    problems = check_name(name) + check_level(level, parent, parent_code)
    if level in AreaLevel.values:
        problems += check_code(code, level, parent_code) + check_special_kind(level, special_kind)
    if geometry is None:
        if require_geometry:
            problems.append(("geometry", _("The geometry is required.")))
        return problems
    geom, geometry_problems = check_geometry(geometry)
    problems += geometry_problems
    if geom is not None and parent is not None:
        problems += check_inside_parent(geom, _parent_shape(parent, shapes))
    return problems


def _parent_shape(parent: AreaLike, shapes: dict[str, BaseGeometry | None] | None) -> BaseGeometry | None:
    if shapes is not None and parent.code in shapes:
        return shapes[parent.code]
    geom = to_shape(parent.geometry) if parent.geometry else None
    if shapes is not None:
        shapes[parent.code] = geom
    return geom


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise FieldError(None, errors=problems)


def _changed() -> None:
    # Now for this process (the rebuild sees our own transaction), again after commit; other
    # processes notice through the stamp of the table (see index.py).
    index.invalidate()
    transaction.on_commit(index.invalidate)


@transaction.atomic
def area_create(*, code: str, name: str, level: str, parent: Area | None,
                geometry: dict[str, Any] | None, special_kind: str = "") -> Area:
    """Create one area; centroid, bbox and area are derived from the geometry."""
    if Area.objects.filter(code=code).exists():
        raise Conflict(fmt(_("An area with code %(code)s already exists."), {"code": code}), field="code")
    _raise_if(area_validate(code=code, name=name, level=level, parent=parent, geometry=geometry,
                            parent_code=parent.code if parent else None, special_kind=special_kind))
    area = Area(code=code, name=name, level=level, parent=parent, geometry=geometry,
                special_kind=special_kind, **derived_fields(geometry))
    area.full_clean()
    area.save()
    _changed()
    return area


@transaction.atomic
def area_update(*, area: Area, name: str, level: str, geometry: dict[str, Any] | None,
                special_kind: str = "") -> Area:
    """Change an area's name, level, kind or geometry (its code and so its parent are fixed)."""
    parent = area.parent
    _raise_if(area_validate(code=area.code, name=name, level=level, parent=parent, geometry=geometry,
                            parent_code=parent.code if parent else None, special_kind=special_kind))
    area.name, area.level, area.geometry, area.special_kind = name, level, geometry, special_kind
    for key, value in derived_fields(geometry).items():
        setattr(area, key, value)
    area.full_clean()
    area.save()
    _changed()
    return area


@transaction.atomic
def area_delete(*, area: Area) -> None:
    """Delete an area that has no children and no staff scoped to it."""
    if area.children.exists() or area.staff.exists():
        raise Conflict(_("This area still has child areas or staff; move or delete them first."))
    area.delete()
    _changed()


# --- GeoJSON import -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    """Codes created and updated by one import."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


@dataclass
class _Row:
    """One feature's raw input (not yet validated, so any JSON value)."""

    index: int
    code: Any
    name: Any
    level: Any
    parent: str | None
    special_kind: Any
    geometry: Any


def area_import_geojson(*, data: Any) -> ImportResult:
    """Import a GeoJSON FeatureCollection, upserting areas by code.

    Properties: ``code``, ``name``, ``level``, ``parent`` (code; empty for a county) and, for special
    grids, ``special_kind``. Every bad feature is reported by index and reason in one FieldError
    (fields like ``features[3].geometry``) and then nothing is written.
    """
    features = _features_of(data)
    rows, problems = _rows_of(features)
    problems += _validate_rows(rows)
    _raise_if(problems)
    return _upsert(rows)


def _features_of(data: Any) -> list[Any]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise FieldError("type", _("The file must be a GeoJSON FeatureCollection."))
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise FieldError("features", _("The FeatureCollection has no features."))
    return features


def _rows_of(features: list[Any]) -> tuple[list[_Row], list[Problem]]:
    rows: list[_Row] = []
    problems: list[Problem] = []
    for i, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(feature, dict) or feature.get("type") != "Feature" or not isinstance(props, dict):
            problems.append((f"features[{i}]", _("Each feature must be a GeoJSON Feature with properties.")))
            continue
        parent = props.get("parent")
        rows.append(_Row(i, props.get("code"), props.get("name"), props.get("level"),
                         str(parent) if parent not in (None, "") else None,
                         props.get("special_kind") or "", feature.get("geometry")))
    return rows, problems


def _validate_rows(rows: list[_Row]) -> list[Problem]:
    parents = _parents_for(rows)
    shapes: dict[str, BaseGeometry | None] = {}
    first_at: dict[str, int] = {}
    problems: list[Problem] = []
    for row in rows:
        found = area_validate(code=row.code, name=row.name, level=row.level, parent_code=row.parent,
                              parent=parents.get(row.parent or ""), geometry=row.geometry,
                              special_kind=row.special_kind, require_geometry=True, shapes=shapes)
        if isinstance(row.code, str) and row.code in first_at:
            found.append(("code", fmt(_("Duplicate code %(code)s (also feature %(other)s)."),
                                      {"code": row.code, "other": first_at[row.code]})))
        first_at.setdefault(str(row.code), row.index)
        problems += [(_feature_field(row.index, f), m) for f, m in found]
    return problems


def _feature_field(i: int, name: str | None) -> str:
    return f"features[{i}].geometry" if name == "geometry" else f"features[{i}].properties.{name}"


@dataclass
class _Node:
    code: str
    level: str
    geometry: dict[str, Any] | None


def _parents_for(rows: list[_Row]) -> dict[str, AreaLike]:
    """Parents by code: from the file first (they are written first), else from the database."""
    nodes: dict[str, AreaLike] = {}
    for r in rows:
        if isinstance(r.code, str):
            nodes.setdefault(r.code, _Node(r.code, r.level, r.geometry))  # a duplicate is reported, not used
    wanted = {r.parent for r in rows if r.parent and r.parent not in nodes}
    for area in Area.objects.filter(code__in=wanted):
        nodes[area.code] = area
    return nodes


@transaction.atomic
def _upsert(rows: list[_Row]) -> ImportResult:
    result = ImportResult()
    rows = sorted(rows, key=lambda r: (len(r.code), r.code))
    codes = {r.code for r in rows} | {r.parent for r in rows if r.parent}
    by_code = {a.code: a for a in Area.objects.select_for_update().filter(code__in=codes)}
    for row in rows:
        area = by_code.get(row.code) or Area(code=row.code, parent=by_code.get(row.parent or ""))
        (result.updated if area.pk else result.created).append(row.code)
        area.name, area.level, area.special_kind = row.name, row.level, row.special_kind
        area.geometry = row.geometry
        for key, value in derived_fields(row.geometry).items():
            setattr(area, key, value)
        area.save()
        by_code[row.code] = area
    _changed()
    return result
