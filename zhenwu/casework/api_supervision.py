"""/api/v1/casework/supervision/: overdue, at-risk and 督办 lists and statistics across every case kind
(scoped, paginated), 催办 by hand and the 督办 flag (``zhenwu.casework.supervision``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhenwu.accounts.http import request_id as _request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.casework import selectors
from zhenwu.casework import supervision as sv
from zhenwu.casework.api import CaseRowOut
from zhenwu.casework.choices import SupervisionPriority
from zhenwu.casework.models import Case, CaseSupervision, CaseUrge
from zhenwu.paging import BoundedPageNumberPagination

router = Router(tags=["casework supervision"])


class SupervisedCaseOut(CaseRowOut):
    priority: str | None  # 督办 priority while flagged

    @staticmethod
    def resolve_priority(obj: Case) -> str | None:
        flag: CaseSupervision | None = getattr(obj, "supervision", None)
        return flag.priority if flag is not None and flag.ended_at is None else None


class KindStatsOut(Schema):
    kind: str
    label: str
    filed: int
    finished: int
    on_time: int
    on_time_rate: float | None
    overdue: int
    at_risk: int
    flagged: int
    urged: int


class CaseStatsOut(Schema):
    from_date: dt.date
    to_date: dt.date
    rows: list[KindStatsOut]
    total: KindStatsOut


class CaseUrgeIn(Schema):
    note: str = Field("", max_length=sv.MAX_NOTE)


class CaseUrgeOut(Schema):
    number: str
    level: str
    note: str
    recipient: str
    sent_at: dt.datetime


class CaseFlagIn(Schema):
    priority: SupervisionPriority = SupervisionPriority.NORMAL
    note: str = Field("", max_length=sv.MAX_NOTE)
    remind_hours: int = Field(24, ge=1, le=720)


class CaseFlagOut(Schema):
    number: str
    priority: str
    note: str
    remind_hours: int
    leader: str
    started_at: dt.datetime


@router.get("/overdue", response=list[SupervisedCaseOut], summary="Overdue cases of every kind in my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def overdue(request: HttpRequest, kind: str = "") -> QuerySet[Case]:
    return sv.overdue_list(user=_user(request), kind=kind)


@router.get("/at-risk", response=list[SupervisedCaseOut], summary="Cases of every kind close to their due time")
@paginate(BoundedPageNumberPagination, page_size=50)
def at_risk(request: HttpRequest, kind: str = "") -> QuerySet[Case]:
    return sv.at_risk_list(user=_user(request), kind=kind)


@router.get("/flagged", response=list[SupervisedCaseOut], summary="Cases under 督办 in my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def flagged(request: HttpRequest, kind: str = "") -> QuerySet[Case]:
    return sv.flagged_list(user=_user(request), kind=kind)


@router.get("/stats", response=CaseStatsOut, summary="Supervision statistics per case kind")
def stats(request: HttpRequest, date_from: str = Query("", alias="from"),
          date_to: str = Query("", alias="to")) -> dict[str, Any]:
    user = _user(request)
    sv.supervision_check(user)
    result = sv.case_stats(user=user, period=sv.period_clean(date_from=date_from, date_to=date_to))
    return {"from_date": result.period.start, "to_date": result.period.end,
            "rows": [r.as_dict() for r in result.rows], "total": result.total.as_dict()}


def _urge_out(urge: CaseUrge) -> dict[str, Any]:
    return {"number": urge.case.number, "level": urge.level, "note": urge.note,
            "recipient": str(urge.recipient or ""), "sent_at": urge.sent_at}


@router.post("/cases/{number}/urges", response={201: CaseUrgeOut}, summary="催办 by hand")
def urge(request: HttpRequest, number: str, payload: CaseUrgeIn) -> Status[dict[str, Any]]:
    user = _user(request)
    case = selectors.case_get(user=user, number=number)
    return Status(201, _urge_out(sv.case_urge(actor=user, case=case, note=payload.note,
                                              request_id=_request_id(request))))


@router.put("/cases/{number}/flag", response=CaseFlagOut, summary="督办: flag a case (leaders)")
def flag(request: HttpRequest, number: str, payload: CaseFlagIn) -> dict[str, Any]:
    user = _user(request)
    case = selectors.case_get(user=user, number=number)
    row = sv.case_supervise(actor=user, case=case, priority=payload.priority, note=payload.note,
                            remind_hours=payload.remind_hours, request_id=_request_id(request))
    return {"number": case.number, "priority": row.priority, "note": row.note, "remind_hours": row.remind_hours,
            "leader": str(row.leader), "started_at": row.started_at}


@router.delete("/cases/{number}/flag", response={204: None}, summary="督办: lift the flag (leaders)")
def unflag(request: HttpRequest, number: str) -> Status[None]:
    user = _user(request)
    sv.case_unsupervise(actor=user, case=selectors.case_get(user=user, number=number),
                        request_id=_request_id(request))
    return Status(204, None)
