"""一户一档: the household file and its sections (members, income, assets, rigid expenditures, needs and the
resources matched to them), the imported income data and the household economic check.

Every write checks ``policy`` inside its transaction (a household out of sight is a 404, a missing role a 403)
and validates what it is given (400 naming the field); every view of a file is recorded in the audit chain of
the file (``file_view_record``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from zhenwu.accounts.models import User
from zhenwu.accounts.validation import clean_id_number
from zhenwu.assistance import policy
from zhenwu.assistance.choices import (
    AssetKind,
    AssistanceStatus,
    ExpenditureKind,
    Health,
    IncomeOrigin,
    IncomeSource,
    NeedKind,
    NeedStatus,
    ResourceKind,
    Schooling,
    WorkCapacity,
)
from zhenwu.assistance.models import (
    Asset,
    AssistanceFile,
    Expenditure,
    ImportedIncome,
    Income,
    MemberProfile,
    Need,
    Resource,
    ResourceMatch,
    StatusChange,
)
from zhenwu.assistance.services.common import amount, choice, date, money, text, today, whole
from zhenwu.casework.services import attachment_store, audit_record
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.models import Household, Resident

FILE_SUBJECT = "assistance.file:%s"
MAX_IMPORT_ROWS = 20_000


def file_view_record(*, actor: User, file: AssistanceFile, via: str, request_id: str = "") -> None:
    """Record that ``actor`` viewed ``file`` (page, API, export) in the file's own audit chain."""
    audit_record(subject=FILE_SUBJECT % file.pk, actor=actor, action="view", data={"via": via},
                 request_id=request_id)


def _locked(file_id: int, actor: User, action: str) -> AssistanceFile:
    file = AssistanceFile.objects.select_for_update().filter(pk=file_id).first()
    if file is None:
        raise NotFound(_("No such assistance file."), field="file")
    policy.check(actor, action, area_code=file.area_code)
    return file


def _members_sync(file: AssistanceFile) -> None:
    """A profile for every current member of the household (the registry is the source of who lives there)."""
    have = set(file.members.values_list("resident_id", flat=True))
    MemberProfile.objects.bulk_create([MemberProfile(file=file, resident=r) for r in
                                       file.household.members.exclude(pk__in=have)])


def file_for_household(*, household: Household, actor: User | None) -> AssistanceFile:
    """The household's file, opened now if it has none (an application opens it; ``actor`` may be None: the
    system). The caller has checked that the actor may act on the household."""
    file = AssistanceFile.objects.select_for_update().filter(household=household).first()
    if file is None:
        file = AssistanceFile.objects.create(household=household, area_code=household.area_code, opened_by=actor)
    elif file.area_code != household.area_code:  # the household moved to another grid: the file follows
        file.area_code = household.area_code
        file.save(update_fields=["area_code", "updated_at"])
    _members_sync(file)
    return file


@transaction.atomic
def file_open(*, actor: User, household_id: int) -> AssistanceFile:
    """Open the file of a household (civil affairs); 400 ``household`` when it has one already."""
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise NotFound(_("No such household."), field="household")
    policy.check(actor, "file_open", area_code=household.area_code, missing=_("No such household."))
    if AssistanceFile.objects.filter(household=household).exists():
        raise FieldError("household", _("This household has an assistance file already."))
    return file_for_household(household=household, actor=actor)


def status_set(*, file: AssistanceFile, status: str, on: datetime.date, reason: str, by: User | None) -> None:
    """Change the file's status and keep the change (the caller holds the file's row lock)."""
    if file.status == status:
        return
    StatusChange.objects.create(file=file, old=file.status, new=status, on=on, reason=reason[:200], by=by)
    file.status, file.status_since = status, on
    if status == AssistanceStatus.NONE:
        file.next_review_on = None
    file.save(update_fields=["status", "status_since", "next_review_on", "updated_at"])


@transaction.atomic
def file_status_change(*, actor: User, file_id: int, status: str, reason: str,
                       on: Any = None) -> AssistanceFile:
    """A status set by hand (civil affairs), with its reason; the history keeps every change."""
    file = _locked(file_id, actor, "file_status")
    status = choice(status, AssistanceStatus, "status")
    status_set(file=file, status=status, on=date(on, "on") if on else today(),
               reason=text(reason, "reason", max_length=200), by=actor)
    return file


def review_due(file: AssistanceFile, start: datetime.date) -> datetime.date:
    """动态复核: yearly; every six months when a member can work (income not stable); by status (settings)."""
    months = settings.ASSISTANCE_REVIEW_MONTHS
    if file.status in (AssistanceStatus.EDGE, AssistanceStatus.EXPENDITURE):
        months = settings.ASSISTANCE_REVIEW_MONTHS_EDGE
    if file.members.filter(work_capacity=WorkCapacity.FULL, resident__birth_date__gt=_years_ago(start, 60),
                           resident__birth_date__lte=_years_ago(start, 16)).exists():
        months = min(months, settings.ASSISTANCE_REVIEW_MONTHS_UNSTABLE)
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(start.day, 28))


def _years_ago(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


# --- sections -----------------------------------------------------------------------------------------

def _resident_of(file: AssistanceFile, resident_id: Any, field: str) -> Resident | None:
    if resident_id in (None, ""):
        return None
    try:
        pk = int(resident_id)
    except (TypeError, ValueError):
        raise FieldError(field, _("No such member of this household.")) from None
    found = Resident.objects.filter(pk=pk, household_id=file.household_id).first()
    if found is None:
        raise FieldError(field, _("No such member of this household."))
    return found


@transaction.atomic
def member_update(*, actor: User, file_id: int, resident_id: int, disability_grade: Any = None,
                  work_capacity: str | None = None, schooling: str | None = None, health: str | None = None,
                  note: str | None = None) -> MemberProfile:
    """A member's profile (disability grade 0–4, work capacity, schooling, health) as the survey found it."""
    file = _locked(file_id, actor, "file_edit")
    _members_sync(file)
    resident = _resident_of(file, resident_id, "resident")
    profile = file.members.get(resident=resident)
    if disability_grade is not None:
        profile.disability_grade = whole(disability_grade, "disability_grade", low=0, high=4)
    if work_capacity is not None:
        profile.work_capacity = choice(work_capacity, WorkCapacity, "work_capacity")
    if schooling is not None:
        profile.schooling = choice(schooling, Schooling, "schooling")
    if health is not None:
        profile.health = choice(health, Health, "health")
    if note is not None:
        profile.note = text(note, "note", max_length=200, required=False)
    profile.save()
    return profile


@transaction.atomic
def income_add(*, actor: User, file_id: int, source: str, monthly_amount: Any, member_id: Any = None,
               origin: str = IncomeOrigin.DECLARED, note: str = "") -> Income:
    file = _locked(file_id, actor, "file_edit")
    return Income.objects.create(
        file=file, member=_resident_of(file, member_id, "member"), source=choice(source, IncomeSource, "source"),
        monthly_amount=money(monthly_amount, "monthly_amount"), origin=choice(origin, IncomeOrigin, "origin"),
        note=text(note, "note", max_length=200, required=False))


@transaction.atomic
def asset_add(*, actor: User, file_id: int, kind: str, description: str, value: Any) -> Asset:
    file = _locked(file_id, actor, "file_edit")
    return Asset.objects.create(file=file, kind=choice(kind, AssetKind, "kind"),
                                description=text(description, "description", max_length=200),
                                value=money(value, "value"))


@transaction.atomic
def expenditure_add(*, actor: User, file_id: int, kind: str, year: Any, yearly_amount: Any,
                    evidence: bytes | None, member_id: Any = None, description: str = "") -> Expenditure:
    """A rigid expenditure with its evidence (the file is stored under its SHA-256): 400 ``evidence`` without."""
    file = _locked(file_id, actor, "file_edit")
    row = Expenditure(file=file, member=_resident_of(file, member_id, "member"),
                      kind=choice(kind, ExpenditureKind, "kind"),
                      year=whole(year, "year", low=2000, high=today().year),
                      yearly_amount=money(yearly_amount, "yearly_amount", positive=True),
                      description=text(description, "description", max_length=200, required=False),
                      created_by=actor)
    if not evidence:
        raise FieldError("evidence", _("A rigid expenditure needs its evidence (invoices, a fee notice, a care "
                                       "contract)."))
    row.evidence = attachment_store(actor=actor, data=evidence)
    row.save()
    return row


SECTIONS = {"incomes": Income, "assets": Asset, "expenditures": Expenditure, "needs": Need}


@transaction.atomic
def section_remove(*, actor: User, file_id: int, section: str, row_id: int) -> None:
    """Remove one row of a section (a wrong entry); the file's audit chain keeps what it was."""
    file = _locked(file_id, actor, "file_edit")
    model = SECTIONS.get(section)
    if model is None:
        raise NotFound(_("Not found."), field="section")
    row = model._default_manager.filter(pk=row_id, file=file).first()
    if row is None:
        raise NotFound(_("Not found."), field="id")
    audit_record(subject=FILE_SUBJECT % file.pk, actor=actor, action=f"remove_{section}",
                 data={"id": row_id, "row": str(row)})
    row.delete()


# --- needs and resources ------------------------------------------------------------------------------

@transaction.atomic
def need_add(*, actor: User, file_id: int, kind: str, description: str, member_id: Any = None,
             found_on: Any = None) -> Need:
    file = _locked(file_id, actor, "file_edit")
    return Need.objects.create(file=file, member=_resident_of(file, member_id, "member"),
                               kind=choice(kind, NeedKind, "kind"),
                               description=text(description, "description", max_length=300),
                               area_code=file.area_code, found_on=date(found_on, "found_on") if found_on else today(),
                               created_by=actor)


@transaction.atomic
def need_match(*, actor: User, need_id: int, resource_id: int, note: str = "") -> ResourceMatch:
    """Link a resource to a need (the need becomes ``matched``); the resource must be offered where the
    household lives and meet that kind of need."""
    need = Need.objects.select_for_update().filter(pk=need_id).first()
    if need is None:
        raise NotFound(_("No such need."), field="need")
    policy.check(actor, "need_match", area_code=need.area_code, missing=_("No such need."))
    resource = Resource.objects.filter(pk=resource_id, active=True).first()
    if resource is None or not need.area_code.startswith(resource.area_code):
        raise FieldError("resource", _("No such resource where this household lives."))
    if need.kind not in resource.need_kinds:
        raise FieldError("resource", _("This resource does not meet this kind of need."))
    if need.matches.filter(resource=resource).exists():
        raise FieldError("resource", _("This resource is matched to this need already."))
    match = ResourceMatch.objects.create(need=need, resource=resource, matched_by=actor,
                                         note=text(note, "note", max_length=200, required=False))
    if need.status == NeedStatus.OPEN:
        need.status = NeedStatus.MATCHED
        need.save(update_fields=["status"])
    return match


@transaction.atomic
def need_set_status(*, actor: User, need_id: int, status: str) -> Need:
    need = Need.objects.select_for_update().filter(pk=need_id).first()
    if need is None:
        raise NotFound(_("No such need."), field="need")
    policy.check(actor, "need_match", area_code=need.area_code, missing=_("No such need."))
    need.status = choice(status, NeedStatus, "status")
    need.save(update_fields=["status"])
    return need


@transaction.atomic
def resource_create(*, actor: User, kind: str, name: str, need_kinds: list[str], area_code: str = "",
                    provider: str = "", contact: str = "") -> Resource:
    """A resource offered in the actor's scope (or a part of it)."""
    policy.check_role(actor, "resource_edit")
    prefix = actor.scope_code or ""
    area = area_code or prefix
    if not area.startswith(prefix):
        raise FieldError("area_code", _("The area lies outside your scope."))
    kinds = [choice(k, NeedKind, "need_kinds") for k in need_kinds]
    if not kinds:
        raise FieldError("need_kinds", _("Name at least one kind of need this resource meets."))
    return Resource.objects.create(kind=choice(kind, ResourceKind, "kind"), name=text(name, "name", max_length=200),
                                   provider=text(provider, "provider", max_length=200, required=False),
                                   contact=text(contact, "contact", max_length=100, required=False),
                                   need_kinds=sorted(set(kinds)), area_code=area)


# --- imported income data and the economic check --------------------------------------------------------

@dataclass
class ImportReport:
    rows: int
    written: int


def _income_row(i: int, row: Any, known: set[str]) -> tuple[ImportedIncome | None, list[tuple[str | None, Any]]]:
    where = f"rows.{i}"
    if not isinstance(row, dict):
        return None, [(where, _("Each row is an object."))]
    errors: list[tuple[str | None, Any]] = []

    def grab(name: str, fn: Any) -> Any:
        try:
            return fn()
        except FieldError as exc:
            errors.extend((f"{where}.{name}", m) for _f, m in exc.errors)
            return None

    number = grab("id_number", lambda: clean_id_number(str(row.get("id_number") or "").upper(), "id_number"))
    if number and number not in known:
        errors.append((f"{where}.id_number", _("No resident with this ID number in the registry.")))
    source = grab("source", lambda: choice(row.get("source"), IncomeSource, "source"))
    monthly = grab("monthly_amount", lambda: amount(row.get("monthly_amount"), "monthly_amount"))
    year = grab("year", lambda: whole(row.get("year"), "year", low=2000, high=today().year))
    if errors:
        return None, errors
    return ImportedIncome(id_number=number, source=source, monthly_amount=monthly, year=year), []


@transaction.atomic
def imported_income_load(*, actor: User, provider: str, rows: list[Any]) -> ImportReport:
    """Load income data reported by another department (all or nothing: every bad row is named, none written).
    A row for the same person, source, year and provider replaces the earlier one."""
    policy.check_role(actor, "income_import")
    provider = text(provider, "provider", max_length=100)
    if not rows:
        raise FieldError("rows", _("No rows to import."))
    if len(rows) > MAX_IMPORT_ROWS:
        raise FieldError("rows", _("At most %(max)s rows at a time.") % {"max": MAX_IMPORT_ROWS})
    numbers = {str(r.get("id_number") or "").upper() for r in rows if isinstance(r, dict)}
    known = set(Resident.objects.filter(id_number__in=numbers).values_list("id_number", flat=True))
    parsed: list[ImportedIncome] = []
    errors: list[tuple[str | None, Any]] = []
    for i, row in enumerate(rows):
        item, problems = _income_row(i, row, known)
        errors.extend(problems)
        if item is not None:
            item.provider, item.imported_by = provider, actor
            parsed.append(item)
    if errors:
        raise FieldError(None, errors=errors[:200])
    for item in parsed:
        ImportedIncome.objects.update_or_create(
            id_number=item.id_number, source=item.source, year=item.year, provider=provider,
            defaults={"monthly_amount": item.monthly_amount, "imported_by": actor})
    return ImportReport(rows=len(rows), written=len(parsed))


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def economic_check(file: AssistanceFile) -> dict[str, Any]:
    """家庭经济状况核对: the registry's members against the file's, each member's declared monthly income against
    the imported data of the latest year, the assets; what does not match is a flag for the home survey."""
    _members_sync(file)
    registry_ids = set(file.household.members.values_list("pk", flat=True))
    tolerance = Decimal(settings.ASSISTANCE_INCOME_TOLERANCE_PERCENT) / 100
    members, flags = [], []
    declared_total = imported_total = Decimal(0)
    for profile in file.members.select_related("resident"):
        person = profile.resident
        if person.pk not in registry_ids:
            flags.append({"member": person.name, "flag": "left_household"})
            continue
        declared = sum((i.monthly_amount for i in file.incomes.filter(member=person)), Decimal(0))
        latest = ImportedIncome.objects.filter(id_number=person.id_number).aggregate(y=Max("year"))["y"]
        imported = sum((i.monthly_amount for i in ImportedIncome.objects.filter(
            id_number=person.id_number, year=latest)), Decimal(0)) if latest else Decimal(0)
        declared_total, imported_total = declared_total + declared, imported_total + imported
        if imported > declared * (1 + tolerance) and imported - declared > 1:
            flags.append({"member": person.name, "flag": "income_higher_than_declared",
                          "declared": _money(declared), "imported": _money(imported)})
        members.append({"resident": person.pk, "name": person.name, "declared": _money(declared),
                        "imported": _money(imported), "imported_year": latest})
    unassigned = sum((i.monthly_amount for i in file.incomes.filter(member__isnull=True)), Decimal(0))
    income = max(declared_total, imported_total) + unassigned
    count = max(len(members), 1)
    assets = sum((a.value for a in file.assets.all()), Decimal(0))
    return {"checked_on": today().isoformat(), "members": members, "flags": flags,
            "declared_monthly": _money(declared_total + unassigned), "imported_monthly": _money(imported_total),
            "household_monthly": _money(income), "per_capita_monthly": _money(income / count),
            "assets": _money(assets)}
