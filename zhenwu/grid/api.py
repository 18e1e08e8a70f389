"""/api/v1/grid/: categories, incidents (report with photos and an Idempotency-Key, queue, detail with
the actions allowed now, steps), duplicates, my tasks and the map (GRID_CONTRACT.md).

Errors follow the platform convention: 400 naming the field, 403 for a role, 404 outside the scope,
409 for a lost race or an Idempotency-Key reused with another body — and nothing half-written.
"""

# No ``from __future__ import annotations``: django-ninja must see the real schema classes.

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import Department, User
from zhenwu.areas.index import area_names
from zhenwu.casework.idempotency import body_digest, idempotent
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError, Forbidden
from zhenwu.errors import gettext as _
from zhenwu.grid import policy, selectors
from zhenwu.grid import schemas as s
from zhenwu.grid.models import Incident
from zhenwu.grid.process import OPEN_STATES
from zhenwu.grid.services import escalation, steps
from zhenwu.grid.services.incidents import coordinate_parse, distance_metres, incident_duplicates, incident_report

router = Router(tags=["grid"])
ATTACHMENT_URL = "/api/v1/casework/attachments/{sha}"
MAP_MAX = 5000


# ---------------------------------------------------------------- output

def _photos(hashes: Iterable[str]) -> list[dict[str, str]]:
    return [{"sha256": h, "url": ATTACHMENT_URL.format(sha=h)} for h in hashes]


def _dup_out(incident: Incident, lng: float | None = None, lat: float | None = None) -> dict[str, Any]:
    case = incident.case
    near = None
    if None not in (lng, lat, incident.lng, incident.lat):
        near = round(distance_metres(lng, lat, incident.lng, incident.lat), 1)  # type: ignore[arg-type]
    return {"number": case.number, "status": case.status,
            "status_label": process_get(case.process).state_label(case.status),
            "category_name": incident.category_version.name, "address": incident.address,
            "description": incident.description, "distance_m": near, "created_at": case.created_at}


def incident_out(incident: Incident, names: dict[str, str] | None = None,
                 duplicates: list[Incident] | None = None) -> dict[str, Any]:
    case = incident.case
    names = names if names is not None else area_names([case.area_code])
    merged_into = incident.merged_into.case.number if incident.merged_into_id and incident.merged_into else None
    return {"number": case.number, "status": case.status,
            "status_label": process_get(case.process).state_label(case.status), "version": case.version,
            "category": incident.category.code, "category_name": incident.category_version.name,
            "grid_code": case.area_code, "grid_name": names.get(case.area_code, ""), "lng": incident.lng,
            "lat": incident.lat, "address": incident.address, "description": incident.description,
            "source": incident.source, "priority": incident.priority, "due_at": case.deadline_due_at,
            "light": selectors.live_light(incident), "photos": _photos(incident.photos),
            "result_photos": _photos(incident.result_photos), "verify_photos": _photos(incident.verify_photos),
            "duplicates": [_dup_out(d, incident.lng, incident.lat) for d in duplicates or []],
            "escalation_level": incident.escalation_level, "rework_count": incident.rework_count,
            "merged_into": merged_into, "handler": str(case.handler) if case.handler_id else None,
            "handler_unit": case.handler_unit.name if case.handler_unit_id and case.handler_unit else None,
            "reporter_name": incident.reporter_name, "reported_at": incident.reported_at,
            "created_at": case.created_at}


def _entry_out(e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "action": e.action, "actor_name": e.actor_name, "from_state": e.from_state,
            "to_state": e.to_state, "reason": e.reason, "attachments": e.attachments, "created_at": e.created_at}


def _unit(d: Department | None) -> dict[str, Any] | None:
    return {"id": d.pk, "name": d.name} if d else None


def _detail(user: User, incident: Incident) -> dict[str, Any]:
    extension = selectors.pending_extension(incident)
    suggestion = (steps.dispatch_suggestion(incident) if incident.case.status == "registered"
                  else {"department": None, "squad": None})
    return {**incident_out(incident),
            "actions": selectors.incident_actions(user=user, incident=incident),
            "timeline": [_entry_out(e) for e in selectors.incident_timeline(incident=incident)],
            "merged": [m.case.number for m in selectors.incident_merged(incident=incident)],
            "extension": {"value": extension.value, "unit": extension.unit, "reason": extension.reason,
                          "requested_by": str(extension.requested_by or ""),
                          "requested_at": extension.requested_at} if extension else None,
            "suggested_department": _unit(suggestion["department"]), "suggested_squad": _unit(suggestion["squad"]),
            "evaluation": incident.evaluation, "evaluation_note": incident.evaluation_note}


# ---------------------------------------------------------------- input

def _when(raw: str, field: str) -> dt.datetime | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = parse_datetime(text)
    except ValueError:
        value = None
    if value is None:
        raise FieldError(field, _("Enter a date and time (ISO 8601, e.g. 2026-11-26T09:30:00+08:00)."))
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _read_photos(files: list[UploadedFile] | None) -> list[tuple[str, bytes]]:
    from django.conf import settings

    photos: list[tuple[str, bytes]] = []
    for i, f in enumerate(files or [], start=1):
        if (f.size or 0) > settings.GRID_PHOTO_MAX_BYTES:  # refused before it is read into memory
            raise FieldError("photos", _("Photo %(n)d is larger than %(mb)d MB.")
                             % {"n": i, "mb": settings.GRID_PHOTO_MAX_BYTES // (1024 * 1024)})
        photos.append((f.name or "", f.read()))
    return photos


# ---------------------------------------------------------------- categories

@router.get("/categories", response=list[s.GridCategoryOut])
def category_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Minor categories with their current terms, the caller's recently used ones first."""
    user = _user(request)
    out = []
    for cat, recent in selectors.categories_for(user=user):
        v = cat.current_version
        assert v is not None and cat.parent is not None
        out.append({"code": cat.code, "name": v.name, "major_code": cat.parent.code, "major_name": cat.parent.name,
                    "type": cat.type, "department": v.department.name if v.department else v.department_name,
                    "limit_unit": v.limit_unit, "limit_value": v.limit_value, "self_close": v.self_close,
                    "priority": v.priority, "recent": recent})
    return out


# ---------------------------------------------------------------- incidents

def _check_reporter(user: User) -> None:
    if policy.is_public_account(user):
        return
    if not policy.may_read(user):
        raise Forbidden(_("Your roles do not allow this action."))


@router.post("/incidents", response={201: s.IncidentOut})
def incident_create(request: HttpRequest, data: Form[s.IncidentIn],
                    photos: File[list[UploadedFile]] = None) -> Status:  # type: ignore[assignment]
    """Report an incident (multipart, photos in ``photos``). With an ``Idempotency-Key`` header a retry
    answers the first answer again; the same key with another body is a 409."""
    user = _user(request)
    _check_reporter(user)
    files = _read_photos(photos)
    digest = body_digest(data.dict(), files)

    def run() -> tuple[int, Any]:
        incident = incident_report(
            actor=user, category=data.category,
            lng=coordinate_parse(data.lng, "lng"), lat=coordinate_parse(data.lat, "lat"),
            crs=data.crs or "wgs84", grid_code=data.grid_code or None, address=data.address,
            description=data.description, source=data.source, photos=files, reporter_name=data.reporter_name,
            reporter_mobile=data.reporter_mobile, reported_at=_when(data.reported_at, "reported_at"),
            merge_into=data.merge_into or None, request_id=_rid(request))
        dups: list[Incident] = []
        if incident.lng is not None and incident.lat is not None and incident.merged_into_id is None:
            # Among the incidents the reporter may see (their scope built only when one is near), in one
            # query; the category as read by the report.
            dups = incident_duplicates(category=incident.category, lng=incident.lng, lat=incident.lat,
                                       exclude=[incident.pk], within=lambda: selectors.incident_scope(user=user))
        return 201, incident_out(incident, duplicates=dups)

    status, payload = idempotent(request, digest, run)
    return Status(status, payload)


@router.get("/incidents", response=s.IncidentPageOut)
def incident_list(request: HttpRequest, search: Query[s.IncidentListIn]) -> dict[str, Any]:
    qs = selectors.incident_list(user=_user(request), status=search.status, grid=search.grid,
                                 category=search.category, source=search.source, light=search.light, q=search.q)
    rows = list(qs.select_related("merged_into__case")[search.offset:search.offset + search.limit])
    names = area_names(r.case.area_code for r in rows)
    return {"items": [incident_out(r, names) for r in rows], "count": qs.count()}


@router.get("/incidents/{number}", response=s.IncidentDetailOut)
def incident_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, selectors.incident_get(user=user, number=number))


def _department(raw: str) -> Department | None:
    text = (raw or "").strip()
    if not text:
        return None
    found = Department.objects.select_related("area").filter(pk=int(text)).first() if text.isdigit() else None
    if found is None:
        raise FieldError("unit", _("No such department."))
    return found


def _person(raw: str) -> User | None:
    text = (raw or "").strip()
    if not text:
        return None
    found = (User.objects.filter(pk=int(text)) if text.isdigit() else User.objects.filter(username=text)).first()
    if found is None:
        raise FieldError("handler", _("No such staff member."))
    return found


def _step(user: User, incident: Incident, action: str, data: s.IncidentActionIn, files: list[tuple[str, bytes]],
          rid: str) -> None:
    common: dict[str, Any] = {"actor": user, "incident": incident, "request_id": rid}
    versioned = {**common, "expected_version": data.expected_version}
    table: dict[str, Callable[[], Any]] = {
        "register": lambda: steps.incident_register(**versioned),
        "reject": lambda: steps.incident_reject(**versioned, reason=data.reason),
        "merge": lambda: steps.incident_merge(**versioned, into=data.into, reason=data.reason),
        "self_close": lambda: steps.incident_self_close(**versioned, result=data.result, photos=files),
        "dispatch": lambda: steps.incident_dispatch(**versioned, unit=_department(data.unit),
                                                    handler=_person(data.handler), reason=data.reason),
        "return": lambda: steps.incident_return(**versioned, reason=data.reason),
        "request_extension": lambda: steps.incident_extension_request(**versioned, value=data.value,
                                                                      reason=data.reason),
        "approve_extension": lambda: steps.incident_extension_decide(**versioned, approve=True, reason=data.reason),
        "refuse_extension": lambda: steps.incident_extension_decide(**versioned, approve=False, reason=data.reason),
        "handle": lambda: steps.incident_handle(**versioned, result=data.result, photos=files),
        "verify_pass": lambda: steps.incident_verify(**versioned, passed=True, photos=files, reason=data.reason),
        "verify_fail": lambda: steps.incident_verify(**versioned, passed=False, photos=files, reason=data.reason),
        "evaluate": lambda: steps.incident_evaluate(**versioned, score=data.score, note=data.note),
        "escalate": lambda: escalation.incident_escalate(**common, reason=data.reason),
        "reassign": lambda: steps.incident_reassign(**common, unit=_department(data.unit),
                                                    handler=_person(data.handler), reason=data.reason),
    }
    if action not in table:
        raise FieldError("action", _("Unknown action; the detail lists the actions allowed now."))
    table[action]()


@router.post("/incidents/{number}/actions/{action}", response=s.IncidentOut)
def incident_action(request: HttpRequest, number: str, action: str, data: Form[s.IncidentActionIn],
                    photos: File[list[UploadedFile]] = None) -> dict[str, Any]:  # type: ignore[assignment]
    """One step of the loop (multipart, photos in ``photos``); ``expected_version`` guards against a lost
    race (409)."""
    user = _user(request)
    incident = selectors.incident_get(user=user, number=number)
    if policy.is_public_account(user) and action != "merge":
        raise Forbidden(_("Your roles do not allow this action."))
    _step(user, incident, action, data, _read_photos(photos), _rid(request))
    return incident_out(selectors.incident_get(user=user, number=number))


@router.get("/duplicates", response=list[s.IncidentDuplicateOut])
def duplicate_list(request: HttpRequest, category: str, lng: float, lat: float,
                   crs: str = "wgs84") -> list[dict[str, Any]]:
    """Open incidents of the category near the point (``GRID_DUPLICATE_METERS``, ``GRID_DUPLICATE_DAYS``),
    as far as the caller may see them."""
    user = _user(request)
    from zhenwu.areas.coords import to_wgs84

    x, y = to_wgs84(lng, lat, crs)
    found = incident_duplicates(category=category, lng=x, lat=y)
    visible = set(selectors.incident_scope(user=user).filter(pk__in=[d.pk for d in found])
                  .values_list("pk", flat=True))
    return [_dup_out(d, x, y) for d in found if d.pk in visible]


@router.get("/my-tasks", response=list[s.GridTaskOut])
def my_task_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's tasks: verify (handled incidents of my grid), self_close, handle."""
    from zhenwu.grid.process import incident_page

    out = []
    for task, incident in selectors.my_tasks(user=_user(request)):
        case = incident.case
        out.append({"number": case.number, "title": case.title, "task": task, "due_at": case.deadline_due_at,
                    "light": selectors.live_light(incident), "lng": incident.lng, "lat": incident.lat,
                    "page_url": incident_page(case)})
    return out


@router.get("/map", response=s.IncidentMapOut)
def incident_map(request: HttpRequest, grid: str = "") -> dict[str, Any]:
    """GeoJSON FeatureCollection of the open incidents with a point in the caller's scope (``?grid=``)."""
    user = _user(request)
    qs = selectors.incident_scope(user=user).filter(case__status__in=OPEN_STATES, lng__isnull=False,
                                                     lat__isnull=False)
    if grid:
        qs = qs.filter(case__area_code__startswith=grid)
    features = []
    for incident in qs.order_by("-case__created_at")[:MAP_MAX]:
        case = incident.case
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [incident.lng, incident.lat]},
                         "properties": {"number": case.number, "title": case.title, "status": case.status,
                                        "category": incident.category.code, "light": selectors.live_light(incident),
                                        "grid_code": case.area_code, "priority": incident.priority}})
    return {"type": "FeatureCollection", "features": features}
