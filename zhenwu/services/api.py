"""/api/v1/services/: the public catalogue and tracking, staff queues and actions, the citizen's
own applications, rectification and supervision tasks, stand-ins.

Errors follow the platform convention; every action answers 400 naming the field for bad input,
403 for a role, 404 outside the scope (or someone else's application), 409 for a lost race or a
second rating — and leaves the case unchanged.
"""

# No ``from __future__ import annotations``: django-ninja must see the real schema classes.

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.process import process_get
from zhenwu.casework.services import attachment_store
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import schemas as s
from zhenwu.services import selectors, services
from zhenwu.services.lights import live_light
from zhenwu.services.models import Application, ServiceItem
from zhenwu.services.services.common import is_applicant_account

router = Router(tags=["services"])
PAGE_MAX = 200






def _item_out(item: ServiceItem, detail: bool = False) -> dict[str, Any]:
    v = item.current_version
    assert v is not None
    out: dict[str, Any] = {"code": item.code, "version": v.number, "name": v.name, "kind": v.kind,
                           "department": v.department, "promised_limit_days": v.promised_limit_days,
                           "legal_limit_days": v.legal_limit_days, "online": v.online, "proxy": v.proxy}
    if detail:
        out.update({k: getattr(v, k) for k in ("legal_basis", "conditions", "materials", "fees", "delivery",
                                               "supervision", "chain", "applicant", "aliases")})
    return out


def _app_out(app: Application) -> dict[str, Any]:
    case, v = app.case, app.item_version
    return {"number": case.number, "item_code": v.item.code, "item_name": v.name, "item_version": v.number,
            "department": v.department, "channel": app.channel, "status": case.status,
            "status_label": process_get(case.process).state_label(case.status), "version": case.version,
            "light": live_light(case), "due_at": case.deadline_due_at, "paused": case.paused_at is not None,
            "applicant_name": app.applicant_name, "applicant_mobile": app.applicant_mobile,
            "handler": str(app.handler) if app.handler else None,
            "first_contact": str(app.first_contact) if app.first_contact else None,
            "result": app.result, "created_at": case.created_at}


def _entry_out(e: AuditEntry) -> dict[str, Any]:
    cover = (e.data or {}).get("stand_in_for")
    return {"seq": e.seq, "action": e.action, "actor_name": e.actor_name, "from_state": e.from_state,
            "to_state": e.to_state, "reason": e.reason, "attachments": e.attachments,
            "created_at": e.created_at, "stand_in_for": cover["name"] if cover else None}


def _detail(user: User, app: Application) -> dict[str, Any]:
    return {**_app_out(app), "materials": app.materials, "supplement_missing": app.supplement_missing,
            "result_reason": app.result_reason, "pause_reason": app.pause_reason,
            "delivery_mode": app.delivery_mode, "tracking_number": app.tracking_number,
            "consent_by": app.consent_by,
            "timeline": [_entry_out(e) for e in selectors.application_timeline_list(application=app)],
            "actions": selectors.application_actions(user=user, application=app)}


def _materials(items: list[s.MaterialIn]) -> list[dict[str, Any]]:
    return [m.dict() for m in items]


# ---------------------------------------------------------------- public: catalogue and tracking

@router.get("/catalogue", response=list[s.ItemOut], auth=None)
def catalogue_list(request: HttpRequest, q: str = "", department: str = "", kind: str = "") -> list[dict[str, Any]]:
    return [_item_out(i) for i in selectors.service_item_list(q=q, department=department, kind=kind)]


@router.get("/catalogue/{code}", response=s.ItemDetailOut, auth=None)
def catalogue_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _item_out(selectors.service_item_get(code=code), detail=True)


@router.post("/track", response=s.TrackingOut, auth=None)
def track(request: HttpRequest, payload: s.TrackIn) -> Any:
    """办件查询 by case number and 查询码 (in the body, never in the address); attempts are limited per
    client IP and per number (429)."""
    from zhenwu.services.tracking import tracking_get
    from zhenwu.services.views_public import client_ip

    result = tracking_get(number=payload.number, code=payload.code, ip=client_ip(request))
    return {**result.__dict__, "result_label": str(result.result_label)}


# ---------------------------------------------------------------- staff: queues and actions

def _page(request: HttpRequest, search: s.SearchIn) -> dict[str, Any]:
    user = _user(request)
    qs = selectors.application_list(user=user, queue=search.queue, item=search.item, department=search.department,
                                    channel=search.channel, status=search.status, light=search.light, q=search.q)
    limit, offset = max(1, min(search.limit, PAGE_MAX)), max(search.offset, 0)
    return {"items": [_app_out(a) for a in qs[offset:offset + limit]], "count": qs.count(),
            "counts": selectors.application_counts(user=user)}


@router.get("/applications", response=s.ApplicationPageOut)
def application_list(request: HttpRequest, search: Query[s.SearchIn]) -> dict[str, Any]:
    """A queue with filters; a search by ID number, USCC or mobile goes by POST ``applications/search``."""
    if selectors.is_personal(search.q):
        raise FieldError("q", _("Search by ID number, USCC or mobile with POST applications/search, so that "
                                "it stays out of addresses and logs."))
    return _page(request, search)


@router.post("/applications/search", response=s.ApplicationPageOut)
def application_search(request: HttpRequest, payload: s.SearchIn) -> dict[str, Any]:
    """The same as ``GET applications`` with the filters and the search text in the body."""
    return _page(request, payload)


@router.post("/applications", response={201: s.ApplicationDetailOut})
def application_submit(request: HttpRequest, payload: s.SubmitIn) -> Status:
    user = _user(request)
    app = services.application_submit(
        actor=user, item_code=payload.item_code, channel=payload.channel, materials=_materials(payload.materials),
        applicant=payload.applicant.dict() if payload.applicant else None,
        consent=payload.consent.dict() if payload.consent else None, area_code=payload.area_code,
        request_id=_rid(request))
    return Status(201, _detail(user, app))


def _staff_app(request: HttpRequest, number: str) -> tuple[User, Application]:
    user = _user(request)
    if is_applicant_account(user):
        raise NotFound(_("No such application."), field="number")
    return user, selectors.application_get(user=user, number=number)


@router.get("/applications/{number}", response=s.ApplicationDetailOut)
def application_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user, app = _staff_app(request, number)
    return _detail(user, app)


def _act(request: HttpRequest, number: str, fn: Any, **kw: Any) -> dict[str, Any]:
    user, app = _staff_app(request, number)
    fn(actor=user, application=app, request_id=_rid(request), **kw)
    return _detail(user, selectors.application_get(user=user, number=number))


@router.post("/applications/{number}/precheck", response=s.ApplicationDetailOut)
def application_precheck(request: HttpRequest, number: str, payload: s.VersionIn) -> dict[str, Any]:
    return _act(request, number, services.application_precheck, expected_version=payload.version)


@router.post("/applications/{number}/accept", response=s.ApplicationDetailOut)
def application_accept(request: HttpRequest, number: str, payload: s.VersionIn) -> dict[str, Any]:
    return _act(request, number, services.application_accept, expected_version=payload.version)


@router.post("/applications/{number}/reject", response=s.ApplicationDetailOut)
def application_reject(request: HttpRequest, number: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _act(request, number, services.application_reject, reason=payload.reason,
                expected_version=payload.version)


@router.post("/applications/{number}/supplement", response=s.ApplicationDetailOut)
def application_supplement(request: HttpRequest, number: str, payload: s.SupplementIn) -> dict[str, Any]:
    return _act(request, number, services.application_request_supplement, missing=payload.missing,
                reason=payload.reason, expected_version=payload.version)


@router.post("/applications/{number}/supply", response=s.ApplicationDetailOut)
def application_supply(request: HttpRequest, number: str, payload: s.SupplyIn) -> dict[str, Any]:
    return _act(request, number, services.application_supply, materials=_materials(payload.materials),
                expected_version=payload.version)


@router.post("/applications/{number}/review", response=s.ApplicationDetailOut)
def application_review(request: HttpRequest, number: str, payload: s.ReviewIn) -> dict[str, Any]:
    return _act(request, number, services.application_review, step=payload.step, opinion=payload.opinion,
                approve=payload.approve, expected_version=payload.version)


@router.post("/applications/{number}/decide", response=s.ApplicationDetailOut)
def application_decide(request: HttpRequest, number: str, payload: s.DecideIn) -> dict[str, Any]:
    return _act(request, number, services.application_decide, approve=payload.approve, reason=payload.reason,
                expected_version=payload.version)


@router.post("/applications/{number}/finish", response=s.ApplicationDetailOut)
def application_finish(request: HttpRequest, number: str, payload: s.VersionIn) -> dict[str, Any]:
    return _act(request, number, services.application_finish, expected_version=payload.version)


@router.post("/applications/{number}/deliver", response=s.ApplicationDetailOut)
def application_deliver(request: HttpRequest, number: str, payload: s.DeliverIn) -> dict[str, Any]:
    return _act(request, number, services.application_deliver, mode=payload.mode,
                tracking_number=payload.tracking_number, signature=payload.signature,
                result_attachment=payload.result_attachment, expected_version=payload.version,
                base_url=request.build_absolute_uri("/"))


@router.post("/applications/{number}/withdraw", response=s.ApplicationDetailOut)
def application_withdraw(request: HttpRequest, number: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _act(request, number, services.application_withdraw, reason=payload.reason,
                expected_version=payload.version)


@router.post("/applications/{number}/special-pause", response=s.ApplicationDetailOut)
def application_special_pause(request: HttpRequest, number: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _act(request, number, services.application_special_pause, reason=payload.reason,
                expected_version=payload.version)


@router.post("/applications/{number}/special-resume", response=s.ApplicationDetailOut)
def application_special_resume(request: HttpRequest, number: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _act(request, number, services.application_special_resume, reason=payload.reason,
                expected_version=payload.version)


@router.post("/applications/{number}/reassign", response=s.ApplicationDetailOut)
def application_reassign(request: HttpRequest, number: str, payload: s.ReassignIn) -> dict[str, Any]:
    handler = User.objects.filter(pk=payload.handler_id, kind="staff", is_active=True).first()
    if handler is None:
        raise FieldError("handler_id", _("Choose a staff member whose scope covers the case."))
    return _act(request, number, services.application_reassign, handler=handler, reason=payload.reason)


def _rating_out(rating: Any) -> dict[str, Any]:
    task = getattr(rating, "rectification", None)
    return {"level": rating.level, "channel": rating.channel, "rectification_id": task.pk if task else None}


# ---------------------------------------------------------------- citizens and enterprises

def _citizen(request: HttpRequest) -> User:
    user = _user(request)
    if not is_applicant_account(user):
        raise NotFound(_("No such application."), field="number")
    return user


@router.get("/me/applications", response=list[s.ApplicationOut])
def my_applications(request: HttpRequest) -> list[dict[str, Any]]:
    return [_app_out(a) for a in selectors.application_list(user=_citizen(request))[:PAGE_MAX]]


@router.get("/me/applications/{number}", response=s.ApplicationDetailOut)
def my_application(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _citizen(request)
    return _detail(user, selectors.application_get(user=user, number=number))


@router.post("/me/applications", response={201: s.ApplicationDetailOut})
def my_application_submit(request: HttpRequest, payload: s.CitizenSubmitIn) -> Status:
    user = _citizen(request)
    app = services.application_submit(actor=user, item_code=payload.item_code, channel=payload.channel,
                                      materials=_materials(payload.materials), area_code=payload.area_code,
                                      request_id=_rid(request))
    return Status(201, _detail(user, app))


def _mine(request: HttpRequest, number: str, fn: Any, **kw: Any) -> dict[str, Any]:
    user = _citizen(request)
    app = selectors.application_get(user=user, number=number)
    fn(actor=user, application=app, request_id=_rid(request), **kw)
    return _detail(user, selectors.application_get(user=user, number=number))


@router.post("/me/applications/{number}/supply", response=s.ApplicationDetailOut)
def my_application_supply(request: HttpRequest, number: str, payload: s.SupplyIn) -> dict[str, Any]:
    return _mine(request, number, services.application_supply, materials=_materials(payload.materials),
                 expected_version=payload.version)


@router.post("/me/applications/{number}/withdraw", response=s.ApplicationDetailOut)
def my_application_withdraw(request: HttpRequest, number: str, payload: s.ReasonIn) -> dict[str, Any]:
    return _mine(request, number, services.application_withdraw, reason=payload.reason,
                 expected_version=payload.version)


@router.post("/me/applications/{number}/rate", response={201: s.RatingOut})
def my_application_rate(request: HttpRequest, number: str, payload: s.RateIn) -> Status:
    user = _citizen(request)
    app = selectors.application_get(user=user, number=number)
    rating = services.application_rate(actor=user, application=app, level=payload.level, comment=payload.comment,
                                       request_id=_rid(request))
    return Status(201, _rating_out(rating))


@router.post("/uploads", response={201: s.UploadOut})
def upload(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Store a material's file (type and size checked) before naming its SHA-256 in an application."""
    stored = attachment_store(actor=_user(request), data=file.read())
    return Status(201, {"sha256": stored.sha256, "content_type": stored.content_type, "size": stored.size})


# ---------------------------------------------------------------- tasks and stand-ins

def _rect_out(t: Any) -> dict[str, Any]:
    return {"id": t.pk, "number": t.application.case.number, "level": t.rating.level, "comment": t.rating.comment,
            "status": t.status, "verify_due_at": t.verify_due_at, "rectify_due_at": t.rectify_due_at,
            "verification": t.verification, "reply": t.reply, "callback": t.callback,
            "case_number": t.case.number, "version": t.case.version}


@router.get("/rectifications", response=list[s.RectificationOut])
def rectification_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    return [_rect_out(t) for t in selectors.rectification_list(user=_user(request), status=status)[:PAGE_MAX]]


@router.post("/rectifications/{task_id}/{step}", response=s.RectificationOut)
def rectification_step(request: HttpRequest, task_id: int, step: str, payload: s.TaskTextIn) -> dict[str, Any]:
    user = _user(request)
    task = selectors.rectification_get(user=user, pk=task_id)
    steps: dict[str, tuple[Any, str]] = {
        "verify": (services.rectification_verify, "finding"), "answer": (services.rectification_answer, "reply"),
        "callback": (services.rectification_callback, "record")}
    if step not in steps:
        raise NotFound(_("No such step."), field="step")
    fn, name = steps[step]
    return _rect_out(fn(actor=user, task=task, expected_version=payload.version, **{name: payload.text}))


def _sup_out(t: Any) -> dict[str, Any]:
    return {"id": t.pk, "number": t.application.case.number, "item_name": t.application.item_version.name,
            "applicant_name": t.application.applicant_name, "area_code": t.area_code, "status": t.status,
            "note": t.note, "created_at": t.created_at, "case_number": t.case.number, "version": t.case.version}


@router.get("/supervision-tasks", response=list[s.SupervisionOut])
def supervision_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    return [_sup_out(t) for t in selectors.supervision_list(user=_user(request), status=status)[:PAGE_MAX]]


@router.post("/supervision-tasks/{task_id}/complete", response=s.SupervisionOut)
def supervision_complete(request: HttpRequest, task_id: int, payload: s.TaskTextIn) -> dict[str, Any]:
    user = _user(request)
    task = selectors.supervision_get(user=user, pk=task_id)
    return _sup_out(services.supervision_task_complete(actor=user, task=task, note_text=payload.text,
                                                       expected_version=payload.version))


@router.post("/stand-ins", response={201: s.StandInOut})
def stand_in_create(request: HttpRequest, payload: s.StandInIn) -> Status:
    staff = User.objects.filter(kind="staff", is_active=True)
    user, stand_in = staff.filter(pk=payload.user_id).first(), staff.filter(pk=payload.stand_in_id).first()
    # Unknown ids answer like staff outside the caller's scope: 404, so ids do not reveal who exists.
    if user is None:
        raise NotFound(_("No such staff member."), field="user_id")
    if stand_in is None:
        raise NotFound(_("No such staff member."), field="stand_in_id")
    row = services.stand_in_set(actor=_user(request), user=user, stand_in=stand_in, starts_at=payload.starts_at,
                                ends_at=payload.ends_at)
    return Status(201, row)


# ---------------------------------------------------------------- 电子监察 (zhenwu.services.supervision)

@router.get("/supervision/stats", response=s.SupervisionStatsOut)
def supervision_stats(request: HttpRequest, group: str = "item", date_from: str = Query("", alias="from"),
                      date_to: str = Query("", alias="to")) -> dict[str, Any]:
    """Statistics of the applications filed in the period (default: this month, or the latest month with
    applications), by item, department or channel."""
    from zhenwu.services import supervision as sv

    user = _user(request)
    sv.supervision_scope(user=user)
    latest = None if date_from or date_to else sv.latest_filing_day(user=user)
    period = sv.period_clean(date_from=date_from, date_to=date_to, latest=latest)
    group = sv.group_clean(group)
    rows = sv.supervision_stats(user=user, period=period, group=group)
    return {"from_date": period.start, "to_date": period.end, "group": group,
            "rows": [r.as_dict() for r in rows], "total": sv.stats_total(rows).as_dict()}


@router.get("/supervision/overdue", response=list[s.SupervisionCaseOut])
def supervision_overdue(request: HttpRequest) -> list[dict[str, Any]]:
    """Running applications past their due time (red), the most overdue first."""
    from zhenwu.services import supervision as sv

    return [{"number": a.case.number, "item_name": a.item_version.name, "channel": a.channel,
             "status": a.case.status, "light": live_light(a.case), "due_at": a.case.deadline_due_at,
             "handler": str(a.handler or a.first_contact or "")}
            for a in sv.overdue_list(user=_user(request))[:PAGE_MAX]]


# ---------------------------------------------------------------- PDF notices (zhenwu.services.notices)

def _notice(request: HttpRequest, app: Application, kind: str) -> Any:
    from zhenwu.services import notices
    from zhenwu.services.views_staff import pdf_response

    return pdf_response(app, kind, notices.notice_pdf(app, kind, base_url=request.build_absolute_uri("/")))


@router.get("/applications/{number}/notices/{kind}", response={200: None},
            openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}})
def application_notice(request: HttpRequest, number: str, kind: str) -> Any:
    """受理/不予受理/补正/办结 notice (kind: acceptance, rejection, supplement, completion) as a PDF;
    404 when the case's history has no such notice."""
    _user_, app = _staff_app(request, number)
    return _notice(request, app, kind)


@router.get("/me/applications/{number}/notices/{kind}", response={200: None},
            openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}})
def my_application_notice(request: HttpRequest, number: str, kind: str) -> Any:
    """The applicant's own notice as a PDF (others' applications are 404)."""
    user = _citizen(request)
    return _notice(request, selectors.application_get(user=user, number=number), kind)
