"""/api/v1/grid/disputes/: 矛盾纠纷 — list and filter, file, detail with the steps allowed now, the steps,
mediation sessions and the agreement PDF.

400 names the field at fault, 403 a role or a level that may not take the step, 404 outside the scope,
409 a stale ``expected_version`` — and the dispute is left unchanged.
"""

# No ``from __future__ import annotations``: django-ninja must see the real schema classes.

import datetime as dt
from typing import Annotated, Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.casework.models import Attachment, AuditEntry
from zhenwu.casework.process import action_label, process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import selectors_disputes as selectors
from zhenwu.grid.models import Dispute, DisputeParty, MediationSession
from zhenwu.grid.services import disputes as services
from zhenwu.paging import MAX_OFFSET, MAX_PAGE_SIZE

router = Router(tags=["grid-disputes"])
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]  # a database id: larger ones are refused (400), not looked up


# ---------------------------------------------------------------- schemas

class DisputePartyIn(Schema):
    role: str
    name: str = ""
    id_number: str = ""
    mobile: str = ""
    address: str = ""
    resident_id: RowId | None = None
    enterprise_id: RowId | None = None


class DisputeIn(Schema):
    grid_code: str
    kind: str
    risk: str = "low"
    level: str = ""
    description: str
    address: str = ""
    occurred_on: dt.date | None = None
    parties: list[DisputePartyIn] = Field(max_length=20)


class DisputeActionIn(Schema):
    expected_version: RowId | None = None
    reason: str = ""
    agreement: str = ""
    referral_to: str = ""
    record: str = ""


class MediationSessionIn(Schema):
    held_on: dt.date
    place: str
    minutes: str
    result: str
    mediator_ids: list[RowId] = Field(default_factory=list, max_length=20)


class DisputeSearchIn(Schema):
    status: str = ""
    kind: str = ""
    risk: str = ""
    level: str = ""
    grid: str = ""
    q: str = Field("", max_length=100)
    open: bool = False
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class DisputePartyOut(Schema):
    role: str
    role_label: str
    name: str
    id_number: str
    mobile: str
    address: str
    resident_id: int | None
    enterprise_id: int | None


class MediationSessionOut(Schema):
    id: int
    held_on: dt.date
    place: str
    level: str
    mediators: list[str]
    minutes: str
    result: str
    result_label: str
    recorded_by: str | None
    created_at: dt.datetime


class DisputeActionOut(Schema):
    key: str
    label: str
    required: list[str]


class DisputeTimelineOut(Schema):
    seq: int
    action: str
    action_label: str
    actor_name: str
    from_state: str
    to_state: str
    reason: str
    created_at: dt.datetime


class DisputeOut(Schema):
    number: str
    status: str
    status_label: str
    version: int
    kind: str
    kind_label: str
    risk: str
    risk_label: str
    level: str
    level_label: str
    grid_code: str
    grid_name: str
    title: str
    due_at: dt.datetime | None
    light: str
    outcome: str
    created_at: dt.datetime


class DisputeDetailOut(DisputeOut):
    description: str
    address: str
    occurred_on: dt.date | None
    agreement: str
    agreement_url: str | None
    referral_to: str
    referral_reason: str
    follow_up: str
    parties: list[DisputePartyOut]
    sessions: list[MediationSessionOut]
    actions: list[DisputeActionOut]
    timeline: list[DisputeTimelineOut]


class DisputePageOut(Schema):
    items: list[DisputeOut]
    count: int


# ---------------------------------------------------------------- output

AGREEMENT_PATH = "/api/v1/grid/disputes/{number}/agreement.pdf"


def _out(d: Dispute) -> dict[str, Any]:
    case = d.case
    return {"number": case.number, "status": case.status, "version": case.version,
            "status_label": process_get(case.process).state_label(case.status),
            "kind": d.kind, "kind_label": str(d.get_kind_display()), "risk": d.risk,
            "risk_label": str(d.get_risk_display()), "level": d.level, "level_label": str(d.get_level_display()),
            "grid_code": d.grid.code, "grid_name": d.grid.name, "title": case.title, "due_at": case.deadline_due_at,
            "light": case.light if case.deadline_live else "", "outcome": d.outcome, "created_at": case.created_at}


def _party(p: DisputeParty) -> dict[str, Any]:
    return {"role": p.role, "role_label": str(p.get_role_display()), "name": p.name, "id_number": p.id_number,
            "mobile": p.mobile, "address": p.address, "resident_id": p.resident_id, "enterprise_id": p.enterprise_id}


def _session(s: MediationSession) -> dict[str, Any]:
    return {"id": s.pk, "held_on": s.held_on, "place": s.place, "level": s.level,
            "mediators": [str(u) for u in s.mediators.all()], "minutes": s.minutes, "result": s.result,
            "result_label": str(s.get_result_display()), "recorded_by": str(s.recorded_by) if s.recorded_by else None,
            "created_at": s.created_at}


def _entry(d: Dispute, e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "action": e.action, "action_label": action_label(d.case.process, e.action, e.from_state),
            "actor_name": e.actor_name, "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason,
            "created_at": e.created_at}


def _detail(user: User, d: Dispute) -> dict[str, Any]:
    url = AGREEMENT_PATH.format(number=d.case.number) if d.agreement_sha256 else None
    return {**_out(d), "description": d.description, "address": d.address, "occurred_on": d.occurred_on,
            "agreement": d.agreement, "agreement_url": url, "referral_to": d.referral_to,
            "referral_reason": d.referral_reason, "follow_up": d.follow_up,
            "parties": [_party(p) for p in d.parties.all()], "sessions": [_session(s) for s in d.sessions.all()],
            "actions": selectors.dispute_actions(user=user, dispute=d),
            "timeline": [_entry(d, e) for e in selectors.dispute_timeline(dispute=d)]}




# ---------------------------------------------------------------- endpoints

@router.get("", response=DisputePageOut)
def dispute_list(request: HttpRequest, search: Query[DisputeSearchIn]) -> dict[str, Any]:
    """Disputes in my scope, newest first, with filters and paging (``offset``, ``limit``)."""
    user = _user(request)
    qs = selectors.dispute_list(user=user, status=search.status, kind=search.kind, risk=search.risk,
                                level=search.level, grid=search.grid, q=search.q, open_only=search.open)
    rows = qs[search.offset:search.offset + search.limit]
    return {"items": [_out(d) for d in rows], "count": qs.count()}


@router.post("", response={201: DisputeDetailOut})
def dispute_create(request: HttpRequest, payload: DisputeIn) -> Status:
    """登记 a dispute with its parties (from the registry by ``resident_id`` / ``enterprise_id``, or new)."""
    user = _user(request)
    d = services.dispute_create(actor=user, grid_code=payload.grid_code, kind=payload.kind, risk=payload.risk,
                                level=payload.level, description=payload.description, address=payload.address,
                                occurred_on=payload.occurred_on, parties=[p.dict() for p in payload.parties],
                                request_id=_rid(request))
    return Status(201, _detail(user, selectors.dispute_get(user=user, number=d.case.number)))


@router.get("/{number}", response=DisputeDetailOut)
def dispute_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _user(request)
    return _detail(user, selectors.dispute_get(user=user, number=number))


@router.post("/{number}/actions/{action}", response=DisputeDetailOut)
def dispute_act(request: HttpRequest, number: str, action: str, payload: DisputeActionIn) -> dict[str, Any]:
    """One step: ``escalate`` (reason), ``settle`` (agreement), ``refer`` (referral_to, reason),
    ``follow_up`` (record), ``withdraw`` (reason); ``expected_version`` as last read (409 when stale)."""
    user = _user(request)
    step: Any = services.STEPS.get(action)
    if step is None:
        raise FieldError("action", _("Unknown action."))
    d = selectors.dispute_get(user=user, number=number)
    fields = {"escalate": ("reason",), "settle": ("agreement",), "refer": ("referral_to", "reason"),
              "follow_up": ("record",), "withdraw": ("reason",)}[action]
    step(actor=user, dispute=d, expected_version=payload.expected_version, request_id=_rid(request),
         **{f: getattr(payload, f) for f in fields})
    return _detail(user, selectors.dispute_get(user=user, number=number))


@router.get("/{number}/sessions", response=list[MediationSessionOut])
def session_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    user = _user(request)
    return [_session(s) for s in selectors.dispute_get(user=user, number=number).sessions.all()]


@router.post("/{number}/sessions", response={201: MediationSessionOut})
def session_add(request: HttpRequest, number: str, payload: MediationSessionIn) -> Status:
    """调解记录: a session at the dispute's current level, with its mediators (staff ids; default: me)."""
    user = _user(request)
    d = selectors.dispute_get(user=user, number=number)
    s = services.dispute_session_add(actor=user, dispute=d, held_on=payload.held_on, place=payload.place,
                                     minutes=payload.minutes, result=payload.result,
                                     mediator_ids=payload.mediator_ids, request_id=_rid(request))
    return Status(201, _session(s))


@router.get("/{number}/agreement.pdf")
def agreement_download(request: HttpRequest, number: str) -> FileResponse:
    """人民调解协议书 (PDF), once the dispute was settled."""
    d = selectors.dispute_get(user=_user(request), number=number)
    found = Attachment.objects.filter(sha256=d.agreement_sha256).first() if d.agreement_sha256 else None
    if found is None:
        raise NotFound(_("This dispute has no agreement."), field="number")
    response = FileResponse(default_storage.open(found.storage_name, "rb"), content_type="application/pdf",
                            as_attachment=True, filename=f"{number}.pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{found.sha256}"'
    return response
