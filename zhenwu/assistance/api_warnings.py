"""/api/v1/assistance/warnings, /imports and /mutual-aid: early warning (§3) and 福村宝 (§6).

Names and amounts only for civil affairs of the scope and the village worker of the grid (policy_warnings);
counts for every staff member of a scope; imports and rules for civil affairs.
"""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from zhenwu.accounts.http import request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.assistance import policy_warnings as policy
from zhenwu.assistance import selectors_warnings as selectors
from zhenwu.assistance.models import (
    Claim,
    DiseaseGroup,
    EarlyWarning,
    Enrolment,
    MutualAidYear,
    Settlement,
    SettlementImport,
)
from zhenwu.assistance.services import imports, mutual_aid
from zhenwu.assistance.services import warnings as services
from zhenwu.casework.models import Attachment
from zhenwu.errors import FieldError, NotFound
from zhenwu.paging import BoundedPageNumberPagination
from zhenwu.registry.models import Resident

warnings_router = Router(tags=["assistance warnings"])
imports_router = Router(tags=["assistance imports"])
mutual_aid_router = Router(tags=["assistance mutual aid"])


# --- schemas ----------------------------------------------------------------------------------------------

class WarningOut(Schema):
    number: str = Field(alias="case.number")
    reason: str
    reason_label: str
    state: str
    outcome: str
    person_name: str = Field(alias="person.name")
    household: str | None
    area_code: str
    status_at: str
    amount: Decimal | None
    threshold: Decimal | None
    window_start: dt.date | None
    as_of: dt.date
    due_at: dt.datetime | None = Field(alias="case.deadline_due_at")
    light: str = Field(alias="case.light")
    handler: str | None
    version: int = Field(alias="case.version")
    application_number: str
    referred_to: str

    @staticmethod
    def resolve_reason_label(w: EarlyWarning) -> str:
        return str(w.get_reason_display())

    @staticmethod
    def resolve_household(w: EarlyWarning) -> str | None:
        return w.household.number if w.household else None

    @staticmethod
    def resolve_handler(w: EarlyWarning) -> str | None:
        return str(w.case.handler) if w.case.handler else None


class SettlementOut(Schema):
    number: str
    date: dt.date
    total: Decimal
    out_of_pocket: Decimal


class WarningVisitOut(Schema):
    visited_on: dt.date
    visited_by: str
    record: str
    photos: list[str]


class WarningDetailOut(WarningOut):
    settlements: list[SettlementOut]
    visit: WarningVisitOut | None

    @staticmethod
    def resolve_settlements(w: EarlyWarning) -> list[Settlement]:
        window = Settlement.objects.filter(person=w.person, date__lte=w.as_of)
        if w.window_start:
            window = window.filter(date__gt=w.window_start)
        return list(window.order_by("date", "id")[:500])

    @staticmethod
    def resolve_visit(w: EarlyWarning) -> dict[str, Any] | None:
        visit = getattr(w, "visit", None)
        return ({"visited_on": visit.visited_on, "visited_by": str(visit.visited_by), "record": visit.record,
                 "photos": visit.photos} if visit else None)


class CountRow(Schema):
    code: str
    name: str
    raised: int
    open: int
    overdue: int
    visited: int
    no_need: int
    application_opened: int
    referred: int


class CountsOut(Schema):
    villages: list[CountRow]
    towns: list[CountRow]


class WarningRuleOut(Schema):
    status: str
    threshold: Decimal | None
    window_days: int


class RuleIn(Schema):
    threshold: Decimal = Field(gt=0, le=Decimal("99999999.99"))
    window_days: int = Field(ge=1, le=services.MAX_WINDOW_DAYS)
    active: bool = True


class ScanIn(Schema):
    as_of: dt.date | None = None


class ScanOut(Schema):
    raised: list[str]


class WarningReassignIn(Schema):
    handler: int
    reason: str = Field("", max_length=200)


class SettlementRowIn(Schema):
    number: Any = None
    id_number: Any = None
    name: Any = None
    date: Any = None
    total: Any = None
    out_of_pocket: Any = None


class EventRowIn(Schema):
    id_number: Any = None
    name: Any = None
    kind: Any = None
    date: Any = None
    note: Any = None


class SettlementsIn(Schema):
    rows: list[SettlementRowIn] = Field(max_length=50_000)
    dry_run: bool = False


class EventsIn(Schema):
    rows: list[EventRowIn] = Field(max_length=50_000)
    dry_run: bool = False


class ImportErrorOut(Schema):
    row: int
    column: str
    field: str
    message: str
    message_en: str


class ImportReportOut(Schema):
    kind: str
    dry_run: bool
    rows: int
    imported: int
    duplicates: int
    warnings_raised: int
    batch_id: int | None
    errors: list[ImportErrorOut]


class ImportFieldErrorOut(Schema):
    """A refused row (``row``, ``column``) or a refused request (``field``, as every API error: no row)."""

    row: int | None = None
    column: str = ""
    field: str | None = None
    message: str
    message_en: str


class ImportRejectedOut(Schema):
    """400: the import's report with every bad row, or a refused request with only ``errors``."""

    kind: str | None = None
    dry_run: bool | None = None
    rows: int | None = None
    imported: int | None = None
    duplicates: int | None = None
    warnings_raised: int | None = None
    batch_id: int | None = None
    errors: list[ImportFieldErrorOut]


class ImportOut(Schema):
    id: int
    kind: str
    source: str
    file_name: str
    rows: int
    imported: int
    duplicates: int
    warnings_raised: int
    created_at: dt.datetime


# --- warnings --------------------------------------------------------------------------------------------

@warnings_router.get("", response=list[WarningOut], summary="Warnings I may read (civil affairs, village worker)")
@paginate(BoundedPageNumberPagination, page_size=50)
def warning_list(request: HttpRequest, state: str = "", reason: str = "") -> QuerySet[EarlyWarning]:
    qs = policy.warnings_visible(_user(request)).select_related("case__handler")
    if state:
        qs = qs.filter(state=state)
    if reason:
        qs = qs.filter(reason=reason)
    return qs


@warnings_router.get("/counts", response=CountsOut, summary="Warnings, visits and outcomes per village and town")
def warning_counts(request: HttpRequest, date_from: str = "", date_to: str = "") -> dict[str, Any]:
    start, end = selectors.parse_period(date_from, date_to)
    return selectors.warning_counts(user=_user(request), date_from=start, date_to=end)


@warnings_router.get("/rules", response=list[WarningRuleOut], summary="The threshold per status and its rolling window")
def rule_list(request: HttpRequest) -> list[Any]:
    policy.check_counts(_user(request))
    return list(services.rules_current().values())


@warnings_router.put("/rules/{status}", response=WarningRuleOut, summary="Change a status's threshold (civil affairs)")
def rule_put(request: HttpRequest, status: str, payload: RuleIn) -> Any:
    row = services.rule_set(actor=_user(request), status=status, threshold=payload.threshold,
                            window_days=payload.window_days, active=payload.active)
    return services.Rule(row.status, row.threshold if row.active else None, row.window_days)


@warnings_router.post("/scan", response=ScanOut, summary="Run the spending rule now (civil affairs)")
def scan(request: HttpRequest, payload: ScanIn) -> dict[str, Any]:
    user = _user(request)
    policy.check_manager(user)
    if payload.as_of and payload.as_of > dt.date.today() + dt.timedelta(days=1):
        raise FieldError("as_of", _("The date cannot be in the future."))
    return {"raised": [w.case.number for w in services.warnings_scan(as_of=payload.as_of)]}


@warnings_router.get("/{number}", response=WarningDetailOut, summary="One warning (every view is audited)")
def warning_get(request: HttpRequest, number: str) -> EarlyWarning:
    user = _user(request)
    warning = policy.warning_get(user, number)
    services.warning_viewed(actor=user, warning=warning, request_id=request_id(request))
    return warning


@warnings_router.post("/{number}/visit", response=WarningDetailOut,
                      summary="Record the home visit (multipart: record, outcome, photos) and close the warning")
def warning_visit(request: HttpRequest, number: str, record: Form[str] = "", outcome: Form[str] = "",
                  application_number: Form[str] = "", referred_to: Form[str] = "",
                  visited_on: Form[dt.date | None] = None, expected_version: Form[int | None] = None) -> EarlyWarning:
    user = _user(request)
    warning = policy.warning_get(user, number)
    photos = []
    for i, f in enumerate(request.FILES.getlist("photos")):
        if (f.size or 0) > settings.GRID_PHOTO_MAX_BYTES:
            raise FieldError(f"photos.{i}", _("The photo is too large."))
        photos.append((f.name or "", f.read()))
    done = services.warning_visit(actor=user, warning=warning, record=record, outcome=outcome,
                                  application_number=application_number, referred_to=referred_to, photos=photos,
                                  visited_on=visited_on, expected_version=expected_version,
                                  request_id=request_id(request))
    return policy.warning_get(user, done.case.number)


@warnings_router.post("/{number}/reassign", response=WarningOut, summary="改派 to another village worker")
def warning_reassign(request: HttpRequest, number: str, payload: WarningReassignIn) -> EarlyWarning:
    user = _user(request)
    warning = policy.warning_get(user, number)
    handler = User.objects.filter(pk=payload.handler).first()
    if handler is None:
        raise FieldError("handler", _("No such staff member."))
    services.warning_reassign(actor=user, warning=warning, handler=handler, reason=payload.reason,
                              request_id=request_id(request))
    return policy.warning_get(user, number)


@warnings_router.get("/{number}/photos/{sha256}", summary="One photo of the warning's visit")
def warning_photo(request: HttpRequest, number: str, sha256: str, thumbnail: bool = False) -> FileResponse:
    warning = policy.warning_get(_user(request), number)
    visit = getattr(warning, "visit", None)
    found = Attachment.objects.filter(sha256=sha256).first() if visit and sha256 in visit.photos else None
    if found is None:
        raise NotFound(_("No such photo."), field="sha256")
    name, kind = ((found.thumbnail_name, "image/jpeg") if thumbnail and found.thumbnail_name
                  else (found.storage_name, found.content_type))
    response = FileResponse(default_storage.open(name, "rb"), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- imports ---------------------------------------------------------------------------------------------

def _report(report: imports.ImportReport) -> dict[str, Any]:
    return {"kind": report.kind, "dry_run": report.dry_run, "rows": report.rows, "imported": report.imported,
            "duplicates": report.duplicates, "warnings_raised": report.warnings_raised, "batch_id": report.batch_id,
            "errors": report.errors}


def _numbered(rows: list[Any]) -> list[tuple[int, dict[str, Any]]]:
    return [(i, {k: v for k, v in row.dict().items() if v not in (None, "")}) for i, row in enumerate(rows, start=1)]


@imports_router.get("", response=list[ImportOut], summary="Imports of my scope (civil affairs)")
@paginate(BoundedPageNumberPagination, page_size=50)
def import_list(request: HttpRequest) -> QuerySet[SettlementImport]:
    return selectors.imports_visible(_user(request))


@imports_router.post("/settlements", response={200: ImportReportOut, 400: ImportRejectedOut},
                     summary="Settlements as JSON rows (all or nothing; row = position from 1)")
def import_settlements(request: HttpRequest, payload: SettlementsIn) -> Status:
    report = imports.settlements_import(actor=_user(request), rows=_numbered(payload.rows), dry_run=payload.dry_run)
    return Status(400 if report.errors else 200, _report(report))


@imports_router.post("/events", response={200: ImportReportOut, 400: ImportRejectedOut},
                     summary="Life events as JSON rows (all or nothing; row = position from 1)")
def import_events(request: HttpRequest, payload: EventsIn) -> Status:
    report = imports.events_import(actor=_user(request), rows=_numbered(payload.rows), dry_run=payload.dry_run)
    return Status(400 if report.errors else 200, _report(report))


@imports_router.post("/file", response={200: ImportReportOut, 400: ImportRejectedOut},
                     summary="A settlements or life-events sheet (xlsx, xls, ods, csv); bad rows by Excel row")
def import_file(request: HttpRequest, file: File[UploadedFile], kind: Form[str] = "settlements",
                dry_run: Form[bool] = False) -> Status:
    user = _user(request)
    policy.check_manager(user)
    if (file.size or 0) > settings.REGISTRY_IMPORT_MAX_BYTES:
        raise FieldError("file", _("The file is too large."))
    report = imports.import_file(actor=user, kind=kind, data=file.read(), file_name=file.name or "", dry_run=dry_run)
    return Status(400 if report.errors else 200, _report(report))


# --- 福村宝 -----------------------------------------------------------------------------------------------

class YearIn(Schema):
    village: str = Field(max_length=24)
    year: int
    contribution: Decimal | None = None
    person_cap: Decimal | None = None


class MoneyOut(Schema):
    village: Decimal
    donations: Decimal
    contributions: Decimal
    income: Decimal
    paid: Decimal
    filed: Decimal
    balance: Decimal


class YearOut(Schema):
    id: int
    village: str
    village_name: str
    year: int
    contribution: Decimal
    person_cap: Decimal
    status: str
    enrolled: int
    money: MoneyOut


class GroupIn(Schema):
    code: str = Field(max_length=16)
    name: str = Field(max_length=50)
    rate: Decimal
    cap: Decimal
    deductible: Decimal = Decimal(0)


class GroupOut(Schema):
    id: int
    code: str
    name: str
    rate: Decimal
    cap: Decimal
    deductible: Decimal


class EnrolIn(Schema):
    id_number: str = Field(max_length=18)
    contribution: Decimal | None = None
    enrolled_on: dt.date | None = None


class EnrolmentOut(Schema):
    id: int
    name: str
    contribution: Decimal
    enrolled_on: dt.date


class FundIn(Schema):
    source: str
    amount: Decimal
    donor: str = Field("", max_length=100)
    received_on: dt.date | None = None
    note: str = Field("", max_length=200)


class FundOut(Schema):
    id: int
    source: str
    amount: Decimal
    donor: str
    received_on: dt.date


class ClaimIn(Schema):
    enrolment: int
    group: str = Field(max_length=16)
    eligible: Decimal
    treated_on: dt.date


class ClaimOut(Schema):
    id: int
    name: str
    group: str
    treated_on: dt.date
    eligible: Decimal
    amount: Decimal
    status: str
    breakdown: dict[str, Any]
    paid_on: dt.date | None


class PayIn(Schema):
    paid_on: dt.date | None = None
    reference: str = Field("", max_length=64)


class RejectIn(Schema):
    reason: str = Field(max_length=200)


def year_out(y: MutualAidYear) -> dict[str, Any]:
    summary = selectors.year_summary(y)
    return {"id": y.pk, "village": y.area_code, "village_name": y.village.name, "year": y.year,
            "contribution": y.contribution, "person_cap": y.person_cap, "status": y.status,
            "enrolled": summary["enrolled"], "money": summary["money"]}


def claim_out(c: Claim) -> dict[str, Any]:
    return {"id": c.pk, "name": c.enrolment.person.name, "group": c.group.code, "treated_on": c.treated_on,
            "eligible": c.eligible, "amount": c.amount, "status": c.status, "breakdown": c.breakdown,
            "paid_on": c.paid_on}


def _year(request: HttpRequest, year_id: int, *, roll: bool = False) -> MutualAidYear:
    user = _user(request)
    year = selectors.year_get(user, year_id)
    if roll:
        selectors.check_roll_reader(user, year)
    return year


@mutual_aid_router.get("/years", response=list[YearOut], summary="Mutual-aid years of my scope (counts and money)")
def year_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [year_out(y) for y in selectors.years_visible(_user(request))[:500]]


@mutual_aid_router.post("/years", response={201: YearOut}, summary="Open a village's year (civil affairs)")
def year_create(request: HttpRequest, payload: YearIn) -> Status:
    year = mutual_aid.year_open(actor=_user(request), village_code=payload.village, year=payload.year,
                                contribution=payload.contribution, person_cap=payload.person_cap)
    return Status(201, year_out(year))


@mutual_aid_router.get("/years/{year_id}", response=YearOut)
def year_detail(request: HttpRequest, year_id: int) -> dict[str, Any]:
    return year_out(_year(request, year_id))


@mutual_aid_router.get("/years/{year_id}/groups", response=list[GroupOut])
def group_list(request: HttpRequest, year_id: int) -> QuerySet[DiseaseGroup]:
    return _year(request, year_id).groups.all()


@mutual_aid_router.post("/years/{year_id}/groups", response={201: GroupOut}, summary="A disease group (rate, cap)")
def group_create(request: HttpRequest, year_id: int, payload: GroupIn) -> Status:
    group = mutual_aid.group_add(actor=_user(request), year=_year(request, year_id), code=payload.code,
                                 name=payload.name, rate=payload.rate, cap=payload.cap, deductible=payload.deductible)
    return Status(201, group)


@mutual_aid_router.get("/years/{year_id}/enrolments", response=list[EnrolmentOut],
                       summary="The roll (civil affairs, the village's staff)")
def enrolment_list(request: HttpRequest, year_id: int) -> list[dict[str, Any]]:
    year = _year(request, year_id, roll=True)
    return [{"id": e.pk, "name": e.person.name, "contribution": e.contribution, "enrolled_on": e.enrolled_on}
            for e in Enrolment.objects.filter(year=year).select_related("person")[:20000]]


@mutual_aid_router.post("/years/{year_id}/enrolments", response={201: EnrolmentOut}, summary="Enrol a villager")
def enrolment_create(request: HttpRequest, year_id: int, payload: EnrolIn) -> Status:
    user = _user(request)
    year = _year(request, year_id)
    person = Resident.objects.filter(id_number=payload.id_number.strip().upper(),
                                     area_code__startswith=year.area_code).first()
    if person is None:
        policy.check_roll(user, year.area_code)
        raise FieldError("id_number", _("No resident with this ID number in the village."))
    row = mutual_aid.enrol(actor=user, year=year, person=person, contribution=payload.contribution,
                           enrolled_on=payload.enrolled_on)
    return Status(201, {"id": row.pk, "name": person.name, "contribution": row.contribution,
                        "enrolled_on": row.enrolled_on})


@mutual_aid_router.post("/years/{year_id}/funds", response={201: FundOut}, summary="Village money or a donation")
def fund_create(request: HttpRequest, year_id: int, payload: FundIn) -> Status:
    row = mutual_aid.fund_add(actor=_user(request), year=_year(request, year_id), source=payload.source,
                              amount=payload.amount, donor=payload.donor, received_on=payload.received_on,
                              note=payload.note)
    return Status(201, row)


@mutual_aid_router.get("/years/{year_id}/claims", response=list[ClaimOut])
def claim_list(request: HttpRequest, year_id: int) -> list[dict[str, Any]]:
    year = _year(request, year_id, roll=True)
    return [claim_out(c) for c in Claim.objects.filter(year=year).select_related("enrolment__person", "group")[:20000]]


@mutual_aid_router.post("/years/{year_id}/claims", response={201: ClaimOut},
                        summary="File a claim: the amount by the group's rate and the caps, with its breakdown")
def claim_create(request: HttpRequest, year_id: int, payload: ClaimIn) -> Status:
    user = _user(request)
    year = _year(request, year_id)
    policy.check_roll(user, year.area_code)
    enrolment = Enrolment.objects.filter(pk=payload.enrolment, year=year).first()
    if enrolment is None:
        raise FieldError("enrolment", _("This person is not enrolled in this year."))
    group = year.groups.filter(code=payload.group).first()
    if group is None:
        raise FieldError("group", _("Choose a disease group of this year."))
    claim = mutual_aid.claim_file(actor=user, year=year, enrolment=enrolment, group=group, eligible=payload.eligible,
                                  treated_on=payload.treated_on)
    return Status(201, claim_out(claim))


def _claim(request: HttpRequest, claim_id: int) -> Claim:
    user = _user(request)
    claim = Claim.objects.filter(pk=claim_id, year__in=selectors.years_visible(user)).select_related(
        "year", "enrolment__person", "group").first()
    if claim is None:
        raise NotFound(_("No such claim."), field="claim_id")
    return claim


@mutual_aid_router.post("/claims/{claim_id}/pay", response=ClaimOut, summary="Pay a claim out of the fund")
def claim_pay(request: HttpRequest, claim_id: int, payload: PayIn) -> dict[str, Any]:
    claim = mutual_aid.claim_pay(actor=_user(request), claim=_claim(request, claim_id), paid_on=payload.paid_on,
                                 reference=payload.reference)
    return claim_out(_claim(request, claim.pk))


@mutual_aid_router.post("/claims/{claim_id}/reject", response=ClaimOut, summary="Reject a claim, with the reason")
def claim_reject(request: HttpRequest, claim_id: int, payload: RejectIn) -> dict[str, Any]:
    claim = mutual_aid.claim_reject(actor=_user(request), claim=_claim(request, claim_id), reason=payload.reason)
    return claim_out(_claim(request, claim.pk))
