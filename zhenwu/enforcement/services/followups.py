"""审管联动: the service hall's supervision tasks reach the officer of the applicant's grid and end with an
inspection record or a penalty case.

The hall (``zhenwu.services``) owns the task and its case (kind SG); a sibling pillar, it is reached through the
kernel's hooks (``casework.hooks``): when it opens a task it calls ``SUPERVISION_TASK_OPENED`` and
``followup_route`` answers by handing the case to an officer; ending it here calls ``SUPERVISION_TASK_COMPLETE``
and the hall closes its task (待跟进 → 已跟进) with the ending as its note.

Routing: the squad whose grids include the task's grid, else the squad whose area (片区) contains it (the
deepest); in it, an officer whose certificate is valid today, whose scope covers the grid and who declared
no conflict with the applicant, with the fewest open tasks (then the lowest id). No squad or no such officer:
the task stays with nobody and leaders see it (``followup_assign``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope
from zhenwu.casework.hooks import SUPERVISION_TASK_COMPLETE, hook_call, hook_listened
from zhenwu.casework.models import Case
from zhenwu.casework.services import audit_record
from zhenwu.casework.services.assignment import case_assign, case_hand_over
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import CaseSource, FollowUpResult
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models import Officer, Squad, SupervisionFollowUp
from zhenwu.enforcement.services.cases import Party, general_open
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _


def squad_for(area_code: str) -> Squad | None:
    """The squad covering a grid: one listing it among its grids, else the deepest whose area contains it."""
    listed = Squad.objects.filter(grids__code=area_code).order_by("pk").first()
    if listed is not None:
        return listed
    around = [s for s in Squad.objects.select_related("area") if area_code.startswith(s.area.code)]
    return max(around, key=lambda s: (len(s.area.code), -s.pk), default=None)


def officer_for(squad: Squad, area_code: str, *, id_number: str = "", uscc: str = "") -> Officer | None:
    """The squad's officer for a task in ``area_code`` (valid certificate, scope, no conflict, least loaded)."""
    day = today()
    keys = [k for k in (id_number, uscc) if k]
    officers = (Officer.objects.filter(squad=squad, user__is_active=True, certificate_valid_from__lte=day,
                                       certificate_valid_until__gte=day)
                .exclude(conflicts__in=_conflicts(keys))
                .annotate(open_tasks=Count("followups", filter=Q(followups__result="")))
                .select_related("user").order_by("open_tasks", "pk"))
    return next((o for o in officers if in_scope(o.user, area_code)), None)


def _conflicts(keys: list[str]) -> Any:
    from zhenwu.enforcement.models import ConflictDeclaration

    if not keys:
        return ConflictDeclaration.objects.none()
    return ConflictDeclaration.objects.filter(Q(id_number__in=keys) | Q(uscc__in=keys))


def followup_route(*, case: Case, party_name: str = "", id_number: str = "", uscc: str = "",
                   **_more: Any) -> SupervisionFollowUp:
    """The hook ``SUPERVISION_TASK_OPENED``: record the task here and hand its case to the routed officer
    (inside the hall's transaction, as the system)."""
    squad = squad_for(case.area_code)
    officer = officer_for(squad, case.area_code, id_number=id_number, uscc=uscc) if squad else None
    row = SupervisionFollowUp.objects.create(case=case, squad=squad, officer=officer, party_name=party_name[:200],
                                             party_id_number=id_number, party_uscc=uscc)
    if officer is not None:
        case_hand_over(case=case, handler=officer.user, reason=str(_("Supervision task routed to the squad's officer")))
    audit_record(subject=case.number, case=case, actor=None, action="followup_route",
                 data={"squad": squad.name if squad else None, "officer": officer.pk if officer else None})
    return row


def _locked(actor: User, pk: int) -> SupervisionFollowUp:
    row = (SupervisionFollowUp.objects.select_for_update(of=("self",)).select_related("case", "officer__user")
           .filter(pk=pk).first())
    if row is None:
        raise NotFound(_("No such task."), field="task")
    policy.check(actor, "followup_end", area_code=row.case.area_code, missing=_("No such task."))
    if row.result:
        raise FieldError("status", _("This task has already ended."))
    if row.officer is None or row.officer.user_id != actor.pk:
        raise Forbidden(_("This task was routed to another officer."))
    policy.officer_check(row.officer, on=today(), field="actor")
    policy.conflict_check(row.officer, id_number=row.party_id_number, uscc=row.party_uscc, field="actor")
    return row


def _end(actor: User, row: SupervisionFollowUp, result: str, note_text: str,
         expected_version: int | None) -> SupervisionFollowUp:
    if not hook_listened(SUPERVISION_TASK_COMPLETE):  # pragma: no cover - the hall is always installed
        raise FieldError("task", _("The service hall does not take the ending of its tasks."))
    hook_call(SUPERVISION_TASK_COMPLETE, actor=actor, case=row.case, note_text=note_text,
              expected_version=expected_version)
    row.case.refresh_from_db()  # the hall moved it (待跟进 → 已跟进)
    row.result, row.ended_at, row.ended_by = result, timezone.now(), actor
    row.save()
    return row


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise FieldError(field, _("This field is required."))
    return value


@transaction.atomic
def followup_inspect(*, actor: User, pk: int, problem: bool, record: str,
                     expected_version: int | None = None) -> SupervisionFollowUp:
    """The ending by an on-site inspection record: no problem, or a problem ordered to be put right."""
    record = _text(record, "record")
    row = _locked(actor, pk)
    row.record = record
    result = FollowUpResult.PROBLEM if problem else FollowUpResult.NO_PROBLEM
    prefix = (_("Inspected: problem found, ordered to put it right") if problem
              else _("Inspected: no problem found"))
    return _end(actor, row, result, f"{prefix}: {record}", expected_version)


@transaction.atomic
def followup_open_case(*, actor: User, pk: int, power_code: str, facts: str, investigators: list[int],
                       party: Party | None = None, expected_version: int | None = None) -> SupervisionFollowUp:
    """The ending by a penalty case (source 审管联动): a general-procedure 立案 request against the applicant
    (or the party given), in the task's grid, by the officer and the investigators named."""
    row = _locked(actor, pk)
    party = party or Party(row.party_name, id_number=row.party_id_number, uscc=row.party_uscc)
    penalty = general_open(actor=actor, power_code=power_code, party=party, area_code=row.case.area_code,
                           facts=_text(facts, "facts"), investigators=investigators,
                           source=CaseSource.SUPERVISION_TASK)
    row.penalty, row.record = penalty, facts.strip()
    note_text = _("Penalty case opened: %(number)s") % {"number": penalty.case.number}
    return _end(actor, row, FollowUpResult.CASE, note_text, expected_version)


@transaction.atomic
def followup_assign(*, actor: User, pk: int, officer_id: int, reason: str = "") -> SupervisionFollowUp:
    """A leader hands a task to an officer of their scope (none was found, or the routed one is away)."""
    row = SupervisionFollowUp.objects.select_for_update().select_related("case").filter(pk=pk).first()
    if row is None or not in_scope(actor, row.case.area_code):
        raise NotFound(_("No such task."), field="task")
    if not actor.has_role(Role.LEADER, Role.ADMIN):
        raise Forbidden(_("Your roles do not allow this action."))
    if row.result:
        raise FieldError("status", _("This task has already ended."))
    officer = Officer.objects.select_related("user").filter(pk=officer_id).first()
    if officer is None or not in_scope(actor, officer.area_code):
        raise FieldError("officer", _("Unknown enforcement officer."))
    policy.officer_check(officer, on=today(), field="officer")
    case_assign(actor=actor, case=row.case, handler=officer.user, reason=reason.strip() or "审管联动",
                roles=policy.OFFICER_ROLES)
    row.officer = officer
    row.save(update_fields=["officer"])
    return row
