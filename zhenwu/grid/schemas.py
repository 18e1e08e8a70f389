"""Input and output schemas of /api/v1/grid/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from zhenwu.paging import MAX_OFFSET


class GridCategoryOut(Schema):
    code: str
    name: str
    major_code: str
    major_name: str
    type: str
    department: str
    limit_unit: str
    limit_value: int
    self_close: bool
    priority: str
    recent: bool


class IncidentIn(Schema):
    """The report form (multipart); numbers and times as text, checked by the service (400 per field)."""

    category: str = ""
    lng: str = ""
    lat: str = ""
    crs: str = "wgs84"
    grid_code: str = ""
    address: str = ""
    description: str = ""
    source: str = "patrol"
    reported_at: str = ""
    reporter_name: str = ""
    reporter_mobile: str = ""
    merge_into: str = ""


class IncidentActionIn(Schema):
    """One step (multipart): the fields the action needs (see ``actions[].required`` of the detail)."""

    expected_version: int | None = None
    reason: str = ""
    result: str = ""
    into: str = ""
    value: str = ""
    score: str = ""
    note: str = ""
    unit: str = ""
    handler: str = ""


class IncidentPhotoOut(Schema):
    sha256: str
    url: str


class IncidentDuplicateOut(Schema):
    number: str
    status: str
    status_label: str
    category_name: str
    address: str
    description: str
    distance_m: float | None = None
    created_at: dt.datetime


class IncidentOut(Schema):
    number: str
    status: str
    status_label: str
    version: int
    category: str
    category_name: str
    grid_code: str
    grid_name: str
    lng: float | None
    lat: float | None
    address: str
    description: str
    source: str
    priority: str
    due_at: dt.datetime | None
    light: str
    photos: list[IncidentPhotoOut]
    result_photos: list[IncidentPhotoOut]
    verify_photos: list[IncidentPhotoOut]
    duplicates: list[IncidentDuplicateOut] = []
    escalation_level: str
    rework_count: int
    merged_into: str | None
    handler: str | None
    handler_unit: str | None
    reporter_name: str
    reported_at: dt.datetime
    created_at: dt.datetime


class IncidentActionOut(Schema):
    key: str
    label: str
    required: list[str]


class IncidentTimelineOut(Schema):
    seq: int
    action: str
    actor_name: str
    from_state: str
    to_state: str
    reason: str
    attachments: list[str]
    created_at: dt.datetime


class GridUnitOut(Schema):
    id: int
    name: str


class IncidentExtensionOut(Schema):
    value: int
    unit: str
    reason: str
    requested_by: str
    requested_at: dt.datetime


class IncidentDetailOut(IncidentOut):
    actions: list[IncidentActionOut]
    timeline: list[IncidentTimelineOut]
    merged: list[str]
    extension: IncidentExtensionOut | None
    suggested_department: GridUnitOut | None
    suggested_squad: GridUnitOut | None
    evaluation: int | None
    evaluation_note: str


class IncidentPageOut(Schema):
    items: list[IncidentOut]
    count: int


class IncidentListIn(Schema):
    status: str = ""
    grid: str = ""
    category: str = ""
    source: str = ""
    light: str = ""
    q: str = Field("", max_length=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=200)


class GridTaskOut(Schema):
    number: str
    title: str
    task: str
    due_at: dt.datetime | None
    light: str
    lng: float | None
    lat: float | None
    page_url: str


class IncidentMapOut(Schema):
    type: str
    features: list[dict[str, Any]]
