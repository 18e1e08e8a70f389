"""Every read of 矛盾纠纷, starting from the one scope rule (``accounts.scope.restrict``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import dispute_process as dp
from zhenwu.grid import policy_disputes as policy
from zhenwu.grid.choices import EscalationLevel
from zhenwu.grid.choices_disputes import DisputeKind
from zhenwu.grid.models import Dispute, DisputeParty, MediationSession
from zhenwu.registry.choices import RiskLevel

SESSION = "session"  # not a process action: recording a session (allowed while mediating)


def dispute_scope(*, user: User) -> QuerySet[Dispute]:
    """The disputes ``user`` may read: filed in their scope, for staff with a grid role; else none."""
    base = Dispute.objects.select_related("case", "grid")
    return restrict(base, user, field="case__area_code") if policy.may_read(user) else base.none()


def _check(value: str, choices: Any, field: str) -> str:
    if value and value not in choices:
        raise FieldError(field, _("Choose one of: %(values)s.") % {"values": ", ".join(choices)})
    return value


def dispute_list(*, user: User, status: str = "", kind: str = "", risk: str = "", level: str = "",
                 grid: str = "", q: str = "", open_only: bool = False) -> QuerySet[Dispute]:
    """The scoped disputes filtered; newest first."""
    states = list(process_get(dp.PROCESS).states)
    qs = dispute_scope(user=user)
    filters = {"case__status": _check(status, states, "status"), "kind": _check(kind, DisputeKind.values, "kind"),
               "risk": _check(risk, RiskLevel.values, "risk"), "level": _check(level, EscalationLevel.values, "level")}
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    if grid:
        qs = qs.filter(case__area_code__startswith=grid)
    if open_only:
        qs = qs.filter(case__status__in=[dp.MEDIATING, dp.SETTLED, dp.REFERRED])
    if q:
        qs = qs.filter(Q(case__number__icontains=q) | Q(description__icontains=q) | Q(parties__name__icontains=q))
        qs = qs.distinct()
    return qs.order_by("-case__created_at", "-pk")


def dispute_get(*, user: User, number: str) -> Dispute:
    """One dispute by its case number (404 outside the scope), with parties and sessions."""
    sessions = Prefetch("sessions", queryset=MediationSession.objects.prefetch_related("mediators"))
    parties = Prefetch("parties", queryset=DisputeParty.objects.order_by("role", "pk"))
    found = dispute_scope(user=user).prefetch_related(parties, sessions).filter(case__number=number).first()
    if found is None:
        raise NotFound(_("No such dispute."), field="number")
    return found


def dispute_actions(*, user: User, dispute: Dispute) -> list[dict[str, Any]]:
    """The steps ``user`` may take on the dispute now, as the services would accept them."""
    proc = process_get(dispute.case.process)
    area, level = dispute.case.area_code, dispute.level
    out = [{"key": a.key, "label": a.label, "required": list(a.required)}
           for a in proc.actions_from(dispute.case.status)
           if user.has_role(*a.roles) and policy.may(user, a.key, area_code=area, level=level)]
    if dispute.case.status == dp.MEDIATING and policy.may(user, dp.SETTLE, area_code=area, level=level):
        out.append({"key": SESSION, "label": str(_("Record a mediation session")),
                    "required": ["held_on", "place", "minutes", "result"]})
    return out


def dispute_timeline(*, dispute: Dispute) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject=dispute.case.number).order_by("seq")
