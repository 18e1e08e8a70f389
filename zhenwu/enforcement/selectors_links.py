"""Reads of the publication of decisions (public, and the leaders' supervision list) and of 审管联动 follow-ups."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import PublicationStatus
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models import DecisionPublication, SupervisionFollowUp
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _

PUBLIC_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


def publication_public(*, q: str = "", status: str = "") -> QuerySet[DecisionPublication]:
    """What everyone sees: decisions published (withdrawn ones stay, marked), newest first, searched by
    decision number, party (as published) or power."""
    qs = DecisionPublication.objects.filter(status__in=PUBLIC_STATUSES, published_at__isnull=False)
    if status:
        if status not in PUBLIC_STATUSES:
            raise FieldError("status", _("Unknown publication status."))
        qs = qs.filter(status=status)
    text = q.strip()[:100]
    if text:
        qs = qs.filter(Q(decision_number__icontains=text) | Q(party_shown__icontains=text)
                       | Q(power_name__icontains=text) | Q(power_code__icontains=text))
    return qs.order_by("-published_at", "-pk")


def publication_public_get(*, pub_id: int) -> DecisionPublication:
    pub = publication_public().filter(pk=pub_id).first()
    if pub is None:
        raise NotFound(_("No such publication."), field="publication")
    return pub


@dataclass(frozen=True)
class Pending:
    """One line of the supervision list: a decision to publish, or a published one to withdraw."""

    publication: DecisionPublication
    task: str  # "publish" or "withdraw"
    due_on: datetime.date
    overdue: bool


def publication_supervision(*, user: User, overdue_only: bool = True) -> list[Pending]:
    """The leaders' supervision list in the user's scope: decisions not published by their deadline and
    overturned decisions not withdrawn by theirs (``overdue_only=False``: every open one, due or not)."""
    base = restrict(DecisionPublication.objects.select_related("penalty__case"), user, field="area_code")
    if not policy.may_open(user, "publications"):
        base = base.none()
    day = today()
    to_publish = base.filter(status=PublicationStatus.PENDING)
    to_withdraw = base.filter(status=PublicationStatus.PUBLISHED, withdraw_due_on__isnull=False)
    if overdue_only:
        to_publish, to_withdraw = to_publish.filter(due_on__lt=day), to_withdraw.filter(withdraw_due_on__lt=day)
    rows = [Pending(p, "publish", p.due_on, p.due_on < day) for p in to_publish.order_by("due_on", "pk")[:500]]
    rows += [Pending(p, "withdraw", p.withdraw_due_on, p.withdraw_due_on < day)
             for p in to_withdraw.order_by("withdraw_due_on", "pk")[:500] if p.withdraw_due_on]
    return sorted(rows, key=lambda r: (r.due_on, r.publication.pk))


def publication_staff_get(*, user: User, pub_id: int) -> DecisionPublication:
    """One publication in the user's scope, pending ones included (for those who keep the publications)."""
    qs = restrict(DecisionPublication.objects.select_related("penalty__case"), user, field="area_code")
    pub = qs.filter(pk=pub_id).first() if policy.may_open(user, "publications") else None
    if pub is None:
        raise NotFound(_("No such publication."), field="publication")
    return pub


# --- 审管联动 ----------------------------------------------------------------------------------------

def followups_mine(*, user: User, status: str = "") -> QuerySet[SupervisionFollowUp]:
    """审管联动 tasks: an officer's own (routed to them); leaders and administrators those of their scope."""
    qs = SupervisionFollowUp.objects.select_related("case", "officer__user", "squad", "penalty__case")
    if not policy.may_open(user, "followups"):
        return qs.none()
    qs = restrict(qs, user, field="case__area_code")
    if not user.has_role(Role.LEADER, Role.ADMIN):  # an officer sees the tasks routed to them
        qs = qs.filter(officer__user=user)
    if status:
        qs = qs.filter(case__status=status)
    return qs.order_by("-created_at", "-pk")


def followup_get(*, user: User, pk: int) -> SupervisionFollowUp:
    row = followups_mine(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such task."), field="task")
    return row
