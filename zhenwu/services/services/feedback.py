"""Rectification tasks of bad ratings, supervision tasks (审管联动) and A/B角 stand-ins."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope
from zhenwu.casework import workcal
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.deadlines import due_at
from zhenwu.casework.hooks import SUPERVISION_TASK_OPENED, hook_call
from zhenwu.casework.models import Case, StandIn
from zhenwu.casework.process import DeadlineSpec
from zhenwu.casework.services import case_create, transition
from zhenwu.casework.services.assignment import stand_in_set as kernel_stand_in_set
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import policy
from zhenwu.services.choices import (
    RectificationStatus,
    SupervisionStatus,
)
from zhenwu.services.models import Application, Rating, RectificationTask, SupervisionTask
from zhenwu.services.services.common import note, sms
from zhenwu.services.task_process import (
    RECTIFY_ACTIONS,
    RECTIFY_KIND,
    RECTIFY_PROCESS,
    SUPERVISE_KIND,
    SUPERVISE_PROCESS,
)


def rectification_open(rating: Rating) -> RectificationTask:
    """A 不满意/非常不满意 rating opens a rectification task and its case (kind ZG), inside the rating's
    transaction. Opened by the rating applicant's account, or by the system for the channels without a
    login; both deadlines are counted from now as the case's clock counts them."""
    app = rating.application
    case = case_create(kind=RECTIFY_KIND, process=RECTIFY_PROCESS, area_code=app.case.area_code,
                       town_code=app.case.town_code, title=f"{app.case.number} {app.case.title}"[:200],
                       actor=rating.rated_by, reason=rating.comment[:500])
    now = case.created_at
    rectify, _ok = due_at(DeadlineUnit.WORKING_DAYS, settings.SERVICES_RECTIFY_DAYS, now)
    verify = case.deadline_due_at or due_at(DeadlineUnit.WORKING_DAYS, settings.SERVICES_RECTIFY_VERIFY_DAYS, now)[0]
    return RectificationTask.objects.create(case=case, rating=rating, application=app,
                                            area_code=app.case.area_code, verify_due_at=verify,
                                            rectify_due_at=rectify)


def supervision_task_open(app: Application, area_code: str) -> SupervisionTask:
    """An approval of an item under supervision opens a 审管联动 task and its case (kind SG) in the
    applicant's grid, opened by the system (the grid may lie outside the approver's scope). 一队执法 hears of it
    through the kernel's hook and routes it to the officer of that grid."""
    case = case_create(kind=SUPERVISE_KIND, process=SUPERVISE_PROCESS, area_code=area_code,
                       title=f"{app.case.number} {app.case.title}"[:200], actor=None)
    task = SupervisionTask.objects.create(case=case, application=app, area_code=area_code)
    hook_call(SUPERVISION_TASK_OPENED, case=case, party_name=app.applicant_name,
              id_number=app.applicant_id_number, uscc=app.applicant_uscc)
    return task


def supervision_task_complete_by_case(*, actor: User, case: Case, note_text: str,
                                      expected_version: int | None = None) -> SupervisionTask:
    """The hook ``SUPERVISION_TASK_COMPLETE``: 一队执法 ended the task of ``case`` (an inspection or a case)."""
    task = SupervisionTask.objects.filter(case=case).first()
    if task is None:
        raise NotFound(_("No such task."), field="task")
    return supervision_task_complete(actor=actor, task=task, note_text=note_text, expected_version=expected_version)


def _rectify_rest(task: RectificationTask, now: dt.datetime) -> DeadlineSpec:
    """The working days from today to the day the rectification is due (at least one), so the case's
    due time after 核实 is the task's ``rectify_due_at``."""
    today, due = timezone.localdate(now), timezone.localdate(task.rectify_due_at)
    return DeadlineSpec(DeadlineUnit.WORKING_DAYS, max(workcal.calendar_current().between(today, due), 1))


def _task_step(task: RectificationTask, actor: User, expected: str, action: str) -> RectificationTask:
    task = RectificationTask.objects.select_for_update().select_related("application__case", "case").get(
        pk=task.pk)
    policy.check(actor, action, area_code=task.area_code, missing=_("No such task."))
    if task.status != expected:
        raise FieldError("status", _("This step is not possible in the task's current state."))
    return task


def _task_move(task: RectificationTask, actor: User, action: str, field: str, text: str,
               expected_version: int | None, deadline: DeadlineSpec | None = None) -> None:
    """Move the task's case by the step (compare-and-set on ``expected_version``: a stale one is 409)."""
    task.case = transition(actor=actor, case=task.case, action=RECTIFY_ACTIONS[action], reason=text,
                           fields={field: text}, expected_version=expected_version, deadline=deadline)


def _text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise FieldError(field, _("This field is required."))
    return value


@transaction.atomic
def rectification_verify(*, actor: User, task: RectificationTask, finding: str,
                         expected_version: int | None = None) -> RectificationTask:
    """核实: what the complaint is about, within the verification deadline."""
    finding = _text(finding, "finding")
    task = _task_step(task, actor, RectificationStatus.OPEN, "rectification_verify")
    _task_move(task, actor, "rectification_verify", "finding", finding, expected_version,
               deadline=_rectify_rest(task, timezone.now()))
    task.status, task.verification, task.verified_at, task.verified_by = (
        RectificationStatus.VERIFIED, finding, timezone.now(), actor)
    task.save()
    note(actor=actor, app=task.application, action="rectification_verify", reason=finding)
    return task


@transaction.atomic
def rectification_answer(*, actor: User, task: RectificationTask, reply: str,
                         expected_version: int | None = None) -> RectificationTask:
    """整改 and the answer to the applicant (sent by SMS)."""
    reply = _text(reply, "reply")
    task = _task_step(task, actor, RectificationStatus.VERIFIED, "rectification_answer")
    _task_move(task, actor, "rectification_answer", "reply", reply, expected_version)
    task.status, task.reply, task.replied_at = RectificationStatus.ANSWERED, reply, timezone.now()
    task.save()
    note(actor=actor, app=task.application, action="rectification_answer", reason=reply)
    sms(task.application, _("About your rating of %(number)s: %(reply)s")
        % {"number": task.application.case.number, "reply": reply})
    return task


@transaction.atomic
def rectification_callback(*, actor: User, task: RectificationTask, record: str,
                           expected_version: int | None = None) -> RectificationTask:
    """回访: the call back to the applicant, recorded; closes the task."""
    record = _text(record, "record")
    task = _task_step(task, actor, RectificationStatus.ANSWERED, "rectification_callback")
    _task_move(task, actor, "rectification_callback", "record", record, expected_version)
    task.status, task.callback, task.called_back_at, task.called_back_by = (
        RectificationStatus.CLOSED, record, timezone.now(), actor)
    task.save()
    note(actor=actor, app=task.application, action="rectification_callback", reason=record)
    return task


@transaction.atomic
def supervision_task_complete(*, actor: User, task: SupervisionTask, note_text: str,
                              expected_version: int | None = None) -> SupervisionTask:
    """The enforcement side records the follow-up of an approval (审管联动)."""
    note_text = _text(note_text, "note")
    task = SupervisionTask.objects.select_for_update().select_related("application__case", "case").get(pk=task.pk)
    policy.check(actor, "supervision_task_complete", area_code=task.area_code, missing=_("No such task."))
    if task.status != SupervisionStatus.OPEN:
        raise FieldError("status", _("This step is not possible in the task's current state."))
    task.case = transition(actor=actor, case=task.case, action="complete", reason=note_text,
                           fields={"note": note_text}, expected_version=expected_version)
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
