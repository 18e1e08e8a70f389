"""Input and output schemas of /api/v1/services/."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from zhenwu.paging import MAX_OFFSET


class MaterialOut(Schema):
    name: str
    form: str
    count: int
    required: bool
    sample: str


class ItemOut(Schema):
    code: str
    version: int
    name: str
    kind: str
    department: str
    promised_limit_days: int
    legal_limit_days: int
    online: bool
    proxy: bool


class ItemDetailOut(ItemOut):
    aliases: list[str]
    legal_basis: str
    conditions: str
    materials: list[MaterialOut]
    fees: str
    delivery: list[str]
    supervision: bool
    chain: list[str]
    applicant: str


class MaterialIn(Schema):
    name: str
    provided: bool = True
    attachments: list[str] = []


class ApplicantIn(Schema):
    applicant_kind: str = "person"
    applicant_name: str = ""
    id_number: str = ""
    uscc: str = ""
    mobile: str = ""


class ConsentIn(Schema):
    by: str = ""
    method: str = ""
    at: dt.datetime | None = None


class SubmitIn(Schema):
    item_code: str
    channel: str
    materials: list[MaterialIn] = []
    applicant: ApplicantIn | None = None
    consent: ConsentIn | None = None
    area_code: str | None = None


class CitizenSubmitIn(Schema):
    item_code: str
    channel: str = "online"
    materials: list[MaterialIn] = []
    area_code: str | None = None


class VersionIn(Schema):
    version: int | None = None


class ReasonIn(VersionIn):
    reason: str = ""


class SupplementIn(VersionIn):
    missing: list[str]
    reason: str = ""


class SupplyIn(VersionIn):
    materials: list[MaterialIn]


class ReviewIn(VersionIn):
    step: str
    opinion: str
    approve: bool


class DecideIn(VersionIn):
    approve: bool
    reason: str = ""


class DeliverIn(VersionIn):
    mode: str
    tracking_number: str = ""
    signature: str = ""
    result_attachment: str = ""


class ReassignIn(Schema):
    handler_id: int
    reason: str = ""


class SearchIn(Schema):
    queue: str = ""
    item: str = ""
    department: str = ""
    channel: str = ""
    status: str = ""
    light: str = ""
    q: str = ""
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=MAX_OFFSET)


class RateIn(Schema):
    level: int
    comment: str = ""


class StandInIn(Schema):
    user_id: int
    stand_in_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class ApplicationOut(Schema):
    number: str
    item_code: str
    item_name: str
    item_version: int
    department: str
    channel: str
    status: str
    status_label: str
    version: int
    light: str
    due_at: dt.datetime | None
    paused: bool
    applicant_name: str
    applicant_mobile: str
    handler: str | None
    first_contact: str | None
    result: str
    created_at: dt.datetime


class TimelineOut(Schema):
    seq: int
    action: str
    actor_name: str
    from_state: str
    to_state: str
    reason: str
    attachments: list[str]
    created_at: dt.datetime
    stand_in_for: str | None = None


class ApplicationDetailOut(ApplicationOut):
    materials: list[dict[str, Any]]
    supplement_missing: list[str]
    result_reason: str
    pause_reason: str
    delivery_mode: str
    tracking_number: str
    consent_by: str
    timeline: list[TimelineOut]
    actions: list[str]


class ApplicationPageOut(Schema):
    items: list[ApplicationOut]
    count: int
    counts: dict[str, Any]


class TrackingStepOut(Schema):
    state: str
    label: str
    at: dt.datetime


class TrackIn(Schema):
    number: str
    code: str


class TrackingOut(Schema):
    number: str
    item: str
    status: str
    status_label: str
    light: str
    due_at: dt.datetime | None
    created_at: dt.datetime
    expected_on: dt.date | None
    result: str
    result_label: str
    result_reason: str
    decided_at: dt.datetime | None
    delivery_mode: str
    express_number: str
    delivered_at: dt.datetime | None
    rateable: bool
    steps: list[TrackingStepOut]


class UploadOut(Schema):
    sha256: str
    content_type: str
    size: int


class RatingOut(Schema):
    level: int
    channel: str
    rectification_id: int | None


class RectificationOut(Schema):
    id: int
    number: str
    level: int
    comment: str
    status: str
    verify_due_at: dt.datetime
    rectify_due_at: dt.datetime
    verification: str
    reply: str
    callback: str
    case_number: str
    version: int


class TaskTextIn(Schema):
    text: str
    version: int | None = None  # the task case's version the client saw: a stale one is 409




class SupervisionOut(Schema):
    id: int
    number: str
    item_name: str
    applicant_name: str
    area_code: str
    status: str
    note: str
    created_at: dt.datetime
    case_number: str
    version: int


class StandInOut(Schema):
    id: int
    user_id: int
    stand_in_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class StatRowOut(Schema):
    key: str
    label: str
    cases: int
    finished: int
    on_time: int
    on_time_rate: float | None
    avg_used_days: float | None
    avg_promised_days: float | None
    rated: int
    ratings: dict[str, int]


class SupervisionStatsOut(Schema):
    from_date: dt.date
    to_date: dt.date
    group: str
    rows: list[StatRowOut]
    total: StatRowOut


class SupervisionCaseOut(Schema):
    number: str
    item_name: str
    channel: str
    status: str
    light: str
    due_at: dt.datetime | None
    handler: str
