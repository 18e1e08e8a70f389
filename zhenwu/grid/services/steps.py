"""The steps of an incident's loop, each through the kernel's ``transition()`` (the process's roles,
scope, compare-and-set, audit, effects) with the incident row kept in step in the same transaction.

Who holds the case (the kernel's ``Case.handler`` / ``handler_unit``): dispatch hands it to a department,
squad or person; a return, a handled result and an extension request hand it back to the queue of the
step's role (no holder: the dispatchers, or the grid's workers for verification); a failed verification
and a decided extension give it back to whoever held it at dispatch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.models import Department, User
from zhenwu.accounts.scope import in_scope
from zhenwu.casework.models import Case, CaseHandoff
from zhenwu.casework.process import DeadlineSpec
from zhenwu.casework.services import transition
from zhenwu.casework.services.assignment import case_assign, case_hand_over
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import policy
from zhenwu.grid.choices import ExtensionStatus
from zhenwu.grid.models import Incident, IncidentExtension
from zhenwu.grid.process import DISPATCH_ROLES, HANDLER_ROLES
from zhenwu.grid.services.incidents import Photo, check_photos, incident_duplicates, photos_store, queue_columns

MAX_EXTENSION = {"hours": 24 * 7, "working_days": 20, "natural_days": 30}


def _locked(incident: Incident, expected_version: int | None = None) -> Incident:
    """The incident and its case re-read under the incident's row lock. A case that moved since the caller
    read it (its copy, or the version the client saw) is a lost race: 409, before anything else is judged."""
    fresh = Incident.objects.select_for_update(of=("self",)).select_related(
        "case", "category_version", "reporter").get(pk=incident.pk)
    seen = incident.case.version if expected_version is None else expected_version
    if fresh.case.version != seen or (expected_version is None and fresh.case.status != incident.case.status):
        raise Conflict(_("The case was changed by someone else; reload it and try again."), field="version")
    return fresh


def _move(actor: User, incident: Incident, action: str, *, reason: str = "", fields: Mapping[str, Any] | None = None,
          attachments: Sequence[str] = (), expected_version: int | None = None, request_id: str = "",
          deadline: DeadlineSpec | None = None, deadline_extend: int = 0, by_applicant: bool = False,
          holder: tuple[User | None, Department | None] | None = None) -> Case:
    """``holder``: who will hold the case after the step (handed over after ``transition()``), for the
    effects that notify them."""
    context: dict[str, Any] = {"incident": incident, **({"holder": holder} if holder else {})}
    case = transition(actor=actor, case=incident.case, action=action, reason=reason, fields=dict(fields or {}),
                      attachments=attachments, request_id=request_id, expected_version=expected_version,
                      deadline=deadline, deadline_extend=deadline_extend, by_applicant=by_applicant,
                      effect_context=context)
    incident.case = case
    changed = queue_columns(incident, case)  # the queue's copies of the state and the clock
    if changed:
        incident.save(update_fields=changed)
    return case


def _category_limit(incident: Incident) -> DeadlineSpec:
    v = incident.category_version
    return DeadlineSpec(v.limit_unit, v.limit_value)


def _holder_at_dispatch(case: Case) -> tuple[User | None, Department | None]:
    """Who held the case when it was last given to someone (the dispatch or a reassignment)."""
    last = (CaseHandoff.objects.filter(case=case).exclude(handler__isnull=True, handler_unit__isnull=True)
            .select_related("handler", "handler_unit__area").order_by("-at", "-pk").first())
    return (last.handler, last.handler_unit) if last else (None, None)


def _give_back(case: Case, actor: User, holder: tuple[User | None, Department | None]) -> None:
    handler, unit = holder
    case_hand_over(case=case, handler=handler, unit=None if handler else unit, actor=actor)


# ---------------------------------------------------------------- 立案 / 不予立案 / 合并 / 自行处置

@transaction.atomic
def incident_register(*, actor: User, incident: Incident, expected_version: int | None = None,
                      request_id: str = "") -> Incident:
    """立案: the dispatcher accepts the report as an incident to dispatch."""
    incident = _locked(incident, expected_version)
    _move(actor, incident, "register", expected_version=expected_version, request_id=request_id)
    return incident


@transaction.atomic
def incident_reject(*, actor: User, incident: Incident, reason: str, expected_version: int | None = None,
                    request_id: str = "") -> Incident:
    """不予立案 with a reason (the reporter is told it)."""
    reason = str(reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Give the reason."))
    incident = _locked(incident, expected_version)
    _move(actor, incident, "reject", reason=reason, fields={"reason": reason}, expected_version=expected_version,
          request_id=request_id)
    return incident


def _merge_target(actor: User | None, incident: Incident, into: str) -> Incident:
    target = (Incident.objects.select_related("case").filter(case__number=str(into or "").strip())
              .exclude(pk=incident.pk).first())
    staff = actor is not None and not policy.is_public_account(actor)
    if target is not None and staff and not in_scope(actor, target.case.area_code):
        target = None
    if target is not None and not staff:  # a citizen merges only into an incident offered as a duplicate
        offered = incident.lng is not None and incident.lat is not None and target in incident_duplicates(
            category=incident.category.code, lng=incident.lng, lat=incident.lat, exclude=[incident.pk])
        target = target if offered else None
    if target is None:
        raise FieldError("into", _("No such incident to merge into."))
    if not target.is_open or target.merged_into_id is not None:
        raise FieldError("into", _("Only an open incident can take a merged report."))
    return target


@transaction.atomic
def incident_merge(*, actor: User | None, incident: Incident, into: str, reason: str = "",
                   expected_version: int | None = None, request_id: str = "") -> Incident:
    """合并: the report joins an open incident (the reporter, or the dispatcher). The merged report stays
    attached to the original (``merged_into``) and its reporter is told the original's outcome."""
    if actor is None:
        raise FieldError("into", _("Sign in to merge a report into another incident."))
    incident = _locked(incident, expected_version)
    target = _merge_target(actor, incident, into)
    applicant = policy.is_public_account(actor)
    if applicant and incident.reporter_id != actor.pk:
        raise NotFound(_("No such incident."), field="number")
    if not applicant and incident.reporter_id != actor.pk and not actor.has_role(*DISPATCH_ROLES):
        raise Forbidden(_("Only the reporter or a dispatcher may merge a report."))
    incident.merged_into = target
    incident.save(update_fields=["merged_into"])
    _move(actor, incident, "merge", reason=str(reason or ""), fields={"into": target.case.number},
          expected_version=expected_version, request_id=request_id, by_applicant=applicant)
    return incident


def _result_record(actor: User, incident: Incident, action: str, *, result: str, photos: list[Photo],
                   expected_version: int | None, request_id: str) -> None:
    """自行处置 / 处理反馈: what was done and a photo of it (both required), stored, then the step."""
    errors: list[tuple[str | None, Any]] = []
    if not result:
        errors.append(("result", _("Say what was done.")))
    if not photos:
        errors.append(("photos", _("Add a photo of the result.")))
    if errors:
        raise FieldError(None, errors=errors)
    hashes = photos_store(actor=actor, case=incident.case, photos=photos, request_id=request_id)
    incident.result_photos = hashes
    incident.save(update_fields=["result_photos"])
    _move(actor, incident, action, reason=result, fields={"result": result, "photos": hashes},
          attachments=hashes, expected_version=expected_version, request_id=request_id)


@transaction.atomic
def incident_self_close(*, actor: User, incident: Incident, result: str, photos: Sequence[Photo],
                        expected_version: int | None = None, request_id: str = "") -> Incident:
    """自行处置: a worker of the incident's grid closes a small matter on the spot, when the category allows
    it; a photo after is required."""
    result = str(result or "").strip()
    checked = check_photos(photos)
    incident = _locked(incident, expected_version)
    policy.check_of_grid(actor, incident.case.area_code)
    if not incident.category_version.self_close:
        raise FieldError("action", _("This category may not be closed by the grid worker; report it for dispatch."))
    _result_record(actor, incident, "self_close", result=result, photos=checked, expected_version=expected_version,
                   request_id=request_id)
    return incident


# ---------------------------------------------------------------- 派遣 / 退回 / 延期

def dispatch_suggestion(incident: Incident) -> dict[str, Department | None]:
    """The department from the category (its own, else the town's department of that name) and the squad
    from the location (the squad whose area is the nearest above the incident's grid)."""
    v, area = incident.category_version, incident.case.area_code
    department = v.department
    if department is None:
        department = (Department.objects.select_related("area").filter(name=v.department_name,
                                                                         area__code=area[:9]).first())
    squads = [d for d in Department.objects.select_related("area").filter(kind="squad")
              if area.startswith(d.area.code)]
    squad = max(squads, key=lambda d: (len(d.area.code), -d.pk)) if squads else None
    return {"department": department, "squad": squad}


@transaction.atomic
def incident_dispatch(*, actor: User, incident: Incident, unit: Department | None = None,
                      handler: User | None = None, reason: str = "", expected_version: int | None = None,
                      request_id: str = "") -> Incident:
    """派遣 to a department or squad (``Case.handler_unit``) or a person (``Case.handler``); without either,
    to the suggested department (else squad). The category's limit starts now."""
    if unit is not None and handler is not None:
        raise FieldError("handler", _("Name either a person or a department to hold the case."))
    incident = _locked(incident, expected_version)
    if unit is None and handler is None:
        suggested = dispatch_suggestion(incident)
        unit = suggested["department"] or suggested["squad"]
        if unit is None:
            raise FieldError("unit", _("No department is known for this category here; choose one."))
    _move(actor, incident, "dispatch", reason=str(reason or ""), expected_version=expected_version,
          request_id=request_id, deadline=_category_limit(incident), holder=(handler, unit),
          fields={"unit": unit.name if unit else "", "handler": str(handler) if handler else ""})
    case_assign(actor=actor, case=incident.case, handler=handler, unit=unit, reason=str(reason or ""),
                request_id=request_id, roles=HANDLER_ROLES, reassigner_roles=DISPATCH_ROLES)
    return incident


def _check_holder_side(actor: User, case: Case) -> None:
    """A case held by a department: only its staff (or a dispatcher) act for it."""
    held_by_unit = case.handler_id is None and case.handler_unit_id is not None
    if held_by_unit and actor.department_id != case.handler_unit_id and not actor.has_role(*DISPATCH_ROLES):
        raise Forbidden(_("This incident is held by another department."))


@transaction.atomic
def incident_return(*, actor: User, incident: Incident, reason: str, expected_version: int | None = None,
                    request_id: str = "") -> Incident:
    """退回: the handler sends a wrong dispatch back to the dispatcher, with the reason."""
    reason = str(reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Say why the dispatch is wrong."))
    incident = _locked(incident, expected_version)
    _check_holder_side(actor, incident.case)
    _move(actor, incident, "return", reason=reason, fields={"reason": reason}, expected_version=expected_version,
          request_id=request_id)
    case_hand_over(case=incident.case, handler=None, actor=actor, reason=reason)
    return incident


def _extension_value(value: Any, unit: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    top = MAX_EXTENSION.get(unit, 20)
    if number < 1 or number > top:
        raise FieldError("value", _("Ask for a whole number from 1 to %(max)d.") % {"max": top})
    return number


@transaction.atomic
def incident_extension_request(*, actor: User, incident: Incident, value: Any, reason: str,
                               expected_version: int | None = None, request_id: str = "") -> IncidentExtension:
    """申请延期: more time, in the deadline's own unit, with the reason; the dispatcher decides."""
    reason = str(reason or "").strip()
    incident = _locked(incident, expected_version)
    unit = incident.case.deadline_unit or incident.category_version.limit_unit
    number = _extension_value(value, unit)
    if not reason:
        raise FieldError("reason", _("Give the reason."))
    _check_holder_side(actor, incident.case)
    _move(actor, incident, "request_extension", reason=reason, fields={"reason": reason, "value": number,
                                                                       "unit": unit},
          expected_version=expected_version, request_id=request_id)
    extension = IncidentExtension.objects.create(incident=incident, unit=unit, value=number, reason=reason,
                                                 requested_by=actor, requested_at=timezone.now())
    case_hand_over(case=incident.case, handler=None, actor=actor, reason=reason)
    return extension


@transaction.atomic
def incident_extension_decide(*, actor: User, incident: Incident, approve: bool, reason: str = "",
                              expected_version: int | None = None, request_id: str = "") -> IncidentExtension:
    """批准 (the due time moves out by what was asked) or 驳回 (with a reason) the pending request; the
    case goes back to whoever held it."""
    reason = str(reason or "").strip()
    incident = _locked(incident, expected_version)
    extension = IncidentExtension.objects.filter(incident=incident, status=ExtensionStatus.PENDING).first()
    if extension is None:
        raise FieldError("action", _("There is no extension request to decide."))
    if not approve and not reason:
        raise FieldError("reason", _("Give the reason."))
    holder = _holder_at_dispatch(incident.case)
    if approve:
        _move(actor, incident, "approve_extension", reason=reason, fields={"value": extension.value,
                                                                           "unit": extension.unit},
              expected_version=expected_version, request_id=request_id, deadline_extend=extension.value,
              holder=holder)
    else:
        _move(actor, incident, "refuse_extension", reason=reason, fields={"reason": reason},
              expected_version=expected_version, request_id=request_id, holder=holder)
    extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = actor, timezone.now(), reason[:500]
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    _give_back(incident.case, actor, holder)
    return extension


# ---------------------------------------------------------------- 处置 / 核查 / 评价

@transaction.atomic
def incident_handle(*, actor: User, incident: Incident, result: str, photos: Sequence[Photo],
                    expected_version: int | None = None, request_id: str = "") -> Incident:
    """处理反馈: the handler reports the result with a photo; the grid's workers are asked to verify."""
    result = str(result or "").strip()
    checked = check_photos(photos)
    incident = _locked(incident, expected_version)
    _check_holder_side(actor, incident.case)
    _result_record(actor, incident, "handle", result=result, photos=checked, expected_version=expected_version,
                   request_id=request_id)
    case_hand_over(case=incident.case, handler=None, actor=actor)
    return incident


@transaction.atomic
def incident_verify(*, actor: User, incident: Incident, passed: bool, photos: Sequence[Photo], reason: str = "",
                    expected_version: int | None = None, request_id: str = "") -> Incident:
    """核查 on site by a worker of the incident's grid, with a photo: passed → 结案; failed → rework (the
    case goes back to its holder, the category's limit starts again, ``rework_count`` grows)."""
    reason = str(reason or "").strip()
    checked = check_photos(photos)
    incident = _locked(incident, expected_version)
    policy.check_of_grid(actor, incident.case.area_code)
    errors: list[tuple[str | None, Any]] = []
    if not checked:
        errors.append(("photos", _("Add a photo taken on site.")))
    if not passed and not reason:
        errors.append(("reason", _("Say what is still wrong.")))
    if errors:
        raise FieldError(None, errors=errors)
    if incident.case.status != "fed_back":
        raise FieldError("action", _("This action is not possible in the case's current state."))
    hashes = photos_store(actor=actor, case=incident.case, photos=checked, request_id=request_id)
    incident.verify_photos = hashes
    if not passed:
        incident.rework_count += 1
    incident.save(update_fields=["verify_photos", "rework_count"])
    fields: dict[str, Any] = {"photos": hashes, **({"reason": reason} if reason else {})}
    if passed:
        _move(actor, incident, "verify_pass", reason=reason, fields=fields, attachments=hashes,
              expected_version=expected_version, request_id=request_id)
    else:
        holder = _holder_at_dispatch(incident.case)
        _move(actor, incident, "verify_fail", reason=reason, fields=fields, attachments=hashes,
              expected_version=expected_version, request_id=request_id, deadline=_category_limit(incident),
              holder=holder)
        _give_back(incident.case, actor, holder)
    return incident


@transaction.atomic
def incident_evaluate(*, actor: User, incident: Incident, score: Any, note: str = "",
                      expected_version: int | None = None, request_id: str = "") -> Incident:
    """综合评价 of a closed incident: a score from 1 to 5 and a note."""
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise FieldError("score", _("Give a score from 1 to 5."))
    note = str(note or "").strip()[:500]
    incident = _locked(incident, expected_version)
    incident.evaluation, incident.evaluation_note = value, note
    incident.save(update_fields=["evaluation", "evaluation_note"])
    _move(actor, incident, "evaluate", reason=note, fields={"score": value}, expected_version=expected_version,
          request_id=request_id)
    return incident


def incident_reassign(*, actor: User, incident: Incident, unit: Department | None = None,
                      handler: User | None = None, reason: str = "", request_id: str = "") -> Incident:
    """改派 of a dispatched incident (the kernel's ``case_assign`` with the grid's roles)."""
    policy.check(actor, "reassign", area_code=incident.case.area_code)
    if incident.case.status != "dispatched":
        raise FieldError("action", _("This action is not possible in the case's current state."))
    case_assign(actor=actor, case=incident.case, handler=handler, unit=unit, reason=reason, request_id=request_id,
                roles=HANDLER_ROLES, reassigner_roles=DISPATCH_ROLES)
    return incident

