"""Every read of the casework kernel, scoped to the user (outside the scope → NotFound → 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.casework.models import Attachment, AuditEntry, CalendarDay, CalendarYear, Case
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as _


def case_list(*, user: User) -> QuerySet[Case]:
    """Cases whose area lies in the staff member's scope (the scope rule, ``accounts.scope.restrict``;
    none for users without a scope)."""
    return restrict(Case.objects.all(), user)


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
