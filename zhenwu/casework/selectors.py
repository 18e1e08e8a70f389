"""Every read of the casework kernel, scoped to the user (outside the scope → NotFound → 404)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.casework.kinds import cases_readable
from zhenwu.casework.models import Attachment, AuditEntry, CalendarDay, CalendarYear, Case, CaseHandoff
from zhenwu.casework.process import process_get
from zhenwu.casework.services.assignment import covered_handlers
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as _


def case_list(*, user: User) -> QuerySet[Case]:
    """Cases whose area lies in the staff member's scope (the scope rule, ``accounts.scope.restrict``;
    none for users without a scope), without the cases their kind keeps from the user (``kinds.cases_readable``)."""
    return cases_readable(restrict(Case.objects.all(), user), user)


def case_get(*, user: User, number: str) -> Case:
    """One case by number, or NotFound when absent or outside the user's scope."""
    case = case_list(user=user).filter(number=number).first()
    if case is None:
        raise NotFound(_("No such case."), field="number")
    return case


def case_timeline(*, user: User, number: str) -> QuerySet[AuditEntry]:
    """A case's audit entries, oldest first."""
    case = case_get(user=user, number=number)
    return AuditEntry.objects.filter(subject=case.number).order_by("seq")


def case_handlers(*, user: User, number: str) -> QuerySet[CaseHandoff]:
    """The history of a case's handlers, oldest first (scoped like the case)."""
    case = case_get(user=user, number=number)
    return CaseHandoff.objects.filter(case=case).select_related("handler", "handler_unit", "previous",
                                                                "assigned_by").order_by("at", "pk")


def my_work(*, user: User) -> QuerySet[Case]:
    """My work across every case kind: the unfinished cases in ``user``'s scope held by them, by someone
    they stand in for now (A/B角), or by their department / squad with no named person; the most urgent
    first (due time, then the oldest). Each case is annotated ``held_as``: ``mine``, ``stand_in`` or ``unit``."""
    covered = covered_handlers(actor=user)
    held = Q(handler=user) | Q(handler_id__in=covered)
    if user.department_id is not None:
        held |= Q(handler__isnull=True, handler_unit_id=user.department_id)
    qs = cases_readable(restrict(Case.objects.all(), user), user).filter(held)
    finished = Q()
    for key in qs.order_by().values_list("process", flat=True).distinct():
        ends = [s.key for s in process_get(key).states.values() if s.terminal]
        if ends:
            finished |= Q(process=key, status__in=ends)
    if finished:
        qs = qs.exclude(finished)
    return (qs.select_related("handler", "handler_unit")
            .order_by(F("deadline_due_at").asc(nulls_last=True), "created_at", "pk"))


def held_as(case: Case, user: User) -> str:
    """Why ``case`` is on ``user``'s work list (see ``my_work``)."""
    if case.handler_id == user.pk:
        return "mine"
    return "stand_in" if case.handler_id is not None else "unit"


def attachment_get(*, user: User, sha256: str) -> Attachment:
    """An attachment filed on at least one case the user can see."""
    visible = case_list(user=user).filter(attachment_links__attachment__sha256=sha256)
    attachment = Attachment.objects.filter(sha256=sha256).first()
    if attachment is None or not visible.exists():
        raise NotFound(_("No such attachment."), field="sha256")
    return attachment


def calendar_years() -> list[dict[str, object]]:
    """Confirmed years with their source and number of exception days."""
    counts: dict[int, int] = {}
    for day in CalendarDay.objects.values_list("date", flat=True):
        counts[day.year] = counts.get(day.year, 0) + 1
    return [{"year": y.year, "source": y.source, "days": counts.get(y.year, 0), "imported_at": y.imported_at}
            for y in CalendarYear.objects.order_by("year")]
