"""Input and output schemas of the areas API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

from zhenwu.paging import MAX_PAGE


class AreaRefOut(Schema):
    code: str
    name: str
    level: str


class NearestOut(AreaRefOut):
    distance_m: float


class LocateOut(Schema):
    lng: float
    lat: float
    grid: AreaRefOut | None
    ancestors: list[AreaRefOut]
    special_grids: list[AreaRefOut]
    nearest: NearestOut | None


class AreaStaffOut(Schema):
    name: str
    roles: list[str]


class AreaOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    special_kind: str
    parent: AreaRefOut | None
    centroid: list[float] | None
    bbox: list[float] | None
    area_m2: float | None


class AreaDetailOut(AreaOut):
    geometry: dict[str, Any] | None
    staff: list[AreaStaffOut] | None


class AreaPageOut(Schema):
    items: list[AreaOut]
    count: int
    page: int
    page_size: int


class GeoJsonOut(Schema):
    type: str
    features: list[dict[str, Any]]


class AreaListIn(Schema):
    parent: str | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(50, ge=1, le=200)
