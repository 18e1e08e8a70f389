"""Helpers shared by the application services: who may act, the move through ``transition()``,
audit of non-state changes and SMS to the applicant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.models import User
from zhenwu.casework.models import Case
from zhenwu.casework.services import audit_record, notification_enqueue, transition
from zhenwu.casework.services.assignment import case_cover, stand_in_active
from zhenwu.errors import Conflict, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services.models import Application


def is_applicant_account(user: User) -> bool:
    return user.kind in (UserKind.CITIZEN, UserKind.ENTERPRISE)


def check_owner(actor: User, app: Application) -> None:
    """A citizen or enterprise acts only on its own applications (others are 404)."""
    if app.applicant_user_id != actor.pk:
        raise NotFound(_("No such application."), field="number")


def active_stand_in(*, handler: User | int, actor: User) -> bool:
    return stand_in_active(handler=handler, actor=actor)


def cover_for(actor: User, app: Application) -> User | None:
    """The handler the actor stands in for (A/B角), None when acting in their own right (the kernel's rule:
    a case held by a named handler may be moved only by that handler or their current stand-in)."""
    return case_cover(actor=actor, case=app.case)


def check_fresh(app: Application) -> None:
    """A case someone else moved since the caller loaded it is a lost race (409). Checked before the
    handler: the winner may have handed the case to someone else, and the loser must hear that the
    case changed, not that it belongs to another person."""
    stored = Case.objects.filter(pk=app.case_id).values_list("status", "version", "handler_id").first()
    if stored is None or stored[:2] != (app.case.status, app.case.version):
        raise Conflict(_("The case was changed by someone else; reload it and try again."), field="version")
    if stored[2] != app.case.handler_id:  # reassigned meanwhile (no new version): the holder is who it is now
        app.case.handler_id = stored[2]


def move(*, actor: User, app: Application, action: str, reason: str = "",
         fields: Mapping[str, Any] | None = None, attachments: Iterable[str] = (), request_id: str = "",
         expected_version: int | None = None, effect_context: Mapping[str, Any] | None = None) -> Case:
    """Move the application's case through the kernel; citizens only on their own case. The action's
    effects (``services/effects.py``) get the application (with this step's fields set before the move)
    and ``effect_context``."""
    applicant = is_applicant_account(actor)
    if applicant:
        check_owner(actor, app)
    check_fresh(app)
    stand_in_for = None if applicant else cover_for(actor, app)
    case = transition(actor=actor, case=app.case, action=action, reason=reason, fields=fields,
                      attachments=attachments, request_id=request_id, as_stand_in_for=stand_in_for,
                      expected_version=expected_version, by_applicant=applicant,
                      effect_context={"application": app, **(effect_context or {})})
    app.case = case
    return case


def note(*, actor: User | None, app: Application, action: str, reason: str = "", data: Mapping[str, Any] | None = None,
         request_id: str = "") -> None:
    """Audit a change that is not a state change (reassignment, rating, task steps)."""
    audit_record(subject=app.case.number, case=app.case, actor=actor, action=action, reason=reason,
                 request_id=request_id, data=dict(data) if data else None)


def sms(app: Application, body: str, *, secret: str = "", secret_ttl_seconds: int | None = None) -> None:
    """Queue an SMS to the applicant (delivered after commit by the outbox).

    A ``secret`` (a tracking or rating code, a signed link) goes where ``body`` holds ``SECRET_MARK``: the
    outbox keeps it sealed and never in the stored text.
    """
    if app.applicant_mobile:
        notification_enqueue(channel="sms", recipient=app.applicant_mobile, body=body,
                             payload={"case": app.case.number}, secret=secret,
                             secret_ttl_seconds=secret_ttl_seconds)
