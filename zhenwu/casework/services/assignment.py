"""Who holds a case: the handler (a person, or a department / squad), reassignment with a reason, the
history of handlers, and A/B角 stand-ins (an absent handler's cover) — for every case kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import Department, User
from zhenwu.accounts.scope import in_scope
from zhenwu.casework.models import Case, CaseHandoff, StandIn
from zhenwu.casework.process import process_get
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _


def step_roles(case: Case) -> list[str]:
    """The roles that work ``case`` in its current state: those of the actions leaving it (the pause's
    ``resume`` included); empty in a terminal state."""
    proc = process_get(case.process)
    roles: list[str] = []
    for act in proc.actions_from(case.status):
        roles += [r for r in act.roles if r not in roles]
    return roles


def stand_in_active(*, handler: User | int, actor: User, now: dt.datetime | None = None) -> bool:
    """True when ``actor`` stands in for ``handler`` now (A/B角)."""
    now = now or timezone.now()
    handler_id = handler if isinstance(handler, int) else handler.pk
    return StandIn.objects.filter(user_id=handler_id, stand_in=actor, starts_at__lte=now, ends_at__gte=now).exists()


def covered_handlers(*, actor: User, now: dt.datetime | None = None) -> list[int]:
    """The people ``actor`` stands in for now."""
    now = now or timezone.now()
    return list(StandIn.objects.filter(stand_in=actor, starts_at__lte=now, ends_at__gte=now)
                .values_list("user_id", flat=True))


def stand_in_current(*, handler: User | None, now: dt.datetime | None = None) -> User | None:
    """Who covers ``handler`` now, if anyone."""
    if handler is None:
        return None
    now = now or timezone.now()
    row = (StandIn.objects.filter(user=handler, starts_at__lte=now, ends_at__gte=now)
           .select_related("stand_in").first())
    return row.stand_in if row else None


def case_cover(*, actor: User, case: Case) -> User | None:
    """The handler ``actor`` stands in for on ``case`` (A/B角), None when acting in their own right.

    A case held by a named person may be moved only by that person or their current stand-in (403).
    """
    if case.handler_id is None or case.handler_id == actor.pk:
        return None
    if stand_in_active(handler=case.handler_id, actor=actor):
        return case.handler
    raise Forbidden(_("This case is held by %(name)s; only they or their stand-in may act on it.")
                    % {"name": str(case.handler)})


def check_handler(case: Case, handler: User, *, roles: Iterable[str] | None = None,
                  field: str = "handler") -> None:
    """A handler must be an active staff member whose scope covers the case and who holds one of
    ``roles`` (by default the roles of the case's current step); else ``FieldError(field)``."""
    if handler.kind != UserKind.STAFF or not handler.is_active or not in_scope(handler, case.area_code):
        raise FieldError(field, _("Choose a staff member whose scope covers the case."))
    needed = list(roles) if roles is not None else step_roles(case)
    if needed and not handler.has_role(*needed):
        raise FieldError(field, _("This staff member does not hold the role the current step needs."))


def check_unit(case: Case, unit: Department, *, field: str = "unit") -> None:
    """A department or squad may hold a case of its own area."""
    if not case.area_code.startswith(unit.area.code):
        raise FieldError(field, _("Choose a department or squad whose area covers the case."))


def _handoff(case: Case, *, handler: User | None, unit: Department | None, actor: User | None,
             reason: str) -> CaseHandoff:
    previous = case.handler
    Case.objects.filter(pk=case.pk).update(handler=handler, handler_unit=unit)
    case.handler, case.handler_unit = handler, unit
    return CaseHandoff.objects.create(case=case, handler=handler, handler_unit=unit, previous=previous,
                                      reason=reason, assigned_by=actor)


@transaction.atomic
def case_assign(*, actor: User, case: Case, handler: User | None = None, unit: Department | None = None,
                reason: str = "", request_id: str = "", roles: Iterable[str] | None = None,
                reassigner_roles: Iterable[str] = (Role.LEADER, Role.ADMIN)) -> Case:
    """改派: hand ``case`` to a named person or to a department / squad, with a reason.

    Checks: the case in ``actor``'s scope (404); ``actor`` holds one of ``reassigner_roles`` (403; the
    kind's policy may pass its own); the case not finished (400 ``action``); the new handler an active
    staff member in the case's scope holding one of ``roles`` (default: the current step's roles) or
    the unit's area covering the case (400 ``handler`` / ``unit``). Writes the case's handler, a row of
    its history (``CaseHandoff``) and an audit entry ``reassign`` (from, to, to_name, unit).
    """
    if not in_scope(actor, case.area_code):
        raise NotFound(_("No such case."))
    if not actor.has_role(*reassigner_roles):
        raise Forbidden(_("Your roles do not allow this action."))
    if (handler is None) == (unit is None):
        raise FieldError("handler", _("Name either a person or a department to hold the case."))
    if process_get(case.process).states[case.status].terminal:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    if handler is not None:
        check_handler(case, handler, roles=roles)
    if unit is not None:
        check_unit(case, unit)
    before = case.handler
    _handoff(case, handler=handler, unit=unit, actor=actor, reason=reason)
    data = {"from": before.pk if before else None, "to": handler.pk if handler else None,
            "to_name": str(handler) if handler else ""}
    if unit is not None:
        data.update({"unit": unit.pk, "unit_name": unit.name})
    audit_record(subject=case.number, case=case, actor=actor, action="reassign", reason=reason,
                 request_id=request_id, data=data)
    return case


def case_hand_over(*, case: Case, handler: User | None, unit: Department | None = None, actor: User | None = None,
                   reason: str = "") -> Case:
    """A hand-over that is part of a step (a review step forwards the case to the next queue, a decided
    case goes back to the accepting window): no checks, recorded in the history of handlers only (the
    step's own audit entry tells why). A no-op when nothing changes."""
    if case.handler_id == (handler.pk if handler else None) and case.handler_unit_id == (unit.pk if unit else None):
        return case
    _handoff(case, handler=handler, unit=unit, actor=actor, reason=reason)
    return case


def check_stand_in(user: User, stand_in: User) -> None:
    """A stand-in is another active staff member whose scope covers every case the user may hold."""
    if stand_in.pk == user.pk or not stand_in.is_active or stand_in.kind != UserKind.STAFF:
        raise FieldError("stand_in", _("Choose another active staff member."))
    if stand_in.scope_code is None or not (user.scope_code or "").startswith(str(stand_in.scope_code)):
        raise FieldError("stand_in", _("The stand-in's scope must cover every case of the person they stand in "
                                       "for."))


def stand_in_set(*, user: User, stand_in: User, starts_at: dt.datetime, ends_at: dt.datetime) -> StandIn:
    """Name ``stand_in`` to cover ``user`` from … until. Who may name one is the caller's policy."""
    check_stand_in(user, stand_in)
    if ends_at <= starts_at:
        raise FieldError("ends_at", _("The end must be after the start."))
    return StandIn.objects.create(user=user, stand_in=stand_in, starts_at=starts_at, ends_at=ends_at)
