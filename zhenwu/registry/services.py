"""Every write of base data: create, update and delete records, care tags, grid staffing, reveals.

Each service is atomic, checks the actor's right to edit (``policy.can_edit_registry``) and scope
inside the transaction, validates through ``cleaning`` (the same rules the import uses) and writes
an audit entry (subject ``registry.<kind>:<id>``) whose data holds the changed fields, personal
values masked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_name
from zhenwu.accounts.models import User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.casework.services import audit_record
from zhenwu.errors import Conflict, FieldError, Forbidden
from zhenwu.registry import cleaning, policy, selectors
from zhenwu.registry.choices import GridDuty, Relation
from zhenwu.registry.models import (
    Camera,
    Enterprise,
    GridAssignment,
    Household,
    Place,
    Resident,
    ResidentTag,
)

# How each personal field appears in audit data (never in full).
AUDIT_MASKS: dict[str, Callable[[Any], str]] = {
    "id_number": mask_id_number, "mobile": mask_mobile, "contact_mobile": mask_mobile,
    "legal_representative": mask_name, "contact_name": mask_name, "birth_date": lambda _v: "****",
}
# Masked in audit data for residents only (an enterprise's or a place's name is not personal).
PERSON_NAME_MASKS: dict[str, Callable[[Any], str]] = {"name": mask_name}


@dataclass(frozen=True)
class Kind:
    """How one kind of record is cleaned, referenced and audited."""

    name: str
    model: type[models.Model]
    clean: Callable[[Mapping[str, Any]], tuple[dict[str, Any], list[tuple[str, Any]]]]
    unique: str | None
    duplicate_message: Any

    def subject(self, pk: int) -> str:
        return f"registry.{self.name}:{pk}"


RESIDENT = Kind("resident", Resident, cleaning.resident_clean, "id_number",
                _("A resident with this ID number is already registered."))
HOUSEHOLD = Kind("household", Household, cleaning.household_clean, "number",
                 _("A household with this number already exists."))
ENTERPRISE = Kind("enterprise", Enterprise, cleaning.enterprise_clean, "uscc",
                  _("An enterprise with this unified social credit code already exists."))
PLACE = Kind("place", Place, cleaning.place_clean, None, None)
CAMERA = Kind("camera", Camera, cleaning.camera_clean, "code", _("A camera with this code already exists."))
KINDS = {k.name: k for k in (RESIDENT, HOUSEHOLD, ENTERPRISE, PLACE, CAMERA)}


# --- shared steps --------------------------------------------------------------------------------

def require_editor(actor: User) -> None:
    """Only roles that keep base data may write it."""
    if not policy.can_edit_registry(actor):
        raise Forbidden(_("Your role may not edit base data."))


def masked_value(kind: Kind, field: str, value: Any) -> Any:
    """How a value appears in audit data: personal fields masked, others as plain JSON values."""
    mask = AUDIT_MASKS.get(field) or (PERSON_NAME_MASKS.get(field) if kind is RESIDENT else None)
    if value in (None, ""):
        return value
    if mask:
        return mask(value)
    if isinstance(value, (datetime.date, models.Model)):
        return str(value)
    return value


def _clean_or_raise(kind: Kind, data: Mapping[str, Any]) -> dict[str, Any]:
    cleaned, errors = kind.clean(data)
    if errors:
        raise FieldError(None, errors=list(errors))
    return cleaned


def _resolve_refs(kind: Kind, actor: User, cleaned: dict[str, Any]) -> tuple[dict[str, Any], list[str] | None]:
    """Codes in ``cleaned`` → rows (grid, household, enterprise), checked against the actor's scope."""
    values = dict(cleaned)
    grid = selectors.grid_in_scope(user=actor, code=values.pop("grid"))
    values.update(grid=grid, area_code=grid.code)
    tags = values.pop("tags", None)
    if "household" in values:
        values["household"] = _household_ref(actor, values["household"])
    if "enterprise" in values:
        values["enterprise"] = _enterprise_ref(actor, values["enterprise"])
    return values, tags


def _household_ref(actor: User, number: str) -> Household | None:
    if not number:
        return None
    row = selectors.scoped(Household, actor).filter(number=number).first()
    if row is None:
        raise FieldError("household", _("No such household in your scope."))
    return row


def _enterprise_ref(actor: User, uscc: str) -> Enterprise | None:
    if not uscc:
        return None
    row = selectors.scoped(Enterprise, actor).filter(uscc=uscc).first()
    if row is None:
        raise FieldError("enterprise", _("No such enterprise in your scope."))
    return row


def _check_unique(kind: Kind, values: dict[str, Any], pk: int | None) -> None:
    if kind.unique is None:
        return
    clash = kind.model._default_manager.filter(**{kind.unique: values[kind.unique]})
    if pk is not None:
        clash = clash.exclude(pk=pk)
    if clash.exists():
        raise Conflict(kind.duplicate_message, field=kind.unique)


def _save(kind: Kind, row: models.Model, *, force_insert: bool = False) -> None:
    """Save; a unique clash lost to a concurrent writer becomes the same 409 as a checked one."""
    try:
        with transaction.atomic():
            row.save(force_insert=force_insert)
    except IntegrityError as exc:
        raise Conflict(kind.duplicate_message or _("This record clashes with another one."),
                       field=kind.unique) from exc


def _audit(kind: Kind, *, actor: User, pk: int, action: str, fields: dict[str, Any], request_id: str) -> None:
    audit_record(subject=kind.subject(pk), actor=actor, action=action, request_id=request_id,
                 data={"fields": fields})


def record_values(kind: Kind, row: Any) -> dict[str, Any]:
    """The stored values of ``row`` in the cleaners' input shape (references as codes)."""
    raw = {name: _stored(row, name) for name in cleaning.input_fields(kind.clean)}
    raw["grid"] = row.area_code
    return raw


def _stored(row: Any, name: str) -> Any:
    if name == "household":
        return row.household.number if row.household_id else ""
    if name == "enterprise":
        return row.enterprise.uscc if row.enterprise_id else ""
    if name == "tags":
        return [t.tag for t in row.tags.all()]
    return getattr(row, name, None)


# --- generic create / update / delete --------------------------------------------------------------

def record_create(kind: Kind, *, actor: User, data: Mapping[str, Any], request_id: str = "") -> Any:
    """Create one record of ``kind`` from raw input (see the public wrappers)."""
    require_editor(actor)
    cleaned = _clean_or_raise(kind, data)
    with transaction.atomic():
        values, tags = _resolve_refs(kind, actor, cleaned)
        _check_unique(kind, values, None)
        row: Any = kind.model(**values)
        _save(kind, row, force_insert=True)
        if tags:
            ResidentTag.objects.bulk_create([ResidentTag(resident=row, tag=t) for t in tags])
        _after_write(kind, row)
        fields = {k: masked_value(kind, k, v) for k, v in {**values, "tags": tags}.items()
                  if v not in (None, "", []) and k != "area_code"}
        _audit(kind, actor=actor, pk=row.pk, action="create", fields=fields, request_id=request_id)
    return row


def record_update(kind: Kind, *, actor: User, row: Any, changes: Mapping[str, Any], request_id: str = "") -> Any:
    """Change some fields of ``row``; only the fields that really change are written and audited."""
    require_editor(actor)
    with transaction.atomic():
        row = selectors.record_get(kind.model, user=actor, pk=row.pk)  # scope re-checked in the transaction
        old = record_values(kind, row)
        cleaned = _clean_or_raise(kind, {**old, **changes})
        values, tags = _resolve_refs(kind, actor, cleaned)
        _check_unique(kind, values, row.pk)
        diff = {k: (getattr(row, k), v) for k, v in values.items() if getattr(row, k) != v}
        for name, (_before, after) in diff.items():
            setattr(row, name, after)
        if diff:
            _save(kind, row)
        if tags is not None and "tags" in changes and sorted(tags) != sorted(old.get("tags") or []):
            _replace_tags(row, tags)
            diff["tags"] = (old.get("tags"), tags)
        _after_write(kind, row)
        if diff:
            fields = {k: {"from": masked_value(kind, k, a), "to": masked_value(kind, k, b)}
                      for k, (a, b) in diff.items() if k != "area_code"}
            _audit(kind, actor=actor, pk=row.pk, action="update", fields=fields, request_id=request_id)
    return row


def record_delete(kind: Kind, *, actor: User, row: Any, request_id: str = "") -> None:
    """Delete ``row`` (members, places keep existing with the reference cleared)."""
    require_editor(actor)
    with transaction.atomic():
        row = selectors.record_get(kind.model, user=actor, pk=row.pk)
        pk = row.pk
        summary = {k: masked_value(kind, k, v) for k, v in record_values(kind, row).items() if v not in (None, "", [])}
        row.delete()
        _audit(kind, actor=actor, pk=pk, action="delete", fields=summary, request_id=request_id)


def _after_write(kind: Kind, row: Any) -> None:
    if kind is RESIDENT:
        _sync_head(row)


def _sync_head(resident: Resident) -> None:
    """The household's head is the member whose relation is 'head' (derived, so not audited apart)."""
    stale = Household.objects.filter(head=resident)
    if resident.relation == Relation.HEAD and resident.household_id:
        stale = stale.exclude(pk=resident.household_id)
        Household.objects.filter(pk=resident.household_id).update(head=resident)
    stale.update(head=None)


def _replace_tags(resident: Resident, tags: Iterable[str]) -> None:
    resident.tags.all().delete()
    ResidentTag.objects.bulk_create([ResidentTag(resident=resident, tag=t) for t in tags])


# --- public services per kind ---------------------------------------------------------------------

def resident_create(*, actor: User, data: Mapping[str, Any], request_id: str = "") -> Resident:
    """Register a resident; birth date and sex come from the ID number, the grid must be in scope."""
    row: Resident = record_create(RESIDENT, actor=actor, data=data, request_id=request_id)
    return row


def resident_update(*, actor: User, resident: Resident, changes: Mapping[str, Any],
                    request_id: str = "") -> Resident:
    """Change a resident's fields (same rules as creation); audited with masked before/after."""
    row: Resident = record_update(RESIDENT, actor=actor, row=resident, changes=changes, request_id=request_id)
    return row


def resident_delete(*, actor: User, resident: Resident, request_id: str = "") -> None:
    """Remove a resident (moved away, deceased, entered twice); the audit keeps a masked summary."""
    record_delete(RESIDENT, actor=actor, row=resident, request_id=request_id)


def resident_tags_set(*, actor: User, resident: Resident, tags: Iterable[str], request_id: str = "") -> Resident:
    """Replace a resident's care tags (values or labels of ``CareTag``)."""
    return resident_update(actor=actor, resident=resident, changes={"tags": list(tags)}, request_id=request_id)


def household_create(*, actor: User, data: Mapping[str, Any], request_id: str = "") -> Household:
    """Register a household at an address in a grid of the actor's scope."""
    row: Household = record_create(HOUSEHOLD, actor=actor, data=data, request_id=request_id)
    return row


def household_update(*, actor: User, household: Household, changes: Mapping[str, Any],
                     request_id: str = "") -> Household:
    """Change a household's number, address, type, grid or location."""
    row: Household = record_update(HOUSEHOLD, actor=actor, row=household, changes=changes, request_id=request_id)
    return row


def enterprise_create(*, actor: User, data: Mapping[str, Any], request_id: str = "") -> Enterprise:
    """Register a market entity by its USCC."""
    row: Enterprise = record_create(ENTERPRISE, actor=actor, data=data, request_id=request_id)
    return row


def enterprise_update(*, actor: User, enterprise: Enterprise, changes: Mapping[str, Any],
                      request_id: str = "") -> Enterprise:
    """Change an enterprise's details, status, risk level, listing or complaint count."""
    row: Enterprise = record_update(ENTERPRISE, actor=actor, row=enterprise, changes=changes,
                                    request_id=request_id)
    return row


def place_create(*, actor: User, data: Mapping[str, Any], request_id: str = "") -> Place:
    """Register a place or building (optionally run by an enterprise, given by USCC)."""
    row: Place = record_create(PLACE, actor=actor, data=data, request_id=request_id)
    return row


def place_update(*, actor: User, place: Place, changes: Mapping[str, Any], request_id: str = "") -> Place:
    """Change a place's details."""
    row: Place = record_update(PLACE, actor=actor, row=place, changes=changes, request_id=request_id)
    return row


def camera_create(*, actor: User, data: Mapping[str, Any], request_id: str = "") -> Camera:
    """Register a camera of one of the town's video systems."""
    row: Camera = record_create(CAMERA, actor=actor, data=data, request_id=request_id)
    return row


def camera_update(*, actor: User, camera: Camera, changes: Mapping[str, Any], request_id: str = "") -> Camera:
    """Change a camera's details."""
    row: Camera = record_update(CAMERA, actor=actor, row=camera, changes=changes, request_id=request_id)
    return row


def record_reveal(kind: Kind, *, actor: User, row: Any, fields: Iterable[str], request_id: str = "") -> None:
    """Allow one look at the full personal values of ``row``, written to the audit log first."""
    if not policy.can_view_unmasked(actor):
        raise Forbidden(_("Your role may not see full personal data."))
    with transaction.atomic():
        row = selectors.record_get(kind.model, user=actor, pk=row.pk)
        audit_record(subject=kind.subject(row.pk), actor=actor, action="view_unmasked",
                     request_id=request_id, data={"fields": sorted(fields)})


def resident_reveal(*, actor: User, resident: Resident, request_id: str = "") -> None:
    """Audited permission to show one resident's full name, ID number and mobile."""
    record_reveal(RESIDENT, actor=actor, row=resident, fields=("id_number", "mobile", "name", "birth_date"),
                  request_id=request_id)


# --- grid staffing -------------------------------------------------------------------------------

# Which grid levels each duty may serve.
DUTY_LEVELS: dict[str, tuple[str, ...]] = {
    GridDuty.LEADER: (AreaLevel.GRID1,),
    GridDuty.WORKER: (AreaLevel.GRID2, AreaLevel.GRID1),
    GridDuty.INFO_OFFICER: (AreaLevel.GRID1, AreaLevel.GRID2, AreaLevel.SPECIAL),
    GridDuty.SPECIAL: (AreaLevel.SPECIAL,),
}


def _check_assignment(*, grid: Area, user: User, duty: str) -> None:
    if duty not in DUTY_LEVELS:
        raise FieldError("duty", _("Choose one of the allowed values."))
    if grid.level not in DUTY_LEVELS[duty]:
        raise FieldError("duty", _("This duty does not exist for a grid of this level."))
    scope = user.scope_code or ""
    if user.kind != UserKind.STAFF or not user.is_active or not scope.startswith(grid.code):
        raise FieldError("user", _("The staff member's scope must be this grid or lie inside it."))
    current = GridAssignment.objects.select_for_update().filter(grid=grid, ended_on__isnull=True)
    if duty == GridDuty.LEADER and current.filter(duty=GridDuty.LEADER).exists():
        raise Conflict(_("This grid already has a grid leader; end that assignment first."), field="duty")
    if current.filter(user=user, duty=duty).exists():
        raise Conflict(_("This staff member already serves this grid in this duty."), field="user")


def grid_assignment_start(*, actor: User, grid: Area, user: User, duty: str, started_on: datetime.date,
                          request_id: str = "") -> GridAssignment:
    """Assign a staff member to a grid in a duty from a date (one current leader per level-1 grid)."""
    require_editor(actor)
    with transaction.atomic():
        grid = selectors.grid_in_scope(user=actor, code=grid.code)
        _check_assignment(grid=grid, user=user, duty=duty)
        row = GridAssignment.objects.create(grid=grid, user=user, duty=duty, started_on=started_on)
        audit_record(subject=f"registry.gridassignment:{row.pk}", actor=actor, action="create",
                     request_id=request_id, data={"fields": {"grid": grid.code, "user": user.username,
                                                             "duty": duty, "started_on": started_on}})
    return row


def grid_assignment_end(*, actor: User, assignment: GridAssignment, ended_on: datetime.date,
                        request_id: str = "") -> GridAssignment:
    """End a current assignment on a date; the row stays as history."""
    require_editor(actor)
    if ended_on < assignment.started_on:
        raise FieldError("ended_on", _("The end date is before the start date."))
    with transaction.atomic():
        selectors.grid_in_scope(user=actor, code=assignment.grid.code)
        # Compare-and-set: two clerks ending the same assignment cannot both succeed.
        if not GridAssignment.objects.filter(pk=assignment.pk, ended_on__isnull=True).update(ended_on=ended_on):
            raise Conflict(_("This assignment has already ended."))
        audit_record(subject=f"registry.gridassignment:{assignment.pk}", actor=actor, action="update",
                     request_id=request_id, data={"fields": {"ended_on": {"from": None, "to": ended_on}}})
    assignment.refresh_from_db()
    return assignment
