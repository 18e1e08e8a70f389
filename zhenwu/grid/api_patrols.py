"""/api/v1/grid/patrols/: a grid worker's patrols (start, GPS point batches, stop), check-ins, the day's summary.

The phone app (/m/) records offline and uploads later, so writes are idempotent: a start by its client id,
a batch of points (key required) and a check-in by their ``Idempotency-Key`` header through the kernel's
``casework.idempotency`` (a replay answers the first answer, another body under the same key 409).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zhenwu.accounts.http import request_user as _user
from zhenwu.casework.idempotency import body_digest, idempotent
from zhenwu.grid import selectors_patrols as selectors
from zhenwu.grid.models import CheckIn, Patrol
from zhenwu.grid.services import patrols as services

router = Router(tags=["grid patrols"])


class PatrolStartIn(Schema):
    client_id: str = Field("", description="The phone's own id of the patrol; defaults to the Idempotency-Key")
    started_at: datetime | None = None


class PatrolPointIn(Schema):
    t: datetime
    lng: float
    lat: float
    accuracy: float | None = None


class PatrolPointsIn(Schema):
    points: list[PatrolPointIn]


class PatrolStopIn(Schema):
    ended_at: datetime | None = None


class PatrolOut(Schema):
    id: int
    client_id: str
    worker: str
    worker_name: str
    area_code: str
    started_at: datetime
    ended_at: datetime | None
    duration_s: int
    distance_m: float
    point_count: int


class PatrolDetailOut(PatrolOut):
    track: list[list[float]]


class PatrolBatchOut(Schema):
    patrol: PatrolOut
    accepted: int


class PatrolListIn(Schema):
    day: date | None = None
    worker: int | None = None


class PatrolDayIn(Schema):
    day: date | None = None


class PatrolWorkerDayOut(Schema):
    worker_id: int
    worker: str
    worker_name: str
    patrols: int
    duration_s: int
    distance_m: float
    checkins: int
    reports: int
    visits: int | None


class CheckInIn(Schema):
    place_id: int
    lng: float
    lat: float
    at: datetime | None = None


class CheckInOut(Schema):
    id: int
    place_id: int
    place_name: str
    patrol_id: int | None
    lng: float
    lat: float
    distance_m: float
    at: datetime


class CheckInPlacesIn(Schema):
    lng: float | None = None
    lat: float | None = None
    q: str = Field("", max_length=50)


class CheckInPlaceOut(Schema):
    id: int
    name: str
    kind: str
    address: str
    area_code: str
    lng: float
    lat: float


def _patrol_out(patrol: Patrol, cls: type[PatrolOut] = PatrolOut) -> PatrolOut:
    extra = {"track": patrol.track} if cls is PatrolDetailOut else {}
    return cls(id=patrol.pk, client_id=patrol.client_id, worker=patrol.worker.username,
               worker_name=patrol.worker.full_name, area_code=patrol.area_code, started_at=patrol.started_at,
               ended_at=patrol.ended_at, duration_s=services.patrol_duration_s(patrol),
               distance_m=patrol.distance_m, point_count=patrol.point_count, **extra)


def _checkin_out(row: CheckIn) -> CheckInOut:
    return CheckInOut(id=row.pk, place_id=row.place_id, place_name=row.place.name, patrol_id=row.patrol_id,
                      lng=row.lng, lat=row.lat, distance_m=row.distance_m, at=row.at)


def _key(request: HttpRequest) -> str:
    return request.headers.get("Idempotency-Key", "")


@router.post("/", response={200: PatrolOut, 201: PatrolOut},
             summary="Start a patrol (again with the same client id: the same patrol, 200)")
def patrol_start(request: HttpRequest, payload: PatrolStartIn) -> Status[PatrolOut]:
    patrol, created = services.patrol_start(actor=_user(request), client_id=payload.client_id or _key(request),
                                            started_at=payload.started_at)
    return Status(201 if created else 200, _patrol_out(patrol))


@router.get("/", response=list[PatrolOut], summary="Patrols: my own, or my scope's for grid leaders and dispatchers")
def patrol_list(request: HttpRequest, filters: Query[PatrolListIn]) -> list[PatrolOut]:
    rows = selectors.patrol_list(_user(request), day=filters.day, worker=filters.worker)[:500]
    return [_patrol_out(p) for p in rows]


@router.get("/summary", response=list[PatrolWorkerDayOut],
            summary="Per worker, one day: patrols, patrol time, distance, check-ins, reports, visits")
def patrol_summary(request: HttpRequest, filters: Query[PatrolDayIn]) -> list[PatrolWorkerDayOut]:
    day = filters.day or timezone.localdate()
    return [PatrolWorkerDayOut(worker_id=r.worker.pk, worker=r.worker.username, worker_name=r.worker.full_name,
                               patrols=r.patrols, duration_s=r.duration_s, distance_m=r.distance_m,
                               checkins=r.checkins, reports=r.reports, visits=r.visits)
            for r in services.patrols_summary(user=_user(request), day=day)]


@router.get("/checkins", response=list[CheckInOut], summary="Check-ins: my own, or my scope's")
def checkin_list(request: HttpRequest, filters: Query[PatrolDayIn]) -> list[CheckInOut]:
    return [_checkin_out(c) for c in selectors.checkin_list(_user(request), day=filters.day)[:500]]


@router.post("/checkins", response={201: CheckInOut},
             summary="Check in at a place of my grid (within GRID_CHECKIN_MAX_METERS); Idempotency-Key optional")
def checkin_create(request: HttpRequest, payload: CheckInIn) -> Status[Any]:
    def run() -> tuple[int, Any]:
        row = services.checkin_create(actor=_user(request), place_id=payload.place_id, lng=payload.lng,
                                      lat=payload.lat, at=payload.at)
        return 201, _checkin_out(row).dict()

    status, body = idempotent(request, body_digest(payload.dict()), run)
    return Status(status, body)


@router.get("/places", response=list[CheckInPlaceOut], summary="Places of my scope to check in at, nearest first")
def checkin_places(request: HttpRequest, filters: Query[CheckInPlacesIn]) -> list[CheckInPlaceOut]:
    places = selectors.checkin_places(_user(request), lng=filters.lng, lat=filters.lat, q=filters.q)
    return [CheckInPlaceOut(id=p.pk, name=p.name, kind=p.get_kind_display(), address=p.address,
                            area_code=p.area_code, lng=float(p.lng or 0), lat=float(p.lat or 0)) for p in places]


@router.get("/{patrol_id}", response=PatrolDetailOut, summary="One patrol with its simplified track")
def patrol_detail(request: HttpRequest, patrol_id: int) -> PatrolOut:
    return _patrol_out(selectors.patrol_get(_user(request), patrol_id), PatrolDetailOut)


@router.post("/{patrol_id}/points", response={201: PatrolBatchOut},
             summary="Upload a batch of GPS points (Idempotency-Key required: a retried batch is stored once)")
def patrol_points(request: HttpRequest, patrol_id: int, payload: PatrolPointsIn) -> Status[Any]:
    points = [p.dict() for p in payload.points]

    def run() -> tuple[int, Any]:
        patrol, accepted = services.patrol_points_add(actor=_user(request), patrol_id=patrol_id, points=points)
        return 201, PatrolBatchOut(patrol=_patrol_out(patrol), accepted=accepted).dict()

    status, body = idempotent(request, body_digest({"patrol": patrol_id, "points": points}), run, required=True)
    return Status(status, body)


@router.post("/{patrol_id}/stop", response=PatrolOut, summary="Stop my patrol (stopping twice changes nothing)")
def patrol_stop(request: HttpRequest, patrol_id: int, payload: PatrolStopIn) -> PatrolOut:
    return _patrol_out(services.patrol_stop(actor=_user(request), patrol_id=patrol_id, ended_at=payload.ended_at))
