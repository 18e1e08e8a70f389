"""Rectification tasks of bad ratings, supervision tasks (审管联动) and A/B角 stand-ins."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope
from zhenwu.casework.models import StandIn
from zhenwu.casework.services.assignment import stand_in_set as kernel_stand_in_set
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import policy
from zhenwu.services.choices import (
    RectificationStatus,
    SupervisionStatus,
)
from zhenwu.services.models import RectificationTask, SupervisionTask
from zhenwu.services.services.common import note, sms


def _task_step(task: RectificationTask, actor: User, expected: str, action: str) -> RectificationTask:
    task = RectificationTask.objects.select_for_update().select_related("application__case").get(pk=task.pk)
    policy.check(actor, action, area_code=task.area_code, missing=_("No such task."))
    if task.status != expected:
        raise FieldError("status", _("This step is not possible in the task's current state."))
    return task


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise FieldError(field, _("This field is required."))
    return value


@transaction.atomic
def rectification_verify(*, actor: User, task: RectificationTask, finding: str) -> RectificationTask:
    """核实: what the complaint is about, within the verification deadline."""
    finding = _text(finding, "finding")
    task = _task_step(task, actor, RectificationStatus.OPEN, "rectification_verify")
    task.status, task.verification, task.verified_at, task.verified_by = (
        RectificationStatus.VERIFIED, finding, timezone.now(), actor)
    task.save()
    note(actor=actor, app=task.application, action="rectification_verify", reason=finding)
    return task


@transaction.atomic
def rectification_answer(*, actor: User, task: RectificationTask, reply: str) -> RectificationTask:
    """整改 and the answer to the applicant (sent by SMS)."""
    reply = _text(reply, "reply")
    task = _task_step(task, actor, RectificationStatus.VERIFIED, "rectification_answer")
    task.status, task.reply, task.replied_at = RectificationStatus.ANSWERED, reply, timezone.now()
    task.save()
    note(actor=actor, app=task.application, action="rectification_answer", reason=reply)
    sms(task.application, _("About your rating of %(number)s: %(reply)s")
        % {"number": task.application.case.number, "reply": reply})
    return task


@transaction.atomic
def rectification_callback(*, actor: User, task: RectificationTask, record: str) -> RectificationTask:
    """回访: the call back to the applicant, recorded; closes the task."""
    record = _text(record, "record")
    task = _task_step(task, actor, RectificationStatus.ANSWERED, "rectification_callback")
    task.status, task.callback, task.called_back_at, task.called_back_by = (
        RectificationStatus.CLOSED, record, timezone.now(), actor)
    task.save()
    note(actor=actor, app=task.application, action="rectification_callback", reason=record)
    return task


@transaction.atomic
def supervision_task_complete(*, actor: User, task: SupervisionTask, note_text: str) -> SupervisionTask:
    """The enforcement side records the follow-up of an approval (审管联动)."""
    note_text = _text(note_text, "note")
    task = SupervisionTask.objects.select_for_update().select_related("application__case").get(pk=task.pk)
    policy.check(actor, "supervision_task_complete", area_code=task.area_code, missing=_("No such task."))
    if task.status != SupervisionStatus.OPEN:
        raise FieldError("status", _("This step is not possible in the task's current state."))
    task.status, task.note, task.done_at, task.done_by = SupervisionStatus.DONE, note_text, timezone.now(), actor
    task.save()
    note(actor=actor, app=task.application, action="supervision_done", reason=note_text)
    return task


def _visible(actor: User, other: User) -> bool:
    """Staff see colleagues whose scope overlaps theirs (one contains the other); the rest do not exist."""
    mine, theirs = actor.scope_code, other.scope_code
    return other.kind == "staff" and mine is not None and theirs is not None and (
        theirs.startswith(mine) or mine.startswith(theirs))


@transaction.atomic
def stand_in_set(*, actor: User, user: User, stand_in: User, starts_at: dt.datetime,
                 ends_at: dt.datetime) -> StandIn:
    """A/B角: name ``stand_in`` to cover ``user`` from … until (the user themself, or a leader or
    administrator whose scope covers the user). Staff outside the actor's scope are not found (404);
    the stand-in's scope must contain the user's, so that every case the user holds is theirs to see."""
    if actor.pk != user.pk:
        if user.kind != UserKind.STAFF or not in_scope(actor, user.scope_code):
            raise NotFound(_("No such staff member."), field="user")
        if not actor.has_role(Role.LEADER, Role.ADMIN):
            raise Forbidden(_("Your roles do not allow this action."))
    if not _visible(actor, stand_in):
        raise NotFound(_("No such staff member."), field="stand_in")
    return kernel_stand_in_set(user=user, stand_in=stand_in, starts_at=starts_at, ends_at=ends_at)
