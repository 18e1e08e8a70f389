"""/api/v1/enforcement/publications (行政处罚决定公开: public reads, staff writes, the leaders' supervision list),
/api/v1/enforcement/supervision-tasks (审管联动 follow-ups) and /api/v1/enforcement/my-tasks (the phone app)."""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.accounts.throttle import throttle
from zhenwu.casework.process import state_label
from zhenwu.enforcement import policy, selectors, selectors_links
from zhenwu.enforcement.choices import Procedure
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models import DecisionPublication, SupervisionFollowUp
from zhenwu.enforcement.services.cases import Party
from zhenwu.enforcement.services.followups import followup_assign, followup_inspect, followup_open_case
from zhenwu.enforcement.services.publicity import publication_overturn, publication_publish, publication_withdraw
from zhenwu.errors import Forbidden, NotFound
from zhenwu.paging import BoundedPageNumberPagination

publications_router = Router(tags=["enforcement publicity"])
followups_router = Router(tags=["enforcement 审管联动"])
mobile_router = Router(tags=["enforcement phone app"])


def public_throttle(request: HttpRequest) -> None:
    """The public reads count against the client address's allowance (``enforcement_public_ip``)."""
    throttle(scope="enforcement_public_ip", key=str(request.META.get("REMOTE_ADDR") or "-"))


def staff_reader(request: HttpRequest, page: str) -> User:
    """Citizens and enterprises 404 (no such thing for them); staff without the page's roles 403."""
    user = _user(request)
    if user.kind != UserKind.STAFF:
        raise NotFound(_("Not found."))
    if not policy.may_open(user, page):
        raise Forbidden(_("Your roles do not allow this action."))
    return user


# --- publications --------------------------------------------------------------------------------------

class PublicationOut(Schema):
    id: int
    decision_number: str
    party: str
    power_code: str
    power_name: str
    basis: str
    penalty_kind: str
    penalty_label: str
    fine: Decimal | None
    decided_on: date
    published_at: str | None
    status: str
    status_label: str
    overturn_kind: str
    overturn_label: str
    overturned_on: date | None
    withdrawn_at: str | None
    withdrawal_reason: str


class SupervisionLineOut(Schema):
    id: int
    case_number: str
    decision_number: str
    task: str  # publish | withdraw
    due_on: date
    overdue: bool
    status: str
    decided_on: date


class OverturnIn(Schema):
    overturn_kind: str
    overturned_on: str
    reason: str = ""


class WithdrawIn(Schema):
    reason: str
    overturn_kind: str = ""
    overturned_on: str | None = None


def publication_out(p: DecisionPublication) -> dict[str, Any]:
    return {"id": p.pk, "decision_number": p.decision_number, "party": p.party_shown, "power_code": p.power_code,
            "power_name": p.power_name, "basis": p.basis, "penalty_kind": p.penalty_kind,
            "penalty_label": str(p.get_penalty_kind_display()) if p.penalty_kind else "", "fine": p.fine,
            "decided_on": p.decided_on, "published_at": p.published_at.isoformat() if p.published_at else None,
            "status": p.status, "status_label": str(p.get_status_display()), "overturn_kind": p.overturn_kind,
            "overturn_label": str(p.get_overturn_kind_display()) if p.overturn_kind else "",
            "overturned_on": p.overturned_on,
            "withdrawn_at": p.withdrawn_at.isoformat() if p.withdrawn_at else None,
            "withdrawal_reason": p.withdrawal_reason}


class _Rows:
    """The paginator slices and counts the queryset; only the page's rows are turned into output."""

    def __init__(self, qs: Any, out: Any) -> None:
        self.qs, self.out = qs, out

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(r) for r in self.qs[key]]


@publications_router.get("", response=list[PublicationOut], auth=None,
                         summary="Published penalty decisions (withdrawn ones marked), public")
@paginate(BoundedPageNumberPagination, page_size=20)
def publication_list(request: HttpRequest, q: str = "", status: str = "") -> Any:
    public_throttle(request)
    return _Rows(selectors_links.publication_public(q=q, status=status), publication_out)


@publications_router.get("/supervision", response=list[SupervisionLineOut],
                         summary="Decisions overdue for publication or withdrawal, in my scope (leaders)")
def publication_supervision(request: HttpRequest, overdue_only: bool = True) -> list[dict[str, Any]]:
    user = staff_reader(request, "publications")
    return [{"id": r.publication.pk, "case_number": r.publication.penalty.case.number,
             "decision_number": r.publication.decision_number, "task": r.task, "due_on": r.due_on,
             "overdue": r.overdue, "status": r.publication.status, "decided_on": r.publication.decided_on}
            for r in selectors_links.publication_supervision(user=user, overdue_only=overdue_only)]


@publications_router.get("/{pub_id}", response=PublicationOut, auth=None, summary="One published decision, public")
def publication_detail(request: HttpRequest, pub_id: int) -> dict[str, Any]:
    public_throttle(request)
    return publication_out(selectors_links.publication_public_get(pub_id=pub_id))


def _staff_pub(request: HttpRequest, pub_id: int) -> User:
    user = _user(request)
    if user.kind != UserKind.STAFF:
        raise NotFound(_("No such publication."))
    return user


@publications_router.post("/{pub_id}/publish", response=PublicationOut,
                          summary="Publish a decided general-procedure case (legal reviewers, leaders)")
def publication_publish_api(request: HttpRequest, pub_id: int) -> dict[str, Any]:
    return publication_out(publication_publish(actor=_staff_pub(request, pub_id), pub_id=pub_id))


@publications_router.post("/{pub_id}/overturn", response=PublicationOut,
                          summary="Record that a published decision was revoked or changed (withdraw in 3 days)")
def publication_overturn_api(request: HttpRequest, pub_id: int, payload: OverturnIn) -> dict[str, Any]:
    pub = publication_overturn(actor=_staff_pub(request, pub_id), pub_id=pub_id, overturn_kind=payload.overturn_kind,
                               overturned_on=payload.overturned_on, reason=payload.reason)
    return publication_out(pub)


@publications_router.post("/{pub_id}/withdraw", response=PublicationOut,
                          summary="撤回 an overturned decision: the page stays, marked withdrawn (leaders)")
def publication_withdraw_api(request: HttpRequest, pub_id: int, payload: WithdrawIn) -> dict[str, Any]:
    pub = publication_withdraw(actor=_staff_pub(request, pub_id), pub_id=pub_id, reason=payload.reason,
                               overturn_kind=payload.overturn_kind, overturned_on=payload.overturned_on)
    return publication_out(pub)


# --- 审管联动 follow-ups ---------------------------------------------------------------------------------

class FollowUpOut(Schema):
    id: int
    case_number: str
    title: str
    area_code: str
    status: str
    status_label: str
    due_at: str | None
    light: str
    squad: str | None
    officer: str | None
    party_name: str
    result: str
    result_label: str
    record: str
    penalty_case: str | None
    version: int


class FollowUpInspectionIn(Schema):
    problem: bool
    record: str
    expected_version: int | None = None


class FollowUpPartyIn(Schema):
    name: str
    id_number: str = ""
    uscc: str = ""


class FollowUpCaseIn(Schema):
    power: str
    facts: str
    investigators: list[int]
    party: FollowUpPartyIn | None = None
    expected_version: int | None = None


class FollowUpAssignIn(Schema):
    officer: int
    reason: str = ""


def followup_out(row: SupervisionFollowUp) -> dict[str, Any]:
    case = row.case
    return {"id": row.pk, "case_number": case.number, "title": case.title, "area_code": case.area_code,
            "status": case.status, "status_label": state_label(case.process, case.status),
            "due_at": case.deadline_due_at.isoformat() if case.deadline_due_at else None, "light": case.light,
            "squad": row.squad.name if row.squad else None, "officer": str(row.officer) if row.officer else None,
            "party_name": row.party_name, "result": row.result,
            "result_label": str(row.get_result_display()) if row.result else "", "record": row.record,
            "penalty_case": row.penalty.case.number if row.penalty else None, "version": case.version}


@followups_router.get("", response=list[FollowUpOut], summary="审管联动 tasks routed to me (leaders: my scope's)")
@paginate(BoundedPageNumberPagination, page_size=50)
def followup_list(request: HttpRequest, status: str = "") -> Any:
    user = staff_reader(request, "followups")
    return _Rows(selectors_links.followups_mine(user=user, status=status), followup_out)


@followups_router.get("/{pk}", response=FollowUpOut, summary="One 审管联动 task")
def followup_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return followup_out(selectors_links.followup_get(user=_user(request), pk=pk))


@followups_router.post("/{pk}/inspection", response=FollowUpOut,
                       summary="End a 审管联动 task with an inspection record (no problem / problem)")
def followup_inspection(request: HttpRequest, pk: int, payload: FollowUpInspectionIn) -> dict[str, Any]:
    user = _user(request)
    selectors_links.followup_get(user=user, pk=pk)  # not mine or outside the scope: 404
    row = followup_inspect(actor=user, pk=pk, problem=payload.problem, record=payload.record,
                           expected_version=payload.expected_version)
    return followup_out(row)


@followups_router.post("/{pk}/case", response={201: FollowUpOut},
                       summary="End a 审管联动 task with a penalty case (立案 request, source supervision_task)")
def followup_case(request: HttpRequest, pk: int, payload: FollowUpCaseIn) -> Status[dict[str, Any]]:
    user = _user(request)
    selectors_links.followup_get(user=user, pk=pk)
    party = Party(**payload.party.dict()) if payload.party else None
    row = followup_open_case(actor=user, pk=pk, power_code=payload.power, facts=payload.facts,
                             investigators=payload.investigators, party=party,
                             expected_version=payload.expected_version)
    return Status(201, followup_out(row))


@followups_router.post("/{pk}/assign", response=FollowUpOut, summary="A leader hands a 审管联动 task to an officer")
def followup_assign_api(request: HttpRequest, pk: int, payload: FollowUpAssignIn) -> dict[str, Any]:
    user = _user(request)
    selectors_links.followup_get(user=user, pk=pk)
    return followup_out(followup_assign(actor=user, pk=pk, officer_id=payload.officer, reason=payload.reason))


# --- the phone app ---------------------------------------------------------------------------------------

class MyCaseOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    procedure: str
    party_name: str
    due_at: str | None
    light: str


class MyTasksOut(Schema):
    officer: bool
    certificate_valid: bool
    cases: list[MyCaseOut]
    followups: list[FollowUpOut]


@mobile_router.get("", response=MyTasksOut,
                   summary="The phone app's 我的任务 for an officer: cases I investigate, my open 审管联动 tasks")
def my_tasks(request: HttpRequest) -> dict[str, Any]:
    user = staff_reader(request, "followups")
    officer = policy.officer_of(user)
    cases = (selectors.case_scope(user=user).filter(investigators__user=user, procedure=Procedure.GENERAL,
                                                     case__status__in=("registered", "investigating"))
             .select_related("case").order_by("case__deadline_due_at", "-case__created_at")[:100]
             if officer else [])
    followups = selectors_links.followups_mine(user=user).filter(officer__user=user, result="")[:100]
    return {"officer": officer is not None,
            "certificate_valid": bool(officer and officer.certificate_valid_on(today())),
            "cases": [{"number": r.case.number, "title": r.case.title, "status": r.case.status,
                       "status_label": state_label(r.case.process, r.case.status), "procedure": r.procedure,
                       "party_name": r.party_name,
                       "due_at": r.case.deadline_due_at.isoformat() if r.case.deadline_due_at else None,
                       "light": r.case.light} for r in cases],
            "followups": [followup_out(f) for f in followups]}

