"""Input and output schemas of /api/v1/assistance/ (files, needs, applications; the publicity list)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class AssistanceCountOut(Schema):
    village: str
    village_name: str
    status: str
    status_label: str
    count: int


class AssistanceApplicationCountOut(Schema):
    kind: str
    kind_label: str
    status: str
    status_label: str
    count: int


class AssistanceFileOut(Schema):
    id: int
    household_id: int
    household_number: str
    head_name: str
    address: str
    area_code: str
    status: str
    status_label: str
    status_since: datetime.date | None
    next_review_on: datetime.date | None


class AssistanceMemberOut(Schema):
    resident_id: int
    name: str
    id_number: str  # masked
    relation: str
    birth_date: datetime.date
    disability_grade: int
    work_capacity: str
    schooling: str
    health: str
    note: str


class AssistanceIncomeOut(Schema):
    id: int
    member_id: int | None
    source: str
    source_label: str
    monthly_amount: Decimal
    origin: str
    note: str


class AssistanceAssetOut(Schema):
    id: int
    kind: str
    kind_label: str
    description: str
    value: Decimal


class AssistanceExpenditureOut(Schema):
    id: int
    member_id: int | None
    kind: str
    kind_label: str
    year: int
    yearly_amount: Decimal
    evidence: str  # SHA-256; GET files/{id}/evidence/{sha}
    description: str


class AssistanceMatchOut(Schema):
    resource_id: int
    resource_name: str
    resource_kind: str
    note: str
    matched_at: datetime.datetime


class AssistanceNeedOut(Schema):
    id: int
    file_id: int
    household_number: str
    area_code: str
    member_id: int | None
    kind: str
    kind_label: str
    description: str
    status: str
    status_label: str
    found_on: datetime.date
    matches: list[AssistanceMatchOut]


class AssistanceStatusChangeOut(Schema):
    old: str
    new: str
    on: datetime.date
    reason: str


class AssistanceApplicationOut(Schema):
    number: str
    kind: str
    kind_label: str
    channel: str
    status: str
    status_label: str
    applicant_name: str
    area_code: str
    amount: Decimal | None
    created_at: datetime.datetime
    due_at: datetime.datetime | None
    light: str


class AssistanceFileDetailOut(AssistanceFileOut):
    members: list[AssistanceMemberOut]
    incomes: list[AssistanceIncomeOut]
    assets: list[AssistanceAssetOut]
    expenditures: list[AssistanceExpenditureOut]
    needs: list[AssistanceNeedOut]
    history: list[AssistanceStatusChangeOut]
    applications: list[AssistanceApplicationOut]


class AssistanceActionOut(Schema):
    key: str
    label: str
    required: list[str]


class AssistanceApplicationDetailOut(AssistanceApplicationOut):
    file_id: int
    reason: str
    hall_number: str
    consent_method: str
    consent_by: str
    check_result: dict[str, Any]
    survey: dict[str, Any]
    survey_photos: list[str]
    appraisal: dict[str, Any]
    publicity_from: datetime.date | None
    publicity_until: datetime.date | None
    objections: str
    decision: str
    decision_reason: str
    paid_from: datetime.date | None
    reviews: list[dict[str, Any]]
    version: int
    actions: list[AssistanceActionOut]


class AssistanceMyApplicationOut(Schema):
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    created_at: datetime.datetime
    version: int


class AssistancePublicityOut(Schema):
    name: str
    village: str
    amount: Decimal | None
    until: datetime.date | None


class AssistanceResourceOut(Schema):
    id: int
    kind: str
    name: str
    provider: str
    need_kinds: list[str]
    area_code: str
    contact: str


class AssistanceFileIn(Schema):
    household_id: int


class AssistanceStatusIn(Schema):
    status: str = Field(max_length=16)
    reason: str = Field(max_length=200)
    on: datetime.date | None = None


class AssistanceMemberIn(Schema):
    disability_grade: int | None = None
    work_capacity: str | None = Field(None, max_length=16)
    schooling: str | None = Field(None, max_length=16)
    health: str | None = Field(None, max_length=16)
    note: str | None = Field(None, max_length=200)


class AssistanceIncomeIn(Schema):
    source: str = Field(max_length=16)
    monthly_amount: str = Field(max_length=20)
    member_id: int | None = None
    origin: str = Field("declared", max_length=16)
    note: str = Field("", max_length=200)


class AssistanceAssetIn(Schema):
    kind: str = Field(max_length=16)
    description: str = Field(max_length=200)
    value: str = Field(max_length=20)


class AssistanceNeedIn(Schema):
    kind: str = Field(max_length=16)
    description: str = Field(max_length=300)
    member_id: int | None = None
    found_on: datetime.date | None = None


class AssistanceMatchIn(Schema):
    resource_id: int
    note: str = Field("", max_length=200)


class AssistanceNeedStatusIn(Schema):
    status: str = Field(max_length=16)


class AssistanceResourceIn(Schema):
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    need_kinds: list[str] = Field(max_length=10)
    area_code: str = Field("", max_length=24)
    provider: str = Field("", max_length=200)
    contact: str = Field("", max_length=100)


class AssistanceIncomeDataIn(Schema):
    provider: str = Field(max_length=100)
    rows: list[dict[str, Any]] = Field(max_length=20_000)


class AssistanceImportOut(Schema):
    rows: int
    written: int


class AssistanceApplicationIn(Schema):
    kind: str = Field(max_length=16)
    applicant_id: int
    reason: str = Field(max_length=2000)
    channel: str = Field("proxy", max_length=16)
    consent_method: str = Field("", max_length=16)
    consent_by: str = Field("", max_length=50)


class AssistanceOnlineApplicationIn(Schema):
    kind: str = Field(max_length=16)
    reason: str = Field(max_length=2000)


class AssistanceHallIn(Schema):
    hall_number: str = Field(max_length=40)


class AssistanceActIn(Schema):
    fields: dict[str, Any] = {}
    reason: str = Field("", max_length=2000)
    expected_version: int | None = None


class AssistancePhotoOut(Schema):
    sha256: str
