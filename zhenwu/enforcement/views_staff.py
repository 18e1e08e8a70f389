"""Staff pages of 一队执法: the officer's case list (tabs, filters, the 90-day clock, paging, xlsx), the summary
and general case forms, the case page with exactly the steps allowed now, the legal reviewer's and the
leader's queues, officers and squads, and the power list with its versions, import and export.

Thin views over the app's selectors, policy and services: a step shows as a form exactly when the API's
``actions`` offer it (``selectors.case_actions``); a refused step or form re-shows the page with the
service's message on the field at fault; outside the scope 404, without the role 403.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.masking import mask_id_number
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import scope_prefix
from zhenwu.areas.choices import GRID_LEVELS, AreaLevel
from zhenwu.areas.models import Area
from zhenwu.casework.models import AuditEntry, CaseAttachment
from zhenwu.casework.process import action_label, process_get, state_label
from zhenwu.enforcement import policy, policy_inspection, process, selectors
from zhenwu.enforcement.choices import (
    BAND_ORDER,
    CaseSource,
    ConflictKind,
    OriginDepartment,
    PaymentPlanKind,
    PenaltyKind,
    Procedure,
    RemedyKind,
    RemedyOutcome,
)
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models import Officer, PenaltyCase
from zhenwu.enforcement.services.archive import archive_final
from zhenwu.enforcement.services.case_documents import document_url
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _g
from zhenwu.sheets import safe_row

PAGE_SIZE = 25
FILTERS = ("procedure", "status", "power", "q")
EXPIRING_DAYS = 60  # a certificate ending within this many days is flagged on the officers' page
ATTACHMENT_URL = "/api/v1/casework/attachments/{sha}"
DECISION_PDF_URL = "/api/v1/enforcement/cases/{number}/decision.pdf"
EXPORT_URL = "/api/v1/enforcement/powers/export"

# Every state of both procedures, in the order a case passes them (the list's tabs). 当场决定 and 已决定 share
# the key ``decided``; the tab says both.
STATE_ORDER = ("registered", "investigating", "testing", "public_notice", "reviewing", "notice", "hearing",
               "decided", "served", "paid", "closed", "filed", "dropped")
TAB_LABELS: dict[str, Any] = {"decided": _("Decided (on the spot or after the notice)")}
# Which time limit runs in a state (the 90 days from 立案, 7 working days to serve, 15 days to pay).
CLOCK_LABELS: dict[str, Any] = {
    **{s: _("Time limit of the case") for s in ("investigating", "testing", "public_notice", "reviewing", "notice",
                                                "hearing")},
    "decided": _("Time limit to serve"), "served": _("Time limit to pay")}
SERVICE_METHODS = (_("Direct service"), _("Service by leaving the document"), _("Service by post"),
                   _("Electronic service"), _("Service by public notice"))

# The fields of each step's form: (name, widget). Widgets: text, textarea, date, number, penalty, band,
# method, check, plan_kind, instalments, remedy_kind, remedy_outcome. The process's required fields are marked
# required.
STEP_FIELDS: dict[str, list[tuple[str, str]]] = {
    "approve_filing": [("opinion", "textarea")],
    "test": [("reason", "textarea")],
    "publish": [("reason", "textarea")],
    "finish_investigation": [("report", "textarea")],
    "legal_review": [("opinion", "textarea")],
    "legal_review_after_hearing": [("opinion", "textarea")],
    "notify": [("penalty", "penalty"), ("fine", "number"), ("band", "band")],
    "hold_hearing": [("requested_on", "date"), ("hearing_at", "date"), ("place", "text")],
    "decide": [("penalty", "penalty"), ("fine", "number"), ("band", "band"), ("outside_band_reason", "textarea"),
               ("defence", "textarea"), ("defence_waived", "check")],
    "serve": [("method", "method"), ("served_on", "date")],
    "pay": [("paid_on", "date")],
    "request_payment_plan": [("kind", "plan_kind"), ("reason", "textarea"), ("requested_on", "date"),
                             ("until", "date"), ("instalments", "instalments")],
    "approve_payment_plan": [("opinion", "textarea")],
    "refuse_payment_plan": [("opinion", "textarea")],
    "pay_instalment": [("paid_on", "date")],
    "demand": [("served_on", "date")],
    "apply_court": [("court", "text")],
    "close": [("report", "textarea")],
    "extend": [("days", "number"), ("reason", "textarea")],
    "drop": [("reason", "textarea")],
    "file_remedy": [("kind", "remedy_kind"), ("body", "text"), ("filed_on", "date")],
    "resume": [],
    "end_remedy": [("ended_on", "date"), ("outcome", "remedy_outcome"), ("fine", "number")],
    "refund": [("refunded_on", "date"), ("amount", "number"), ("reference", "text")],
    "file": [],
}
# A step whose fields differ in one state: (step, state) → its fields (``resume`` ends every pause: the end of a
# reconsideration or lawsuit has its own).
STATE_STEP_FIELDS: dict[tuple[str, str], list[tuple[str, str]]] = {
    ("resume", process.REMEDY): [("ended_on", "date"), ("outcome", "remedy_outcome"), ("fine", "number")],
}
FIELD_LABELS: dict[str, Any] = {
    "opinion": _("Opinion"), "reason": _("Reason"), "report": _("Report"), "penalty": _("Penalty"),
    "fine": _("Fine (yuan)"), "band": _("Discretion band"), "requested_on": _("Hearing asked for on"),
    "hearing_at": _("Hearing date"), "outside_band_reason": _("Reason for a fine outside the band"),
    "defence": _("The party's statement and defence"), "defence_waived": _("The party waived the statement period "
                                                                           "in writing"),
    "method": _("Method of service"), "served_on": _("Served on"), "paid_on": _("Paid on"),
    "days": _("Days to add"), "kind": _("Deferral or instalments"), "until": _("Deferred until"),
    "instalments": _("Instalments"), "court": _("Court"), "place": _("Place"),
}
# A label that differs for one step: (step, field) → label.
STEP_LABELS: dict[tuple[str, str], Any] = {
    ("request_payment_plan", "requested_on"): _("Asked for on"),
    ("request_payment_plan", "reason"): _("The party's financial difficulty"),
    ("demand", "served_on"): _("Demand served on"),
    ("pay_instalment", "paid_on"): _("Instalment paid on"),
    ("file_remedy", "kind"): _("Reconsideration or lawsuit"),
    ("file_remedy", "body"): _("Reconsideration body or court"),
    ("file_remedy", "filed_on"): _("Filed on"),
    ("resume", "ended_on"): _("Ended on"),
    ("resume", "outcome"): _("Outcome"),
    ("resume", "fine"): _("Changed fine (yuan)"),
    ("end_remedy", "ended_on"): _("Ended on"),
    ("end_remedy", "outcome"): _("Outcome"),
    ("end_remedy", "fine"): _("Changed fine (yuan)"),
    ("refund", "refunded_on"): _("Refunded on"),
    ("refund", "amount"): _("Amount refunded (yuan)"),
    ("refund", "reference"): _("Refund voucher number"),
}
# A hint that differs for one step: (step, field) → hint.
STEP_HINTS: dict[tuple[str, str], Any] = {
    ("file_remedy", "body"): _("The people's government that takes the reconsideration, or the court."),
    ("file_remedy", "filed_on"): _("Reconsideration within 60 days of service, a lawsuit within 6 months; the late "
                                   "fee does not run while it is pending."),
    ("resume", "ended_on"): _("The day of the reconsideration decision or of the judgment."),
    ("resume", "fine"): _("Only when the decision was changed: the fine as changed, not more than before. Leave "
                          "empty when the fine stays."),
    ("end_remedy", "ended_on"): _("The day of the reconsideration decision or of the judgment."),
    ("end_remedy", "fine"): _("Only when the decision was changed: the fine as changed, not more than before. "
                              "Leave empty when the fine stays."),
    ("refund", "amount"): _("Exactly the refund owed shown in the payment section."),
    ("refund", "reference"): _("The number of the voucher of the refund."),
}
FIELD_HINTS: dict[str, Any] = {
    "fine": _("Leave empty for a penalty without a fine."),
    "outside_band_reason": _("Only when the fine lies outside the chosen band."),
    "defence": _("Record what the party stated; the penalty may not be heavier because of it."),
    "hearing_at": _("At least 7 working days after today."),
    "paid_on": _("The late fee (3% a day after 15 days, at most the fine) is computed on saving."),
    "days": _("1 to 90 days, on the leader's approval."),
    "until": _("Only for a deferral: after the last of the 15 days to pay."),
    "instalments": _("Only for instalments: one a line, the day it falls due and the amount, e.g. 2025-11-15 500; "
                     "together exactly the fine."),
    "court": _("The people's court asked to enforce the decision."),
}
PRIMARY = ("approve_filing", "finish_investigation", "legal_review", "legal_review_after_hearing", "notify",
           "decide", "serve", "pay", "end_remedy", "refund", "close", "file", "resume")
DANGER = ("drop",)
STEP_KEYS = tuple(sorted({name for fields in (*STEP_FIELDS.values(), *STATE_STEP_FIELDS.values())
                          for name, _w in fields}))


def step_fields(action: str, state: str) -> list[tuple[str, str]]:
    """The fields of ``action``'s form in ``state`` (a reason for a step without its own)."""
    return STATE_STEP_FIELDS.get((action, state)) or STEP_FIELDS.get(action, [("reason", "textarea")])


# ---------------------------------------------------------------- access

def _staff(request: HttpRequest, page: str = "cases") -> User:
    """Staff with a role of the page; other staff 403, citizens and anyone else 404."""
    user = request.user
    if not isinstance(user, User) or user.kind != UserKind.STAFF:
        raise Http404
    if not policy.may_open(user, page):
        raise PermissionDenied(_g("Your roles do not allow this action."))
    return user


def _power_reader(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or user.kind != UserKind.STAFF:
        raise Http404
    if not (policy.may_open(user, "cases") or policy.may_keep_list(user)):
        raise PermissionDenied(_g("Your roles do not allow this action."))
    return user


def subnav(user: User) -> list[dict[str, Any]]:
    """The enforcement pages this user may open (the tabs above each page)."""
    links = []
    if policy.may_open(user, "cases"):
        links.append(("enforcement:cases", _("Penalty cases")))
        if user.has_role(Role.LEGAL_REVIEWER, Role.SUPERVISOR, Role.ADMIN):
            links.append(("enforcement:review_queue", _("Legal review queue")))
        if user.has_role(Role.LEADER, Role.SUPERVISOR, Role.ADMIN):
            links.append(("enforcement:approval_queue", _("Approvals")))
    if policy.may_open(user, "officers"):
        links += [("enforcement:officers", _("Enforcement officers")), ("enforcement:squads", _("Squads"))]
    if policy.may_open(user, "cases") or policy.may_keep_list(user):
        links.append(("enforcement:powers", _("Power list")))
    if policy_inspection.may_open(user):
        links.append(("enforcement_inspections:plans", _("Random inspections")))
    if policy.may_open(user, "followups"):
        links.append(("enforcement_followups:list", _("Supervision of approvals")))
    return [{"name": name, "label": label, "href": reverse(name)} for name, label in links]


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    assert isinstance(request.user, User)
    return render(request, template, {"subnav": subnav(request.user), **context}, status=status)


# ---------------------------------------------------------------- rows of the lists

def clock(row: PenaltyCase, now: datetime.datetime) -> dict[str, Any]:
    """The running time limit of a case: its light, the days left (negative: overdue), paused or not."""
    case = row.case
    if not case.deadline_live or case.deadline_due_at is None:
        return {"light": "", "days": None, "label": "", "paused": False, "due_at": None}
    from zhenwu.casework import deadlines

    at = case.paused_at or now
    light = deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at, at)
    days = (timezone.localdate(case.deadline_due_at) - timezone.localdate(at)).days
    return {"light": light, "days": days, "overdue": days < 0, "abs_days": abs(days), "paused": bool(case.paused_at),
            "label": CLOCK_LABELS.get(case.status, _("Time limit")), "due_at": case.deadline_due_at}


def case_row(row: PenaltyCase, now: datetime.datetime) -> dict[str, Any]:
    case = row.case
    return {"number": case.number, "procedure": row.procedure, "procedure_label": _procedure_short(row.procedure),
            "power": row.power_version.name, "party": row.party_name, "status": case.status,
            "status_label": state_label(case.process, case.status), "clock": clock(row, now),
            "penalty": row.get_penalty_kind_display() if row.penalty_kind else "", "fine": row.fine,
            "decision_number": row.decision_number, "created_at": case.created_at, "major": row.major}


def _procedure_short(value: str) -> Any:
    return _("Summary") if value == Procedure.SUMMARY else _("General")


def _procedure_full(value: str) -> Any:
    return _("Summary procedure") if value == Procedure.SUMMARY else _("General procedure")


def _params(query: QueryDict) -> dict[str, str]:
    out = {k: query.get(k, "").strip()[:100] for k in FILTERS}
    if out["procedure"] not in ("", *Procedure.values):
        out["procedure"] = ""
    if out["status"] not in ("", "open", *STATE_ORDER):
        out["status"] = ""
    return out


def _filtered(user: User, params: dict[str, str]) -> Any:
    return selectors.case_list(user=user, procedure=params["procedure"], status=params["status"], q=params["q"],
                               power=params["power"])


def _link(params: dict[str, str], **change: str) -> str:
    query = QueryDict(mutable=True)
    for key, value in {**params, **change}.items():
        if value:
            query[key] = value
    return query.urlencode()


def _state_name(key: str) -> Any:
    if key in TAB_LABELS:
        return TAB_LABELS[key]
    for proc in (process.GENERAL, process.SUMMARY):
        label = state_label(proc, key)
        if label != key:
            return label
    return key


COUNT_CAP = 1000  # a tab counts up to this many (then shows "1000+"): the list stays fast with 100,000 cases


def _capped_counts(qs: Any) -> dict[str, int]:
    """Rows of ``qs`` per state, each counted up to COUNT_CAP + 1, in one statement: one short index range per
    state (index ``penaltycase_list``: state, area, procedure) instead of counting every case of the scope."""
    from django.db import connections

    parts, params = [], []
    for key in STATE_ORDER:
        sql, p = qs.filter(status=key).order_by().values("status")[:COUNT_CAP + 1].query.sql_with_params()
        parts.append(f"SELECT %s, (SELECT COUNT(*) FROM ({sql}) capped)")
        params += [key, *p]
    with connections[qs.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {key: int(n) for key, n in cursor.fetchall()}


def _tabs(user: User, params: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Counts per status under the other filters (capped, one statement): the list's tabs."""
    found = _capped_counts(_filtered(user, {**params, "status": ""}))
    more = {k for k, n in found.items() if n > COUNT_CAP}
    grouped = {k: min(n, COUNT_CAP) for k, n in found.items()}
    total = sum(grouped.values())
    running = sum(grouped.get(k, 0) for k in selectors.OPEN_STATES)
    tabs = [{"key": "", "label": _("All"), "count": total, "more": bool(more)},
            {"key": "open", "label": _("Running"), "count": running, "more": bool(more & set(selectors.OPEN_STATES))}]
    tabs += [{"key": k, "label": _state_name(k), "count": grouped[k], "more": k in more}
             for k in STATE_ORDER if grouped.get(k)]
    for t in tabs:
        t["link"] = _link(params, status=str(t["key"]))
    counts = {"": total, "open": running, **grouped}
    return tabs, counts


def _power_choices() -> list[tuple[str, str]]:
    """Every active power (a few hundred; the select has a search box). Not "the powers my cases use": that
    is a scan of every case in the scope, and the list must stay fast with 100,000 cases."""
    return [(c, f"{n}（{c}）") for c, n in selectors.power_list().values_list("code", "name")]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """案件列表: status tabs with counts, filters (procedure, status, power, search), the clock, paging."""
    user = _staff(request)
    params = _params(request.GET)
    tabs, counts = _tabs(user, params)
    paginator = Paginator(_filtered(user, params), PAGE_SIZE)
    paginator.__dict__["count"] = counts.get(params["status"], 0)  # known from the tabs: no second count
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [case_row(r, now) for r in page.object_list]
    context = {"params": params, "tabs": tabs, "rows": rows, "page": page, "query": _link(params),
               "capped": next((t["more"] for t in tabs if t["key"] == params["status"]), False), "cap": COUNT_CAP,
               "filtered": any(v for k, v in params.items() if k != "status"),
               "procedures": [(p, _procedure_full(p)) for p in Procedure.values],
               "powers": _power_choices(), "can_file": user.has_role(Role.ENFORCEMENT_OFFICER)}
    return _render(request, "enforcement/staff/cases.html", context)


EXPORT_COLUMNS = (_("Penalty case number"), _("Procedure"), _("Penalty power"), _("Party"), _("Status"),
                  _("Time limit"), _("Penalty"), _("Fine (yuan)"), _("Decision number"), _("Opened"))


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx (every row of the filter); strings stay text."""
    from openpyxl import Workbook

    user = _staff(request)
    qs = _filtered(user, _params(request.GET))
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Penalty cases")))
    sheet.append([str(c) for c in EXPORT_COLUMNS])
    now = timezone.now()
    for row in qs.iterator(chunk_size=1000):
        r = case_row(row, now)
        sheet.append(safe_row(sheet, [r["number"], str(_procedure_full(r["procedure"])), r["power"], r["party"],
                                      str(r["status_label"]), _clock_text(r["clock"]), str(r["penalty"]),
                                      str(r["fine"] or ""), r["decision_number"],
                                      timezone.localtime(r["created_at"]).strftime("%Y-%m-%d %H:%M")]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument."
                                                         "spreadsheetml.sheet")
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="penalty-cases-{stamp}.xlsx"'
    return response


def _clock_text(c: dict[str, Any]) -> str:
    if c["days"] is None:
        return ""
    if c["paused"]:
        return _g("paused, %(n)s days left") % {"n": c["days"]}
    if c["overdue"]:
        return _g("%(n)s days overdue") % {"n": c["abs_days"]}
    return _g("%(n)s days left") % {"n": c["days"]}


# ---------------------------------------------------------------- queues

@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """法制审核: the legal reviewer's cases to review, oldest first."""
    user = _staff(request)
    now = timezone.now()
    qs = selectors.review_queue(user=user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [case_row(r, now) for r in page.object_list]
    return _render(request, "enforcement/staff/review_queue.html", {"rows": rows, "page": page})


APPROVAL_SECTIONS = (("registered", _("Waiting for approval of filing (立案审批)")),
                     ("notice", _("Waiting for the penalty decision")),
                     ("hearing", _("Hearing held: end it to continue")),
                     ("paid", _("Paid: waiting to be closed (结案)")))
SECTION_MAX = 50


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """The leader's queue: 立案审批, decisions, the end of hearings, 结案."""
    user = _staff(request)
    now = timezone.now()
    qs = selectors.approval_queue(user=user)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("*")))
    sections = []
    for key, label in APPROVAL_SECTIONS:
        rows = []
        for pc in qs.filter(status=key)[:SECTION_MAX]:
            rows.append({**case_row(pc, now), "defence_until": pc.defence_until,
                         "defence_over": pc.defence_until is None or pc.defence_until < today()})
        sections.append({"key": key, "label": label, "rows": rows, "count": counts.get(key, 0)})
    return _render(request, "enforcement/staff/approval_queue.html",
                   {"sections": sections, "total": sum(counts.values()), "section_max": SECTION_MAX})


# ---------------------------------------------------------------- new cases

def _area_choices(user: User) -> list[tuple[str, str]]:
    """Villages and grids in the user's scope (where the violation happened)."""
    prefix = scope_prefix(user)
    if prefix is None:
        return []
    rows = Area.objects.filter(code__startswith=prefix, level__in=(AreaLevel.VILLAGE, *GRID_LEVELS)).order_by("code")
    return [(a.code, ("　" if a.level != AreaLevel.VILLAGE else "") + a.name) for a in rows[:500]]


def _officer_choices(user: User) -> list[dict[str, Any]]:
    """Officers of the user's scope: those with a certificate valid today can be chosen; the rest are shown
    greyed with the reason. Declared conflicts are counted (the service refuses one for this party)."""
    on = today()
    out = []
    for o in selectors.officer_scope(user=user).annotate(n_conflicts=Count("conflicts")).order_by("user__full_name"):
        out.append({"id": o.pk, "name": o.user.full_name or o.user.username, "number": o.certificate_number,
                    "valid": o.certificate_valid_on(on), "until": o.certificate_valid_until,
                    "conflicts": o.n_conflicts, "me": o.user_id == user.pk})
    return out


NEW_KEYS = ("power", "party_name", "id_number", "uscc", "area_code", "facts", "source", "penalty_kind",
            "fine", "cash_on_spot")
# The service's field → the form's field.
NEW_FIELD_MAP = {"party.name": "party_name", "party.id_number": "id_number", "party.uscc": "uscc",
                 "party": "id_number", "penalty": "penalty_kind"}


def _new_errors(exc: FieldError, keys: Iterable[str]) -> tuple[dict[str, str], str]:
    errors: dict[str, str] = {}
    error = ""
    for field, message in exc.errors:
        name = NEW_FIELD_MAP.get(field or "", (field or "").split(".")[0])
        if name in keys:
            errors.setdefault(name, str(message))
        else:
            error = error or str(message)
    return errors, error


def _party(values: dict[str, str]) -> Any:
    from zhenwu.enforcement.services.cases import Party

    return Party(values["party_name"], id_number=values["id_number"], uscc=values["uscc"])


def _new_context(user: User, values: dict[str, Any], errors: dict[str, str], error: str) -> dict[str, Any]:
    powers = selectors.power_list().values_list("code", "name")
    return {"values": values, "errors": errors, "error": error, "areas": _area_choices(user), "powers": powers,
            "sources": CaseSource.choices, "officer_row": policy.officer_of(user),
            "summary_max_citizen": settings.ENFORCEMENT_SUMMARY_MAX_CITIZEN,
            "summary_max_org": settings.ENFORCEMENT_SUMMARY_MAX_ORGANISATION,
            "cash_max": settings.ENFORCEMENT_CASH_ON_SPOT_MAX,
            "min_investigators": settings.ENFORCEMENT_MIN_INVESTIGATORS}


def _filer(request: HttpRequest) -> User:
    user = _staff(request)
    if not user.has_role(Role.ENFORCEMENT_OFFICER):
        raise PermissionDenied(_g("Only enforcement officers file penalty cases."))
    return user


@login_required
def case_new_summary(request: HttpRequest) -> HttpResponse:
    """简易程序: a warning or a small fine decided on the spot; the numbered decision form follows."""
    from zhenwu.enforcement.services.cases import summary_decide

    user = _filer(request)
    values: dict[str, Any] = {k: request.POST.get(k, "").strip() for k in NEW_KEYS}
    errors: dict[str, str] = {}
    error, status = "", 200
    if request.method != "POST":
        values.update(penalty_kind=PenaltyKind.FINE, source=CaseSource.PATROL,
                      power=request.GET.get("power", "")[:40])
    else:
        status = 400
        try:
            row = summary_decide(actor=user, power_code=values["power"], party=_party(values),
                                 area_code=values["area_code"], facts=values["facts"],
                                 penalty_kind=values["penalty_kind"], fine=values["fine"] or None,
                                 cash_on_spot=bool(values["cash_on_spot"]), source=values["source"])
        except FieldError as exc:  # Forbidden and NotFound (the area) too: their message above the form
            errors, error = _new_errors(exc, NEW_KEYS)
            status = exc.status
        else:
            messages.success(request, _g("Case %(number)s was decided on the spot; print the decision form.")
                             % {"number": row.case.number})
            return redirect("enforcement:case", number=row.case.number)
    context = _new_context(user, values, errors, error)
    context["penalties"] = [(PenaltyKind.FINE.value, PenaltyKind.FINE.label),
                            (PenaltyKind.WARNING.value, PenaltyKind.WARNING.label)]
    return _render(request, "enforcement/staff/new_summary.html", context, status=status)


@login_required
def case_new_general(request: HttpRequest) -> HttpResponse:
    """普通程序: the 立案 request with its investigators, for the leader's approval."""
    from zhenwu.enforcement.services.cases import general_open

    user = _filer(request)
    keys = (*NEW_KEYS, "investigators")
    values: dict[str, Any] = {k: request.POST.get(k, "").strip() for k in NEW_KEYS}
    picked = [v for v in request.POST.getlist("investigators") if v.isdigit()]
    errors: dict[str, str] = {}
    error, status = "", 200
    if request.method != "POST":
        mine = policy.officer_of(user)
        picked = [str(mine.pk)] if mine else []
        values.update(source=CaseSource.PATROL, power=request.GET.get("power", "")[:40])
    else:
        status = 400
        try:
            row = general_open(actor=user, power_code=values["power"], party=_party(values),
                               area_code=values["area_code"], facts=values["facts"],
                               investigators=[int(v) for v in picked], source=values["source"])
        except FieldError as exc:  # Forbidden and NotFound (the area) too: their message above the form
            errors, error = _new_errors(exc, keys)
            status = exc.status
        else:
            messages.success(request, _g("Case %(number)s was registered and waits for the approval of filing.")
                             % {"number": row.case.number})
            return redirect("enforcement:case", number=row.case.number)
    context = _new_context(user, values, errors, error)
    context.update(officers=_officer_choices(user), picked=picked)
    return _render(request, "enforcement/staff/new_general.html", context, status=status)


# ---------------------------------------------------------------- the case page

def _get(request: HttpRequest, number: str) -> tuple[User, PenaltyCase]:
    user = _staff(request)
    try:
        return user, selectors.case_get(user=user, number=number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _action_label(row: PenaltyCase, key: str) -> str:
    case = row.case
    if key == process.EXTEND:
        return _g("Extend the time limit")
    # ``resume``: the pause's own label; ``pay_instalment`` in a remedy: the process's action of that state
    act = process_get(case.process).action_for(process.process_key(key, case.status), case.status)
    return str(act.label) if act else key


def _required(row: PenaltyCase, key: str) -> tuple[str, ...]:
    if key == process.EXTEND:
        return ("days", "reason")
    act = process_get(row.case.process).action_for(process.process_key(key, row.case.status), row.case.status)
    return act.required if act else ()


def _action_forms(user: User, row: PenaltyCase, bound: dict[str, Any] | None) -> list[dict[str, Any]]:
    keys = selectors.case_actions(user=user, row=row)
    primary = next((k for k in keys if k in PRIMARY), None)
    out = []
    for key in keys:
        required = _required(row, key)
        fields = [{"name": n, "widget": w, "label": STEP_LABELS.get((key, n), FIELD_LABELS.get(n, n)),
                   "hint": STEP_HINTS.get((key, n), FIELD_HINTS.get(n, "")),
                   "required": n in required} for n, w in step_fields(key, row.case.status)]
        mine = bound is not None and bound["key"] == key
        values = dict(bound["values"]) if mine and bound else _defaults(row, key)
        for f in fields:
            f["value"] = values.get(f["name"], "")
            f["error"] = (bound or {}).get("errors", {}).get(f["name"], "") if mine else ""
        group = "primary" if key == primary else "danger" if key in DANGER else "more"
        out.append({"key": key, "label": _action_label(row, key), "fields": fields, "group": group,
                    "url": reverse("enforcement:case_act", kwargs={"number": row.case.number, "action": key})})
    return sorted(out, key=lambda a: ("primary", "more", "danger").index(a["group"]))


def _defaults(row: PenaltyCase, key: str) -> dict[str, Any]:
    """What a step's form starts with: the prior notice's penalty at the decision, today's date."""
    day = today().isoformat()
    if key == "decide":
        return {"penalty": row.noticed_penalty_kind, "fine": _plain(row.noticed_fine), "band": row.band}
    if key == "serve":
        return {"served_on": day, "method": str(SERVICE_METHODS[0])}
    if key == "pay":
        return {"paid_on": day}
    if key == "hold_hearing":
        return {"requested_on": day}
    if key == "request_payment_plan":
        return {"requested_on": day, "kind": "deferral"}
    if key in ("pay_instalment", "demand"):
        return {"paid_on" if key == "pay_instalment" else "served_on": day}
    if key == "file_remedy":
        return {"kind": RemedyKind.RECONSIDERATION.value, "filed_on": day}
    if key == "end_remedy" or (key == "resume" and row.case.status == process.REMEDY):
        return {"ended_on": day}
    if key == process.REFUND:
        from zhenwu.enforcement.services.payments import refund_owed

        return {"refunded_on": day, "amount": _plain(refund_owed(row))}
    return {}


def _plain(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _timeline(row: PenaltyCase) -> list[dict[str, Any]]:
    out = []
    proc = row.case.process
    for e in AuditEntry.objects.filter(subject=row.case.number).order_by("seq"):
        fields = (e.data or {}).get("fields") or {}
        note = " ".join(str(fields[k]) for k in ("opinion", "report", "reason", "defence", "method")
                        if fields.get(k))
        if e.action == "create":
            label = _g("Case opened")
        elif e.action == "attachment_add":
            label = _g("Evidence added")
        elif e.action.startswith(f"{process.EXTEND}_"):
            label = _g("Extend the time limit")
            note = (_g("%(days)s days") % {"days": fields.get("days", "")}) + (f" {note}" if note else "")
        else:
            label = action_label(proc, e.action, e.from_state)
        out.append({"at": e.created_at, "actor": e.actor_name, "action": label,
                    "to": state_label(proc, e.to_state) if e.to_state and e.to_state != e.from_state else "",
                    "note": note or e.reason, "fine": fields.get("fine"), "seq": e.seq})
    return out


def _evidence(row: PenaltyCase) -> list[dict[str, Any]]:
    links = CaseAttachment.objects.filter(case=row.case).select_related("attachment", "uploaded_by").order_by(
        "uploaded_at", "pk")
    out = []
    for link in links:
        name, _sep, place = link.name.partition(" @ ")
        a = link.attachment
        out.append({"name": name, "place": place, "sha": a.sha256, "size": a.size, "type": a.content_type,
                    "url": ATTACHMENT_URL.format(sha=a.sha256), "image": a.content_type.startswith("image/"),
                    "thumb": ATTACHMENT_URL.format(sha=a.sha256) + ("?thumbnail=true" if a.thumbnail_name else ""),
                    "by": str(link.uploaded_by or ""), "at": link.uploaded_at})
    return out


def _payment(row: PenaltyCase) -> dict[str, Any] | None:
    """The money of a served case with a fine: the plans asked for and their answers, the next day due, the
    late fee today and the window to ask the court (read from ``services.payments``)."""
    from zhenwu.enforcement.services import payments

    if not row.fine or not row.served_on:
        return None
    window = payments.court_window(row) if not row.paid_on else None
    return {"plans": list(row.payment_plans.prefetch_related("instalments").select_related("requested_by",
                                                                                             "decided_by")),
            "next_due": payments.next_due(row), "late_fee": payments.late_fee_now(row, on=today()),
            "court_from": window[0] if window else None, "court_until": window[1] if window else None,
            "refund_owed": payments.refund_owed(row),
            "refunds": [r for r in row.remedies.all() if r.refund]}


def case_context(user: User, row: PenaltyCase, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    from zhenwu.enforcement.views_records import record_links

    case = row.case
    v = row.power_version
    actions = _action_forms(user, row, bound)
    terminal = process_get(case.process).states.get(case.status)
    return {
        "row": row, "case": case, "v": v, "status_label": state_label(case.process, case.status),
        "procedure_label": row.get_procedure_display(), "clock": clock(row, timezone.now()),
        "party_number": row.party_uscc or mask_id_number(row.party_id_number),
        "investigators": list(row.investigators.select_related("user")), "bands": list(v.bands.all()),
        "timeline": _timeline(row), "evidence": _evidence(row), "actions": actions,
        "primary": [a for a in actions if a["group"] == "primary"],
        "more": [a for a in actions if a["group"] == "more"], "danger": [a for a in actions if a["group"] == "danger"],
        "bound_action": bound["key"] if bound else "", "bound_error": bound.get("error") if bound else "",
        "penalties": PenaltyKind.choices, "methods": [str(m) for m in SERVICE_METHODS],
        "plan_kinds": PaymentPlanKind.choices, "remedy_kinds": RemedyKind.choices,
        "remedy_outcomes": RemedyOutcome.choices, "records": record_links(user, row), "payment": _payment(row),
        "can_add_evidence": (user.has_role(Role.ENFORCEMENT_OFFICER) and not (terminal and terminal.terminal)),
        "decision_pdf": DECISION_PDF_URL.format(number=case.number)
        if row.procedure == Procedure.SUMMARY and row.decided_on else "",
        "evidence_max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "documents": [(doc, document_url(row, doc)) for doc in row.documents.order_by("issued_at", "id")],
        "archive_url": (f"/api/v1/enforcement/cases/{case.number}/archive.zip"
                        if archive_final(row) or user.has_role(Role.LEADER) else ""),
        "archive_final": archive_final(row),
    }


@login_required
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    user, row = _get(request, number)
    return _render(request, "enforcement/staff/case.html", case_context(user, row))


def _step_values(request: HttpRequest, action: str, state: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, widget in step_fields(action, state):
        raw = request.POST.get(name, "").strip()
        if widget == "check":
            values[name] = bool(raw)
        elif raw:
            values[name] = raw
    return values


def _service_fields(action: str, values: dict[str, Any]) -> dict[str, Any]:
    """The step's fields as the service takes them: the instalments' lines ("2025-11-15 500") as a list of
    {due_on, amount} (the service checks the days and amounts), and only the one a plan's kind needs."""
    fields = dict(values)
    if action == "request_payment_plan":
        lines = [line.replace("，", " ").replace(",", " ").split() for line in
                 str(fields.pop("instalments", "")).splitlines() if line.strip()]
        if fields.get("kind") == "instalments":
            fields["instalments"] = [{"due_on": p[0], "amount": p[1] if len(p) > 1 else ""} for p in lines]
            fields.pop("until", None)
    return fields


@login_required
@require_POST
def case_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One step through the service; on a refusal the page again with the message on that step's form."""
    from zhenwu.enforcement.services.cases import case_act as act

    user, row = _get(request, number)
    values = _step_values(request, action, row.case.status)
    version = request.POST.get("expected_version", "")
    offered = selectors.case_actions(user=user, row=row)
    errors: dict[str, str] = {}
    error, status = "", 400
    if action not in offered:
        error, status = _g("This action is not possible for you in the case's current state."), 403
    else:
        try:
            act(actor=user, number=number, action=action, fields=_service_fields(action, values),
                reason=str(values.get("reason", "")) if action == process.EXTEND else "",
                expected_version=int(version) if version.isdigit() else None)
        except Conflict:
            error, status = _g("Someone else changed this case meanwhile; reload the page and try again."), 409
        except (Forbidden, NotFound) as exc:
            error, status = str(exc.errors[0][1]) if exc.errors else _g("Not found."), exc.status
        except FieldError as exc:
            status = exc.status
            for field, message in exc.errors:
                name = (field or "").removeprefix("fields.").split("[")[0]
                if name in STEP_KEYS and name in {n for n, _w in step_fields(action, row.case.status)}:
                    errors.setdefault(name, str(message))
                else:
                    error = error or str(message)
        else:
            messages.success(request, _g("Done: %(action)s.") % {"action": _action_label(row, action)})
            return redirect("enforcement:case", number=number)
    _user, fresh = _get(request, number)  # re-read: the refused step left the case as it was
    bound = {"key": action, "values": {k: ("on" if v is True else v) for k, v in values.items()}, "errors": errors,
             "error": error}
    return _render(request, "enforcement/staff/case.html", case_context(user, fresh, bound), status=status)


@login_required
@require_POST
def case_evidence(request: HttpRequest, number: str) -> HttpResponse:
    """证据: a photo, document or video, stored under its SHA-256 with the time (and the place given)."""
    from zhenwu.enforcement.services.cases import evidence_add

    user, row = _get(request, number)
    upload = request.FILES.get("file")
    error = ""
    if upload is None:
        error = _g("Choose a file.")
    elif (upload.size or 0) > settings.ATTACHMENT_MAX_BYTES:
        error = _g("The file is too large.")
    else:
        try:
            evidence_add(actor=user, number=number, data=upload.read(), name=upload.name or "",
                         place=request.POST.get("place", "")[:100], request_id=_rid(request))
        except (FieldError, Forbidden, NotFound) as exc:
            error = str(exc.errors[0][1]) if exc.errors else _g("Not found.")
        else:
            messages.success(request, _g("The evidence was added with its fingerprint and time."))
            return redirect(reverse("enforcement:case", kwargs={"number": number}) + "#evidence")
    messages.error(request, error)
    return redirect(reverse("enforcement:case", kwargs={"number": number}) + "#evidence")


# ---------------------------------------------------------------- officers and squads

def certificate_state(o: Officer, on: datetime.date) -> tuple[str, Any]:
    if on < o.certificate_valid_from:
        return "future", _("Not yet valid")
    if on > o.certificate_valid_until:
        return "expired", _("Expired")
    if (o.certificate_valid_until - on).days <= EXPIRING_DAYS:
        return "expiring", _("Expires soon")
    return "valid", _("Valid")


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    """执法人员: certificates (expired and expiring highlighted), squads, declared conflicts."""
    user = _staff(request, "officers")
    on = today()
    officers = list(selectors.officer_scope(user=user).prefetch_related("conflicts")
                    .order_by("squad__name", "user__full_name", "pk")[:500])
    rows = []
    for o in officers:
        state, label = certificate_state(o, on)
        rows.append({"o": o, "name": o.user.full_name or o.user.username, "state": state, "state_label": label,
                     "days_left": (o.certificate_valid_until - on).days,
                     "conflicts": [{"name": c.party_name, "kind": c.get_kind_display(),
                                    "number": c.uscc or mask_id_number(c.id_number), "note": c.note}
                                   for c in o.conflicts.all()]})
    states = [r["state"] for r in rows]
    declarable = [o for o in officers if o.user_id == user.pk or user.has_role(Role.LEADER, Role.ADMIN)]
    context = {"rows": rows, "expired": states.count("expired"), "expiring": states.count("expiring"),
               "expiring_days": EXPIRING_DAYS, "declarable": declarable, "kinds": ConflictKind.choices,
               "values": {}, "errors": {}, "error": ""}
    return _render(request, "enforcement/staff/officers.html", context)


CONFLICT_KEYS = ("officer", "kind", "party_name", "id_number", "uscc", "note")


@login_required
@require_POST
def conflict_add(request: HttpRequest) -> HttpResponse:
    """回避申报 from the officers' page: the officer themself, or a leader for them."""
    from zhenwu.enforcement.services.officers import conflict_declare

    user = _staff(request, "officers")
    values = {k: request.POST.get(k, "").strip()[:200] for k in CONFLICT_KEYS}
    try:
        officer_id = int(values["officer"])
    except ValueError:
        messages.error(request, _g("Choose the officer."))
        return redirect("enforcement:officers")
    try:
        conflict_declare(actor=user, officer_id=officer_id, kind=values["kind"], party_name=values["party_name"],
                         id_number=values["id_number"], uscc=values["uscc"], note=values["note"])
    except (FieldError, Forbidden, NotFound) as exc:
        messages.error(request, str(exc.errors[0][1]) if exc.errors else _g("Not found."))
    else:
        messages.success(request, _g("The conflict of interest was recorded: the officer may not handle this "
                                     "party's cases."))
    return redirect("enforcement:officers")


@login_required
def squad_list(request: HttpRequest) -> HttpResponse:
    """执法中队: area, grids, officers and how many of them may act today."""
    user = _staff(request, "officers")
    on = today()
    squads = list(selectors.squad_list(user=user))
    counts: dict[int, list[Officer]] = {}
    for o in Officer.objects.filter(squad__in=squads).select_related("user"):
        assert o.squad_id is not None
        counts.setdefault(o.squad_id, []).append(o)
    rows = [{"s": s, "grids": [g.name for g in s.grids.all()], "officers": len(counts.get(s.pk, [])),
             "valid": sum(o.certificate_valid_on(on) for o in counts.get(s.pk, [])),
             "names": "、".join(o.user.full_name or o.user.username for o in counts.get(s.pk, []))} for s in squads]
    unassigned = selectors.officer_scope(user=user).filter(squad__isnull=True).count()
    return _render(request, "enforcement/staff/squads.html", {"rows": rows, "unassigned": unassigned})


# ---------------------------------------------------------------- the power list (staff)

POWER_PAGE = 30


@login_required
def power_list(request: HttpRequest) -> HttpResponse:
    """权责清单 for staff: search, department, the current version; versions, import and export one click away."""
    user = _power_reader(request)
    q, department = request.GET.get("q", "").strip()[:100], request.GET.get("department", "")
    if department not in OriginDepartment.values:
        department = ""
    qs = selectors.power_list(q=q, department=department).annotate(n_versions=Count("versions"))
    page = Paginator(qs, POWER_PAGE).get_page(request.GET.get("page"))
    query = _link({"q": q, "department": department})
    return _render(request, "enforcement/staff/powers.html", {
        "page": page, "q": q, "department": department, "departments": OriginDepartment.choices, "query": query,
        "can_import": policy.may_keep_list(user), "export_url": EXPORT_URL, "can_file": user.has_role(
            Role.ENFORCEMENT_OFFICER)})


@login_required
def power_versions(request: HttpRequest, code: str) -> HttpResponse:
    """One power with every version (newest first): basis, parties, bands and responsibilities."""
    _power_reader(request)
    try:
        power = selectors.power_get(code=code)
        versions = list(selectors.power_versions(code=code))
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    bands = {v.pk: sorted(v.bands.all(), key=lambda b: [str(x) for x in BAND_ORDER].index(b.level)) for v in versions}
    rows = [{"v": v, "bands": bands[v.pk], "duties": list(v.responsibilities.all())} for v in versions]
    return _render(request, "enforcement/staff/power.html", {"power": power, "rows": rows})


@login_required
def power_import(request: HttpRequest) -> HttpResponse:
    """Import the county's power-list sheet: a dry run by default lists every bad row; all or nothing."""
    from zhenwu.enforcement.services.io import COLUMNS, powers_import

    user = _power_reader(request)
    if not policy.may_keep_list(user):
        raise PermissionDenied(_g("Only legal reviewers, leaders and administrators keep the power list."))
    report, error, status = None, "", 200
    dry_run = True
    if request.method == "POST":
        dry_run = bool(request.POST.get("dry_run"))
        upload = request.FILES.get("file")
        if upload is None:
            error, status = _g("Choose a file."), 400
        elif (upload.size or 0) > settings.REGISTRY_IMPORT_MAX_BYTES:
            error, status = _g("The file is too large."), 400
        else:
            try:
                report = powers_import(actor=user, data=upload.read(), dry_run=dry_run)
            except (FieldError, Forbidden) as exc:
                error, status = str(exc.errors[0][1]) if exc.errors else "", exc.status
            else:
                status = 400 if report.errors else 200
                if not report.errors and not report.dry_run:
                    messages.success(request, _g("The power list was imported: %(written)s new versions, "
                                                 "%(unchanged)s unchanged.")
                                     % {"written": report.written, "unchanged": report.unchanged})
    return _render(request, "enforcement/staff/power_import.html", {
        "report": report, "error": error, "dry_run": dry_run, "columns": COLUMNS, "export_url": EXPORT_URL},
        status=status)
