"""Writes of patrols: start, GPS points in idempotent batches, stop, check-ins at places; the day's summary.

A phone records offline and uploads later, so every write may arrive twice: a start is found again by its
``client_id``; a batch of points or a check-in is run once per Idempotency-Key by the API through the
kernel's ``casework.idempotency`` (same body → the stored answer, another body → 409), and points at a time
already stored are skipped. A batch is all or nothing: one bad point (out of range, out of order, reached
at an impossible speed) refuses the whole batch with the point's index in the field name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.coords import check_lng_lat
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound, gettext
from zhenwu.grid.models import CheckIn, Patrol, TrackPoint
from zhenwu.grid.policy_patrols import patrol_may_record
from zhenwu.grid.selectors_patrols import day_bounds, patrols_visible
from zhenwu.grid.track import Fix, first_too_fast, length_m, simplified, step_m
from zhenwu.registry.models import Place

# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
KEY_MAX = 100


def _check_key(key: str, field: str) -> str:
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX or not key.isprintable():
        raise FieldError(field, _("Send 1 to 100 printable characters."))
    return key


def _check_recorder(actor: User) -> None:
    if not patrol_may_record(actor):
        raise Forbidden(_("Only grid workers and grid leaders with a grid record patrols."))


def _check_not_future(value: datetime, now: datetime, field: str) -> None:
    if value > now + CLOCK_SKEW:
        raise FieldError(field, _("This time lies in the future."))


def _own_patrol_locked(actor: User, patrol_id: int) -> Patrol:
    found = patrols_visible(actor).select_for_update().filter(pk=patrol_id, worker=actor).first()
    if found is None:
        raise NotFound(_("No such patrol."))
    return found


@transaction.atomic
def patrol_start(*, actor: User, client_id: str, started_at: datetime | None = None,
                 now: datetime | None = None) -> tuple[Patrol, bool]:
    """Start a patrol in the worker's grid; (patrol, created). The same ``client_id`` again finds it.

    A patrol the phone never stopped (its stop lost) is closed at its last point when the next one starts.
    """
    _check_recorder(actor)
    client_id = _check_key(client_id, "client_id")
    now = now or timezone.now()
    started_at = started_at or now
    _check_not_future(started_at, now, "started_at")
    existing = Patrol.objects.filter(worker=actor, client_id=client_id).first()
    if existing is not None:
        if abs((existing.started_at - started_at).total_seconds()) >= 1:
            raise Conflict(_("A different patrol was already started under this client id."), field="client_id")
        return existing, False
    for left_open in Patrol.objects.select_for_update().filter(worker=actor, ended_at=None,
                                                               started_at__lte=started_at):
        _close(left_open, _last_time(left_open) or left_open.started_at)
    patrol = Patrol.objects.create(worker=actor, area_code=str(actor.scope_code), client_id=client_id,
                                   started_at=started_at)
    return patrol, True


def _last_time(patrol: Patrol) -> datetime | None:
    return TrackPoint.objects.filter(patrol=patrol).order_by("-t").values_list("t", flat=True).first()


def _close(patrol: Patrol, ended_at: datetime) -> None:
    patrol.ended_at = max(ended_at, patrol.started_at)
    patrol.save(update_fields=["ended_at"])


def _fix(i: int, point: dict[str, Any], patrol: Patrol, now: datetime) -> Fix:
    field = f"points[{i}]"
    t, lng, lat, accuracy = point.get("t"), point.get("lng"), point.get("lat"), point.get("accuracy")
    if not isinstance(t, datetime):
        raise FieldError(f"{field}.t", _("Enter a valid date and time."))
    if timezone.is_naive(t):
        t = timezone.make_aware(t)
    for name, value in (("lng", lng), ("lat", lat)):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise FieldError(f"{field}.{name}", _("Enter a number."))
    try:
        check_lng_lat(float(lng), float(lat))  # type: ignore[arg-type]
    except FieldError as exc:
        raise FieldError(f"{field}.{exc.field}", exc.errors[0][1]) from None
    if accuracy is not None and (not isinstance(accuracy, int | float) or not math.isfinite(accuracy)
                                 or accuracy < 0):
        raise FieldError(f"{field}.accuracy", _("Accuracy is a distance in metres, 0 or more."))
    if t < patrol.started_at - CLOCK_SKEW:
        raise FieldError(f"{field}.t", _("This point was recorded before the patrol started."))
    _check_not_future(t, now, f"{field}.t")
    return Fix(t, float(lng), float(lat), float(accuracy) if accuracy is not None else None)  # type: ignore[arg-type]


def _checked_fixes(points: Sequence[dict[str, Any]], patrol: Patrol, now: datetime) -> list[Fix]:
    limit = settings.GRID_PATROL_BATCH_MAX_POINTS
    if not points:
        raise FieldError("points", _("Send at least one point."))
    if len(points) > limit:
        raise FieldError("points", gettext("Send at most %(limit)d points in one batch.") % {"limit": limit})
    fixes = [_fix(i, p, patrol, now) for i, p in enumerate(points)]
    for i in range(1, len(fixes)):
        if fixes[i].t <= fixes[i - 1].t:
            raise FieldError(f"points[{i}].t", _("Points must be in time order, each later than the one before."))
    return fixes


def _check_speed(patrol: Patrol, fixes: list[Fix]) -> None:
    before = (TrackPoint.objects.filter(patrol=patrol, t__lt=fixes[0].t).order_by("-t")
              .values_list("t", "lng", "lat").first())
    previous = Fix(*before) if before else None
    max_kmh = float(settings.GRID_PATROL_MAX_SPEED_KMH)
    found = first_too_fast(previous, fixes, max_kmh)
    if found is not None:
        i, kmh = found
        speed = "∞" if math.isinf(kmh) else f"{kmh:.0f}"
        raise FieldError(f"points[{i}]", gettext(
            "Point %(index)d was reached at %(speed)s km/h, faster than the %(max)d km/h a patrol can move: "
            "a GPS error. Leave it out.") % {"index": i, "speed": speed, "max": int(max_kmh)})


def patrol_refresh(patrol: Patrol) -> Patrol:
    """Recompute the point count, the simplified track and its distance from the stored points."""
    rows = TrackPoint.objects.filter(patrol=patrol).order_by("t").values_list("t", "lng", "lat")
    fixes = [Fix(t, lng, lat) for t, lng, lat in rows]
    patrol.track = simplified(fixes, float(settings.GRID_PATROL_SIMPLIFY_METERS))
    patrol.distance_m = round(length_m(patrol.track), 1)
    patrol.point_count = len(fixes)
    patrol.save(update_fields=["track", "distance_m", "point_count"])
    return patrol


@transaction.atomic
def patrol_points_add(*, actor: User, patrol_id: int, points: Sequence[dict[str, Any]],
                      now: datetime | None = None) -> tuple[Patrol, int]:
    """Store one batch of GPS points of the actor's own patrol; (patrol, points stored).

    Each point is {t, lng, lat, accuracy}. Points at a time already stored (an overlapping batch) are
    skipped; the rest are checked all together and stored all together, then the track is refreshed.
    """
    patrol = _own_patrol_locked(actor, patrol_id)
    fixes = _checked_fixes(points, patrol, now or timezone.now())
    _check_speed(patrol, fixes)
    stored = set(TrackPoint.objects.filter(patrol=patrol, t__gte=fixes[0].t, t__lte=fixes[-1].t)
                 .values_list("t", flat=True))
    new = [TrackPoint(patrol=patrol, t=f.t, lng=f.lng, lat=f.lat, accuracy=f.accuracy)
           for f in fixes if f.t not in stored]
    TrackPoint.objects.bulk_create(new)
    return patrol_refresh(patrol), len(new)


@transaction.atomic
def patrol_stop(*, actor: User, patrol_id: int, ended_at: datetime | None = None,
                now: datetime | None = None) -> Patrol:
    """Stop the actor's own patrol; stopping a stopped patrol again changes nothing."""
    patrol = _own_patrol_locked(actor, patrol_id)
    if patrol.ended_at is not None:
        return patrol
    now = now or timezone.now()
    ended_at = ended_at or now
    _check_not_future(ended_at, now, "ended_at")
    if ended_at < patrol.started_at:
        raise FieldError("ended_at", _("A patrol cannot end before it started."))
    last = _last_time(patrol)
    _close(patrol, max(ended_at, last) if last else ended_at)
    return patrol_refresh(patrol)


def patrol_duration_s(patrol: Patrol, now: datetime | None = None) -> int:
    """Seconds from start to stop (to now while it runs)."""
    end = patrol.ended_at or now or timezone.now()
    return max(0, int((end - patrol.started_at).total_seconds()))


# ---------------------------------------------------------------- check-ins

@transaction.atomic
def checkin_create(*, actor: User, place_id: int, lng: float, lat: float, at: datetime | None = None,
                   now: datetime | None = None) -> CheckIn:
    """打卡 at a place of the actor's scope, within ``GRID_CHECKIN_MAX_METERS`` of it."""
    _check_recorder(actor)
    place = restrict(Place.objects.all(), actor).filter(pk=place_id).first()
    if place is None:
        raise NotFound(_("No such place."), field="place_id")
    check_lng_lat(lng, lat)
    now = now or timezone.now()
    at = at or now
    _check_not_future(at, now, "at")
    if place.lng is None or place.lat is None:
        raise FieldError("place_id", _("This place has no location on the map; it cannot be checked in at."))
    metres = step_m(Fix(at, lng, lat), Fix(at, place.lng, place.lat))
    limit = float(settings.GRID_CHECKIN_MAX_METERS)
    if metres > limit:
        raise FieldError("place_id", gettext("You are %(distance)d m from %(place)s; check in within %(limit)d m "
                                             "of it.") % {"distance": round(metres), "place": place.name,
                                                          "limit": round(limit)})
    patrol = Patrol.objects.filter(worker=actor, ended_at=None).order_by("-started_at").first()
    return CheckIn.objects.create(worker=actor, place=place, patrol=patrol, area_code=place.area_code, lng=lng,
                                  lat=lat, distance_m=round(metres, 1), at=at)


# ---------------------------------------------------------------- the day's summary

@dataclass
class WorkerDay:
    """One worker's day: patrols, their time and distance, check-ins, reports and visits."""

    worker: User
    patrols: int = 0
    duration_s: int = 0
    distance_m: float = 0.0
    checkins: int = 0
    reports: int = 0
    visits: int | None = None


def _count_by_worker(model_label: str, worker_field: str, time_field: str, workers: list[int],
                     start: datetime, end: datetime) -> dict[int, int] | None:
    """Rows per worker of a model of this app in [start, end), or None while the model is not installed."""
    try:
        model = apps.get_model("grid", model_label)
    except LookupError:
        return None
    rows = (model.objects.filter(**{f"{worker_field}__in": workers, f"{time_field}__gte": start,
                                    f"{time_field}__lt": end})
            .values(worker_field).annotate(n=Count("pk")).values_list(worker_field, "n"))
    return dict(rows)


def patrols_summary(*, user: User, day: date, now: datetime | None = None) -> list[WorkerDay]:
    """Per worker whose patrols ``user`` sees: the day's patrol count, time, distance, check-ins, reports
    (incidents they reported that day) and visits (走访 made that day)."""
    start, end = day_bounds(day)
    now = min(now or timezone.now(), end)
    days: dict[int, WorkerDay] = {}
    for patrol in patrols_visible(user).filter(started_at__gte=start, started_at__lt=end).select_related("worker"):
        row = days.setdefault(patrol.worker_id, WorkerDay(patrol.worker))
        row.patrols += 1
        row.duration_s += patrol_duration_s(patrol, now)
        row.distance_m += patrol.distance_m
    checkins = (CheckIn.objects.filter(worker_id__in=list(days), at__gte=start, at__lt=end)
                .values("worker").annotate(n=Count("pk")).values_list("worker", "n"))
    workers = list(days)
    reports = _count_by_worker("Incident", "reporter", "reported_at", workers, start, end) or {}
    visits = _count_by_worker("Visit", "worker", "visited_at", workers, start, end)
    for worker_id, n in checkins:
        days[worker_id].checkins = n
    for worker_id, row in days.items():
        row.distance_m = round(row.distance_m, 1)
        row.reports = reports.get(worker_id, 0)
        row.visits = None if visits is None else visits.get(worker_id, 0)
    return sorted(days.values(), key=lambda r: (-r.duration_s, r.worker.username))

