"""Reads of patrols and check-ins: a worker's own, or their scope's for grid leaders and dispatchers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.errors import NotFound
from zhenwu.grid.models import CheckIn, Patrol
from zhenwu.grid.policy_patrols import patrol_reads_scope
from zhenwu.grid.track import Fix, step_m
from zhenwu.registry.models import Place


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The local day ``day`` as [start, end) aware datetimes in the site's time zone."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def patrols_visible(user: User) -> QuerySet[Patrol]:
    """Patrols ``user`` may see: those of their scope for readers of the scope, else their own (in scope)."""
    qs = restrict(Patrol.objects.all(), user)
    return qs if patrol_reads_scope(user) else qs.filter(worker=user)


def patrol_list(user: User, *, day: date | None = None, worker: int | None = None) -> QuerySet[Patrol]:
    qs = patrols_visible(user).select_related("worker")
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(started_at__gte=start, started_at__lt=end)
    if worker is not None:
        qs = qs.filter(worker_id=worker)
    return qs


def patrol_get(user: User, patrol_id: int) -> Patrol:
    found = patrols_visible(user).select_related("worker").filter(pk=patrol_id).first()
    if found is None:
        raise NotFound(_("No such patrol."))
    return found


def checkins_visible(user: User) -> QuerySet[CheckIn]:
    qs = restrict(CheckIn.objects.all(), user)
    return qs if patrol_reads_scope(user) else qs.filter(worker=user)


def checkin_list(user: User, *, day: date | None = None) -> QuerySet[CheckIn]:
    qs = checkins_visible(user).select_related("place", "worker")
    if day is not None:
        start, end = day_bounds(day)
        qs = qs.filter(at__gte=start, at__lt=end)
    return qs


def checkin_places(user: User, *, lng: float | None = None, lat: float | None = None,
                   q: str = "", limit: int = 30) -> list[Place]:
    """Places of ``user``'s scope to check in at: nearest first when a position is given, else by name."""
    qs = restrict(Place.objects.exclude(lng=None).exclude(lat=None), user)
    if q:
        qs = qs.filter(name__icontains=q)
    if lng is None or lat is None:
        return list(qs.order_by("name")[:limit])
    box = 0.05  # about 5 km: the places around the worker, sorted exactly below
    near = list(qs.filter(lng__range=(lng - box, lng + box), lat__range=(lat - box, lat + box))[:2000])
    here = Fix(timezone.now(), lng, lat)
    near.sort(key=lambda p: step_m(here, Fix(here.t, float(p.lng or 0), float(p.lat or 0))))
    return near[:limit]
