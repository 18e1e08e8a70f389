"""/api/v1/grid/visits/: 走访 — record a visit (multipart, with photos and an Idempotency-Key), list with
filters, the targets picker, the monthly coverage per grid, and a visit's photos."""

# No ``from __future__ import annotations``: django-ninja must see the real schema classes.

import datetime as dt
from typing import Annotated, Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from ninja import Field, Form, Query, Router, Schema, Status

from zhenwu.accounts.http import request_user as _user
from zhenwu.casework.idempotency import body_digest, idempotent
from zhenwu.casework.models import Attachment
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import selectors_visits as selectors
from zhenwu.grid.models import Visit
from zhenwu.grid.services.visits import VisitInput, visit_record
from zhenwu.paging import MAX_OFFSET, MAX_PAGE_SIZE

router = Router(tags=["grid-visits"])
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a database id: larger ones are refused (400), not looked up


class VisitFormIn(Schema):
    target_kind: str
    target_id: RowId
    record: str
    visited_at: dt.datetime | None = None
    lng: float | None = None
    lat: float | None = None


class VisitSearchIn(Schema):
    household: RowId | None = None
    grid: str = ""
    month: str = ""
    worker: RowId | None = None
    target_kind: str = ""
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class VisitPhotoOut(Schema):
    sha256: str
    url: str


class VisitOut(Schema):
    id: int
    target_kind: str
    target_kind_label: str
    target_id: int
    target_name: str
    worker: str
    grid_code: str
    grid_name: str
    record: str
    lng: float | None
    lat: float | None
    visited_at: dt.datetime
    photos: list[VisitPhotoOut]


class VisitPageOut(Schema):
    items: list[VisitOut]
    count: int


class VisitTargetOut(Schema):
    kind: str
    id: int
    name: str
    address: str
    grid_code: str
    lng: float | None
    lat: float | None


class VisitCoverageOut(Schema):
    grid_code: str
    grid_name: str
    households: int
    visited: int
    coverage: float


def _out(v: Visit) -> dict[str, Any]:
    target: Any = v.target
    name = target.number if v.household_id else target.name if target else ""
    return {"id": v.pk, "target_kind": v.target_kind, "target_kind_label": str(v.get_target_kind_display()),
            "target_id": target.pk if target else 0, "target_name": str(name), "worker": str(v.worker),
            "grid_code": v.area_code, "grid_name": v.grid.name, "record": v.record, "lng": v.lng, "lat": v.lat,
            "visited_at": v.visited_at,
            "photos": [{"sha256": sha, "url": f"/api/v1/grid/visits/{v.pk}/photos/{sha}"} for sha in v.photos]}




@router.post("", response={201: VisitOut})
def visit_create(request: HttpRequest, form: Form[VisitFormIn]) -> Status:
    """入户走访 (multipart): the target, the record, where and when, photos (files ``photos``). Header
    ``Idempotency-Key``: a replay with the same request answers the first answer again, never a second
    visit; with another request 409 on ``Idempotency-Key``."""
    user = _user(request)
    photos = [(f.name or "", f.read()) for f in request.FILES.getlist("photos")]
    data = VisitInput(target_kind=form.target_kind, target_id=form.target_id, record=form.record,
                      visited_at=form.visited_at, lng=form.lng, lat=form.lat)

    def record() -> tuple[int, Any]:
        return 201, _out(visit_record(actor=user, data=data, photos=[b for _n, b in photos]))

    status, payload = idempotent(request, body_digest(form.dict(), photos), record)
    return Status(status, payload)


@router.get("", response=VisitPageOut)
def visit_list(request: HttpRequest, search: Query[VisitSearchIn]) -> dict[str, Any]:
    """Visits in my scope, newest first; filters ``household``, ``grid``, ``month`` (YYYY-MM), ``worker``."""
    qs = selectors.visit_list(user=_user(request), household=search.household, grid=search.grid,
                              month=search.month, worker=search.worker, target_kind=search.target_kind)
    return {"items": [_out(v) for v in qs[search.offset:search.offset + search.limit]], "count": qs.count()}


@router.get("/targets", response=list[VisitTargetOut])
def visit_targets(request: HttpRequest, q: str = Query("", max_length=100), grid: str = "",
                  kind: str = "") -> list[dict[str, Any]]:
    """Households, enterprises and places of my grids for the visit picker (at most 50)."""
    return selectors.visit_targets(user=_user(request), q=q, grid=grid, kind=kind)


@router.get("/coverage", response=list[VisitCoverageOut])
def visit_coverage(request: HttpRequest, month: str = "") -> list[dict[str, Any]]:
    """Per grid: households visited in the month / households in the grid (default: this month)."""
    return selectors.visit_coverage(user=_user(request), month=month or selectors.current_month())


@router.get("/{visit_id}", response=VisitOut)
def visit_detail(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    return _out(selectors.visit_get(user=_user(request), visit_id=visit_id))


@router.get("/{visit_id}/photos/{sha256}")
def visit_photo(request: HttpRequest, visit_id: int, sha256: str, thumbnail: bool = False) -> FileResponse:
    """One photo of a visit in my scope (the thumbnail with ``thumbnail=true``)."""
    visit = selectors.visit_get(user=_user(request), visit_id=visit_id)
    found = Attachment.objects.filter(sha256=sha256).first() if sha256 in visit.photos else None
    if found is None:
        raise NotFound(_("No such photo."), field="sha256")
    name, kind = ((found.thumbnail_name, "image/jpeg") if thumbnail and found.thumbnail_name
                  else (found.storage_name, found.content_type))
    response = FileResponse(default_storage.open(name, "rb"), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
