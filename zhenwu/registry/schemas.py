"""Input and output schemas of the registry API (inputs are raw: the services validate them)."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

# --- shared ----------------------------------------------------------------------------------------


class ListIn(Schema):
    grid: str | None = Field(None, description="Area code: the grid (or any area) whose rows to list")
    q: str | None = Field(None, description="Search: full ID number / USCC, 11-digit mobile, or a name/address start")
    after: int | None = Field(None, ge=1, le=2**63 - 1, description="Keyset cursor: `next_after` of the previous page")
    limit: int = Field(50, ge=1, le=200)


class RefOut(Schema):
    id: int
    number: str


class LocatedIn(Schema):
    lng: float | None = None
    lat: float | None = None


# --- residents -------------------------------------------------------------------------------------

class ResidentListIn(ListIn):
    status: str | None = None
    tag: str | None = None


class ResidentIn(LocatedIn):
    id_number: str
    name: str
    mobile: str = ""
    grid: str
    household: str = Field("", description="Household number")
    relation: str = ""
    status: str
    arrival_date: datetime.date | None = None
    origin: str = ""
    tags: list[str] = []


class ResidentPatch(Schema):
    id_number: str | None = None
    name: str | None = None
    mobile: str | None = None
    grid: str | None = None
    household: str | None = None
    relation: str | None = None
    status: str | None = None
    arrival_date: datetime.date | None = None
    origin: str | None = None
    tags: list[str] | None = None
    lng: float | None = None
    lat: float | None = None


class TagsIn(Schema):
    tags: list[str]


class ResidentOut(Schema):
    id: int
    id_number: str
    name: str
    mobile: str
    sex: str
    sex_label: str
    age: int
    birth_date: datetime.date | None
    status: str
    status_label: str
    relation: str
    relation_label: str
    household: RefOut | None
    grid: str
    arrival_date: datetime.date | None
    origin: str
    tags: list[str]
    lng: float | None
    lat: float | None
    masked: bool


class ResidentPageOut(Schema):
    items: list[ResidentOut]
    next_after: int | None
    count: int
    count_capped: bool


# --- households ------------------------------------------------------------------------------------

class HouseholdListIn(ListIn):
    kind: str | None = None


class HouseholdIn(LocatedIn):
    number: str
    address: str
    kind: str
    grid: str


class HouseholdPatch(Schema):
    number: str | None = None
    address: str | None = None
    kind: str | None = None
    grid: str | None = None
    lng: float | None = None
    lat: float | None = None


class HeadOut(Schema):
    id: int
    name: str


class HouseholdOut(Schema):
    id: int
    number: str
    address: str
    kind: str
    kind_label: str
    grid: str
    head: HeadOut | None
    lng: float | None
    lat: float | None


class HouseholdDetailOut(HouseholdOut):
    members: list[ResidentOut]


class HouseholdPageOut(Schema):
    items: list[HouseholdOut]
    next_after: int | None
    count: int
    count_capped: bool


# --- enterprises -----------------------------------------------------------------------------------

class EnterpriseListIn(ListIn):
    operating_status: str | None = None
    risk_level: str | None = None
    abnormal: bool | None = None


class EnterpriseIn(LocatedIn):
    uscc: str
    name: str
    legal_representative: str
    industry: str = ""
    address: str
    grid: str
    operating_status: str = "operating"
    risk_level: str = "low"
    abnormal_listed: bool = False
    complaint_count: int = Field(0, ge=0)
    mobile: str = ""


class EnterprisePatch(Schema):
    uscc: str | None = None
    name: str | None = None
    legal_representative: str | None = None
    industry: str | None = None
    address: str | None = None
    grid: str | None = None
    operating_status: str | None = None
    risk_level: str | None = None
    abnormal_listed: bool | None = None
    complaint_count: int | None = Field(None, ge=0)
    mobile: str | None = None
    lng: float | None = None
    lat: float | None = None


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    legal_representative: str
    industry: str
    address: str
    grid: str
    operating_status: str
    operating_status_label: str
    risk_level: str
    risk_level_label: str
    abnormal_listed: bool
    complaint_count: int
    mobile: str
    lng: float | None
    lat: float | None


class EnterprisePageOut(Schema):
    items: list[EnterpriseOut]
    next_after: int | None
    count: int
    count_capped: bool


# --- places ----------------------------------------------------------------------------------------

class PlaceListIn(ListIn):
    kind: str | None = None


class PlaceIn(LocatedIn):
    kind: str
    name: str
    address: str
    grid: str
    enterprise: str = Field("", description="USCC of the enterprise running the place")
    contact_name: str = ""
    contact_mobile: str = ""


class PlacePatch(Schema):
    kind: str | None = None
    name: str | None = None
    address: str | None = None
    grid: str | None = None
    enterprise: str | None = None
    contact_name: str | None = None
    contact_mobile: str | None = None
    lng: float | None = None
    lat: float | None = None


class EnterpriseRefOut(Schema):
    id: int
    name: str
    uscc: str


class PlaceOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    address: str
    grid: str
    enterprise: EnterpriseRefOut | None
    contact_name: str
    contact_mobile: str
    lng: float | None
    lat: float | None


class PlacePageOut(Schema):
    items: list[PlaceOut]
    next_after: int | None
    count: int
    count_capped: bool


# --- cameras ---------------------------------------------------------------------------------------

class CameraListIn(ListIn):
    source_system: str | None = None


class CameraIn(LocatedIn):
    code: str
    name: str
    source_system: str
    stream_url: str = ""
    grid: str


class CameraPatch(Schema):
    code: str | None = None
    name: str | None = None
    source_system: str | None = None
    stream_url: str | None = None
    grid: str | None = None
    lng: float | None = None
    lat: float | None = None


class CameraOut(Schema):
    id: int
    code: str
    name: str
    source_system: str
    stream_url: str
    grid: str
    lng: float | None
    lat: float | None


class CameraPageOut(Schema):
    items: list[CameraOut]
    next_after: int | None
    count: int
    count_capped: bool


# --- grid staffing and the grid file ----------------------------------------------------------------

class AssignmentListIn(Schema):
    grid: str | None = None
    current: bool | None = None


class AssignmentIn(Schema):
    grid: str
    user_id: int = Field(ge=1, le=2**63 - 1)
    duty: str
    started_on: datetime.date


class AssignmentEndIn(Schema):
    ended_on: datetime.date


class AssignmentOut(Schema):
    id: int
    grid: str
    grid_name: str
    user_id: int
    user: str
    duty: str
    duty_label: str
    started_on: datetime.date
    ended_on: datetime.date | None
    current: bool


class GridRefOut(Schema):
    code: str
    name: str
    level: str


class GridFileOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    parent: GridRefOut | None
    sub_grids: list[GridRefOut]
    current_staff: list[AssignmentOut]
    past_staff: list[AssignmentOut]
    counts: dict[str, int]
    residents_by_status: dict[str, int]
    residents_by_tag: dict[str, int]
