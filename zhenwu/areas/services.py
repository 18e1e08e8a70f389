"""Writes to the area tree. Every change invalidates the point→area index."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhenwu.areas.geometry import derived_fields
from zhenwu.areas.models import Area


@transaction.atomic
def area_create(*, code: str, name: str, level: str, parent: Area | None,
                geometry: dict[str, Any] | None, special_kind: str = "") -> Area:
    """Create one area; centroid, bbox and area are derived from the geometry."""
    area = Area(code=code, name=name, level=level, parent=parent, geometry=geometry,
                special_kind=special_kind, **derived_fields(geometry))
    area.full_clean()
    area.save()
    return area
