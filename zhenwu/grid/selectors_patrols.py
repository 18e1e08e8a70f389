"""Reads of patrols and check-ins: a worker's own, or their scope's for grid leaders and dispatchers."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _e
from zhenwu.grid.models import CheckIn, Patrol, TrackPoint
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


MAX_RANGE_DAYS = 366


def patrol_search(user: User, *, worker: int | None = None, grid: str = "", since: date | None = None,
                  until: date | None = None) -> QuerySet[Patrol]:
    """The staff page's list: patrols ``user`` may see, by worker, grid (a village or grid code prefix) and
    local start date from ``since`` to ``until`` (both included, at most ``MAX_RANGE_DAYS``); newest first."""
    if since and until and until < since:
        raise FieldError("until", _e("The end date is before the start date."))
    if since and until and (until - since).days >= MAX_RANGE_DAYS:
        raise FieldError("until", _e("Choose at most %(n)d days.") % {"n": MAX_RANGE_DAYS})
    qs = patrols_visible(user).select_related("worker")
    if worker is not None:
        qs = qs.filter(worker_id=worker)
    if grid:
        qs = qs.filter(area_code__startswith=grid)
    if since is not None:
        qs = qs.filter(started_at__gte=day_bounds(since)[0])
    if until is not None:
        qs = qs.filter(started_at__lt=day_bounds(until)[1])
    return qs.order_by("-started_at", "-pk")


def with_checkin_counts(qs: QuerySet[Patrol]) -> QuerySet[Patrol]:
    """Each patrol's check-ins counted (``checkin_count``), for a page of the list."""
    return qs.annotate(checkin_count=Count("checkins"))


def patrol_totals(qs: QuerySet[Patrol], now: datetime | None = None) -> dict[str, float]:
    """Patrols, distance (m) and time (s) of a list; a running patrol counts up to ``now``."""
    now = now or timezone.now()
    base = qs.order_by()
    row = base.aggregate(n=Count("pk"), distance=Sum("distance_m"),
                         ended=Sum(F("ended_at") - F("started_at"), filter=Q(ended_at__isnull=False)))
    running = base.filter(ended_at__isnull=True).values_list("started_at", flat=True)
    seconds = (row["ended"].total_seconds() if row["ended"] else 0.0)
    seconds += sum(max(0.0, (now - start).total_seconds()) for start in running)
    return {"patrols": int(row["n"] or 0), "distance_m": float(row["distance"] or 0.0), "duration_s": seconds}


def patrol_workers(user: User) -> list[tuple[int, str]]:
    """(id, name) of the workers whose patrols ``user`` sees, for the worker filter."""
    rows = (patrols_visible(user).order_by().values_list("worker_id", "worker__full_name", "worker__username")
            .distinct())
    return sorted(((pk, full or name) for pk, full, name in rows), key=lambda r: r[1])


def patrol_checkins(patrol: Patrol) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patrol=patrol).select_related("place").order_by("at")


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


def patrol_positions(*, user_ids: list[int], since: dict[str, datetime]) -> dict[int, dict[str, Any]]:
    """The hook ``PATROL_SUMMARY`` (for 一队执法's officers list): per user, the last GPS fix of their patrols
    and the distance of the patrols started from each ``since`` moment (``{"today": …, "month": …}``).
    The caller has already scoped the users; this answers for the ids it is given, nothing else."""
    from django.db.models import Sum

    out: dict[int, dict[str, Any]] = {uid: {"lng": None, "lat": None, "at": None, "distance_m": {}}
                                      for uid in user_ids}
    for key, start in since.items():
        totals = (Patrol.objects.filter(worker_id__in=user_ids, started_at__gte=start).values("worker_id")
                  .annotate(d=Sum("distance_m")))
        sums = {t["worker_id"]: float(t["d"] or 0) for t in totals}
        for uid in user_ids:
            out[uid]["distance_m"][key] = round(sums.get(uid, 0.0), 1)
    for uid in user_ids:  # the latest patrol with points (index worker, started_at), then its last point
        patrol = (Patrol.objects.filter(worker_id=uid, point_count__gt=0).order_by("-started_at", "-pk")
                  .values_list("pk", flat=True).first())
        last = (TrackPoint.objects.filter(patrol_id=patrol).order_by("-t").values("lng", "lat", "t").first()
                if patrol else None)
        if last is not None:
            out[uid].update(lng=last["lng"], lat=last["lat"], at=last["t"])
    return out
