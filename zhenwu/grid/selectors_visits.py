"""Every read of 走访, starting from the one scope rule (``accounts.scope.restrict``): the visits list, a
household's visit history, the targets picker and the monthly visit coverage per grid."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.models import Area
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import policy_disputes as policy
from zhenwu.grid.choices_disputes import VisitTarget
from zhenwu.grid.models import Visit
from zhenwu.registry.models import Enterprise, Household, Place

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
PICKER_MAX = 50


def month_range(month: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` → [first moment, first moment of the next month) in the site's time zone."""
    found = _MONTH.match(month or "")
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 2000:
        raise FieldError("month", _("Give the month as YYYY-MM."))
    year, mon = int(found[1]), int(found[2])
    start = timezone.make_aware(dt.datetime(year, mon, 1))
    end = timezone.make_aware(dt.datetime(year + mon // 12, mon % 12 + 1, 1))
    return start, end


def current_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def visit_scope(*, user: User) -> QuerySet[Visit]:
    """The visits ``user`` may read: in their scope, for staff with a grid role; else none."""
    base = Visit.objects.select_related("worker", "grid", "household", "enterprise", "place")
    return restrict(base, user) if policy.may_read(user) else base.none()


def visit_list(*, user: User, household: int | None = None, grid: str = "", month: str = "",
               worker: int | None = None, target_kind: str = "") -> QuerySet[Visit]:
    qs = visit_scope(user=user)
    if household is not None:
        qs = qs.filter(household_id=household)
    if grid:
        qs = qs.filter(area_code__startswith=grid)
    if month:
        start, end = month_range(month)
        qs = qs.filter(visited_at__gte=start, visited_at__lt=end)
    if worker is not None:
        qs = qs.filter(worker_id=worker)
    if target_kind:
        if target_kind not in VisitTarget.values:
            raise FieldError("target_kind", _("Choose one of: %(values)s.") % {"values": ", ".join(VisitTarget.values)})
        qs = qs.filter(target_kind=target_kind)
    return qs.order_by("-visited_at", "-pk")


def visit_get(*, user: User, visit_id: int) -> Visit:
    found = visit_scope(user=user).filter(pk=visit_id).first()
    if found is None:
        raise NotFound(_("No such visit."), field="id")
    return found


def household_visits(*, user: User, household_id: int) -> tuple[Household, QuerySet[Visit]]:
    """A household (404 outside the scope) and its visit history, newest first."""
    home = restrict(Household.objects.select_related("grid"), user).filter(pk=household_id).first()
    if home is None or not policy.may_read(user):
        raise NotFound(_("No such household."), field="id")
    return home, visit_list(user=user, household=home.pk)


def visit_targets(*, user: User, q: str = "", grid: str = "", kind: str = "") -> list[dict[str, Any]]:
    """Households, enterprises and places of my grids for the picker (by number, name or address)."""
    if not policy.may_read(user):
        return []
    out: list[dict[str, Any]] = []
    kinds = [kind] if kind else list(VisitTarget.values)
    for k in kinds:
        if k not in VisitTarget.values:
            raise FieldError("kind", _("Choose one of: %(values)s.") % {"values": ", ".join(VisitTarget.values)})
        out += _targets(user, k, q.strip(), grid)
    return out[:PICKER_MAX]


def _targets(user: User, kind: str, q: str, grid: str) -> list[dict[str, Any]]:
    model: Any = {VisitTarget.HOUSEHOLD: Household, VisitTarget.ENTERPRISE: Enterprise,
                  VisitTarget.PLACE: Place}[VisitTarget(kind)]
    qs = restrict(model.objects.all(), user)
    if grid:
        qs = qs.filter(area_code__startswith=grid)
    if q:
        text = Q(address__icontains=q) | Q(number__icontains=q) if model is Household else Q(name__icontains=q)
        qs = qs.filter(text)
    rows = qs.order_by("area_code", "pk")[:PICKER_MAX]
    return [{"kind": kind, "id": r.pk, "name": str(r.number if model is Household else r.name),
             "address": str(getattr(r, "address", "") or ""), "grid_code": r.area_code, "lng": r.lng, "lat": r.lat}
            for r in rows]


def visit_coverage(*, user: User, month: str) -> list[dict[str, Any]]:
    """Per grid in my scope: households visited in the month / households in the grid (走访覆盖率)."""
    start, end = month_range(month)
    if not policy.may_read(user):
        return []
    homes = dict(restrict(Household.objects.order_by(), user).values("area_code").annotate(n=Count("pk"))
                 .values_list("area_code", "n"))
    visits = visit_scope(user=user).filter(target_kind=VisitTarget.HOUSEHOLD, visited_at__gte=start,
                                           visited_at__lt=end)
    seen = dict(visits.order_by().values("household__area_code").annotate(n=Count("household", distinct=True))
                .values_list("household__area_code", "n"))
    names = dict(Area.objects.filter(code__in=homes).values_list("code", "name"))
    return [{"grid_code": code, "grid_name": names.get(code, code), "households": total,
             "visited": seen.get(code, 0), "coverage": round(seen.get(code, 0) / total, 4) if total else 0.0}
            for code, total in sorted(homes.items())]
