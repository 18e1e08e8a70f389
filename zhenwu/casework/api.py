"""/api/v1/casework/: cases, their timeline and transitions, attachments, the working-day calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhenwu.accounts.http import request_id as _request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.casework import kinds, selectors, services
from zhenwu.casework.models import Attachment, AuditEntry, Case, CaseAttachment
from zhenwu.casework.process import process_get
from zhenwu.casework.workcal import calendar_current
from zhenwu.errors import FieldError, Forbidden
from zhenwu.errors import gettext as _
from zhenwu.paging import BoundedPageNumberPagination

router = Router(tags=["casework"])
MAX_DAYS = 3660


# ---------------------------------------------------------------- schemas

class CaseRowOut(Schema):
    """What every list of cases shows of one: its kind and pillar page (from the kind registry), its
    state by name, its deadline. ``CaseOut``, the work list and the supervision lists add to it."""

    number: str
    kind: str
    kind_label: str
    page_url: str | None
    title: str
    status: str
    status_label: str
    area_code: str
    deadline_due_at: dt.datetime | None
    paused: bool
    light: str

    @staticmethod
    def resolve_kind_label(obj: Case) -> str:
        return kinds.kind_label(obj.kind)

    @staticmethod
    def resolve_page_url(obj: Case) -> str | None:
        return kinds.case_url(obj)

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return process_get(obj.process).state_label(obj.status)

    @staticmethod
    def resolve_paused(obj: Case) -> bool:
        return obj.paused_at is not None


class CaseOut(CaseRowOut):
    process: str
    version: int
    town_code: str
    created_at: dt.datetime
    updated_at: dt.datetime
    deadline_unit: str
    deadline_limit: int | None
    deadline_unconfirmed: bool


class WorkItemOut(CaseRowOut):
    """A case on someone's work list, with its pillar page (from the kind registry)."""

    handler: str | None
    handler_unit: str | None
    held_as: str

    @staticmethod
    def resolve_handler(obj: Case) -> str | None:
        return _name(obj.handler)

    @staticmethod
    def resolve_handler_unit(obj: Case) -> str | None:
        return obj.handler_unit.name if obj.handler_unit else None

    @staticmethod
    def resolve_held_as(obj: Case, context: Any) -> str:
        return selectors.held_as(obj, _user(context["request"]))


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


class HandoffOut(Schema):
    handler: str | None
    handler_unit: str | None
    previous: str | None
    reason: str
    assigned_by: str | None
    at: dt.datetime


class TransitionIn(Schema):
    action: str
    reason: str = ""
    fields: dict[str, Any] = {}
    version: int | None = None


class AuditEntryOut(Schema):
    seq: int
    action: str
    actor_name: str
    from_state: str
    to_state: str
    reason: str
    attachments: list[str]
    request_id: str
    created_at: dt.datetime
    hash: str


class AttachmentOut(Schema):
    sha256: str
    name: str
    size: int
    content_type: str
    width: int | None
    height: int | None
    taken_at: dt.datetime | None
    gps_lat: float | None
    gps_lng: float | None
    has_thumbnail: bool


class WorkdaysOut(Schema):
    start: dt.date
    days: int
    result: dt.date
    confirmed: bool


class CalendarYearOut(Schema):
    year: int
    source: str
    days: int
    imported_at: dt.datetime


def _attachment_out(link: CaseAttachment) -> dict[str, Any]:
    a: Attachment = link.attachment
    return {"sha256": a.sha256, "name": link.name, "size": a.size, "content_type": a.content_type,
            "width": a.width, "height": a.height, "taken_at": a.taken_at, "gps_lat": a.gps_lat,
            "gps_lng": a.gps_lng, "has_thumbnail": bool(a.thumbnail_name)}


# ---------------------------------------------------------------- my work and handlers

@router.get("/my-work", response=list[WorkItemOut])
@paginate(BoundedPageNumberPagination, page_size=50)
def my_work(request: HttpRequest) -> QuerySet[Case]:
    """The caller's unfinished cases of every kind (held by them, by someone they stand in for, or by
    their department), most urgent first, each with its pillar page."""
    return selectors.my_work(user=_user(request))


@router.get("/cases/{number}/handlers", response=list[HandoffOut])
def case_handlers(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    """Who has held the case, oldest first (404 outside the scope)."""
    return [{"handler": _name(h.handler), "handler_unit": h.handler_unit.name if h.handler_unit else None,
             "previous": _name(h.previous), "reason": h.reason, "assigned_by": _name(h.assigned_by), "at": h.at}
            for h in selectors.case_handlers(user=_user(request), number=number)]


# ---------------------------------------------------------------- cases

@router.get("/cases/{number}", response=CaseOut)
def case_detail(request: HttpRequest, number: str) -> Case:
    return selectors.case_get(user=_user(request), number=number)


@router.get("/cases/{number}/timeline", response=list[AuditEntryOut])
def case_timeline(request: HttpRequest, number: str) -> list[AuditEntry]:
    return list(selectors.case_timeline(user=_user(request), number=number))


@router.post("/cases/{number}/transitions", response=CaseOut)
def case_transition(request: HttpRequest, number: str, payload: TransitionIn) -> Case:
    user = _user(request)
    case = selectors.case_get(user=user, number=number)
    kind = kinds.case_kind(case)
    if kind is not None and kind.own_services_only:
        raise Forbidden(_("Cases of kind %(kind)s move only through the actions of their own pages and API, "
                          "not through this endpoint.") % {"kind": kind.label}, field="action")
    return services.transition(actor=user, case=case, action=payload.action, reason=payload.reason,
                               fields=payload.fields, request_id=_request_id(request),
                               expected_version=payload.version)


@router.post("/cases/{number}/attachments", response={201: AttachmentOut})
def case_attachment_upload(request: HttpRequest, response: HttpResponse, number: str,
                           file: File[UploadedFile]) -> dict[str, Any]:
    user = _user(request)
    case = selectors.case_get(user=user, number=number)
    link = services.attachment_add(actor=user, case=case, data=file.read(), name=file.name or "",
                                   request_id=_request_id(request))
    response.status_code = 201
    return _attachment_out(link)


@router.get("/cases/{number}/attachments", response=list[AttachmentOut])
def case_attachment_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    case = selectors.case_get(user=_user(request), number=number)
    return [_attachment_out(link) for link in case.attachment_links.select_related("attachment")]


# Images and PDFs are previewed on the case pages (<img>, <object>): served inline, but as a sandboxed
# document that may load nothing (no script, no requests), framed only by our own pages. Anything else,
# and any file asked for with ?download=true, is a download. Never cached by a proxy or on disk.
PREVIEWABLE = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif",
               "application/pdf": "pdf"}
ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"


def _file_response(name: str, content_type: str, filename: str, download: bool) -> FileResponse:
    inline = content_type in PREVIEWABLE and not download
    response = FileResponse(default_storage.open(name, "rb"), content_type=content_type,
                            as_attachment=not inline, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["X-Frame-Options"] = "SAMEORIGIN" if inline else "DENY"
    return response


@router.get("/attachments/{sha256}")
def attachment_download(request: HttpRequest, sha256: str, thumbnail: bool = False,
                        download: bool = False) -> FileResponse:
    attachment = selectors.attachment_get(user=_user(request), sha256=sha256)
    if thumbnail and attachment.thumbnail_name:
        return _file_response(attachment.thumbnail_name, "image/jpeg", f"{sha256}-thumbnail.jpg", download)
    ext = PREVIEWABLE.get(attachment.content_type, "bin")
    response = _file_response(attachment.storage_name, attachment.content_type, f"{sha256}.{ext}", download)
    response["ETag"] = f'"{attachment.sha256}"'
    return response


# ---------------------------------------------------------------- calendar

@router.get("/calendar/add-workdays", response=WorkdaysOut)
def calendar_add_workdays(request: HttpRequest, start: dt.date, days: int) -> dict[str, Any]:
    if not 0 <= days <= MAX_DAYS:
        raise FieldError("days", _("Enter a number of days from 0 to %(max)d.") % {"max": MAX_DAYS})
    try:
        result = calendar_current().add_workdays(start, days)
    except (OverflowError, ValueError):  # past 9999-12-31, the last date Python has
        raise FieldError("start", _("The result would fall after the year 9999: choose an earlier start."),
                         ) from None
    return {"start": start, "days": days, "result": result.date, "confirmed": result.confirmed}


@router.get("/calendar/years", response=list[CalendarYearOut])
def calendar_years(request: HttpRequest) -> list[dict[str, object]]:
    return selectors.calendar_years()
