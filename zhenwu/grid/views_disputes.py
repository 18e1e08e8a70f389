"""Staff pages of 矛盾纠纷 and 走访: the dispute list, a dispute's page with exactly the steps allowed now,
and a household's visit history (linked from the household's registry page by its plain URL)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu import charts
from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user
from zhenwu.accounts.masking import mask_id_number, mask_mobile
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.models import Area
from zhenwu.casework.process import action_label, process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.grid import dispute_process as dp
from zhenwu.grid import policy_disputes as policy
from zhenwu.grid import selectors_disputes as selectors
from zhenwu.grid import selectors_visits
from zhenwu.grid.choices import EscalationLevel
from zhenwu.grid.choices_disputes import DisputeKind, ReferralTarget, SessionResult
from zhenwu.grid.services import disputes as services
from zhenwu.registry.choices import RiskLevel

PAGE_SIZE = 30
# The text each step asks for (its required fields) and how the form labels it.
FIELD_LABELS = {"reason": _("Reason"), "agreement": _("Agreed terms"), "record": _("Follow-up visit record"),
                "referral_to": _("Referred to")}


def _reader(request: HttpRequest) -> User:
    user = request_user(request)
    if policy.may_read(user):
        return user
    if user.kind == "staff" and user.scope_code:
        raise PermissionDenied
    raise Http404


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    f = {k: request.GET.get(k, "") for k in ("status", "kind", "level", "q")}
    try:
        qs = selectors.dispute_list(user=user, status=f["status"], kind=f["kind"], level=f["level"], q=f["q"][:100])
    except FieldError:
        qs = selectors.dispute_list(user=user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    states = [(s.key, s.label) for s in process_get(dp.PROCESS).states.values()]
    for row in page.object_list:
        row.status_label = dict(states).get(row.case.status, row.case.status)  # type: ignore[attr-defined]
    return render(request, "grid/disputes/list.html", {
        "page": page, "f": f, "states": states, "kinds": DisputeKind.choices,
        "levels": [c for c in EscalationLevel.choices if c[0] in policy.LEVELS]})


PARTY_FIELDS = ("name", "id_number", "mobile", "address")


def _new_parties(data: Any) -> list[dict[str, Any]]:
    """The form's two parties (申请人 a_*, 被申请人 r_*) as the service takes them."""
    return [{"role": role, **{f: data.get(f"{prefix}_{f}", "") for f in PARTY_FIELDS}}
            for role, prefix in (("applicant", "a"), ("respondent", "r"))]


@login_required
def dispute_new(request: HttpRequest) -> HttpResponse:
    """登记 a dispute with one applicant and one respondent (more parties through the API)."""
    user = _reader(request)
    if not policy.may_file_somewhere(user):
        raise PermissionDenied
    error, data = "", request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            d = services.dispute_create(actor=user, grid_code=data.get("grid_code", ""), kind=data.get("kind", ""),
                                        risk=data.get("risk", "low"), description=data.get("description", ""),
                                        address=data.get("address", ""), parties=_new_parties(data),
                                        request_id=_rid(request))
            return redirect("grid_disputes:dispute", number=d.case.number)
        except FieldError as exc:
            error = exc.text("zh-hans")
    grids = restrict(Area.objects.filter(level__in=services.GRID_LEVELS), user, field="code").order_by("code")
    return render(request, "grid/disputes/new.html", {
        "error": error, "data": data, "grids": grids.values_list("code", "name"), "kinds": DisputeKind.choices,
        "risks": RiskLevel.choices})


def _form_actions(user: User, dispute: Any) -> list[dict[str, Any]]:
    out = []
    for a in selectors.dispute_actions(user=user, dispute=dispute):
        if a["key"] == selectors.SESSION:
            continue
        out.append({**a, "fields": [(name, FIELD_LABELS.get(name, name)) for name in a["required"]]})
    return out


@login_required
def dispute_page(request: HttpRequest, number: str) -> HttpResponse:
    user = _reader(request)
    try:
        dispute = selectors.dispute_get(user=user, number=number)
    except NotFound as exc:
        raise Http404 from exc
    actions = selectors.dispute_actions(user=user, dispute=dispute)
    timeline = [(e, action_label(dispute.case.process, e.action, e.from_state))
                for e in selectors.dispute_timeline(dispute=dispute)]
    parties = [{"p": p, "id": mask_id_number(p.id_number) if len(p.id_number) == 18 and p.resident_id else p.id_number,
                "mobile": mask_mobile(p.mobile) if p.mobile else ""} for p in dispute.parties.all()]
    return render(request, "grid/disputes/case.html", {
        "d": dispute, "case": dispute.case, "status_label": process_get(dispute.case.process).state_label(
            dispute.case.status), "parties": parties, "sessions": dispute.sessions.all(), "timeline": timeline,
        "actions": _form_actions(user, dispute), "can_session": any(a["key"] == selectors.SESSION for a in actions),
        "results": SessionResult.choices, "referrals": ReferralTarget.choices})


@login_required
@require_POST
def dispute_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    """One step from the dispute's page; a refusal is shown on the page, the dispute unchanged."""
    user = _reader(request)
    try:
        dispute = selectors.dispute_get(user=user, number=number)
    except NotFound as exc:
        raise Http404 from exc
    data = request.POST
    try:
        if action == selectors.SESSION:
            services.dispute_session_add(actor=user, dispute=dispute, held_on=_date(data.get("held_on", "")),
                                         place=data.get("place", ""), minutes=data.get("minutes", ""),
                                         result=data.get("result", ""), request_id=_rid(request))
        elif action in services.STEPS:
            step_fields = {name: data.get(name, "") for name in process_get(dp.PROCESS).actions[action].required}
            version = data.get("expected_version", "")
            step: Any = services.STEPS[action]
            step(actor=user, dispute=dispute, request_id=_rid(request),
                 expected_version=int(version) if version.isdigit() else None, **step_fields)
        else:
            raise Http404
    except FieldError as exc:
        messages.error(request, exc.text("zh-hans"))
    return redirect("grid_disputes:dispute", number=number)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError("held_on", _("Give the date as YYYY-MM-DD.")) from exc


@login_required
def household_visits(request: HttpRequest, household_id: int) -> HttpResponse:
    """走访记录 of one household, newest first (404 outside the scope)."""
    user = _reader(request)
    try:
        home, visits = selectors_visits.household_visits(user=user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "grid/visits/household.html", {"home": home, "page": page})


@login_required
def visit_coverage(request: HttpRequest) -> HttpResponse:
    """走访覆盖率: per grid of my scope, households visited in the month / households (chart and table)."""
    user = _reader(request)
    month = request.GET.get("month", "") or selectors_visits.current_month()
    try:
        rows = selectors_visits.visit_coverage(user=user, month=month)
        error = ""
    except FieldError as exc:
        rows, error, month = [], exc.text("zh-hans"), selectors_visits.current_month()
    chart = charts.Chart(key="visit-coverage", title=str(_("Visit coverage by grid")), kind="hbar",
                         categories=[r["grid_name"] for r in rows],
                         series=[charts.Series(str(_("Coverage")), [round(100 * r["coverage"], 1) for r in rows],
                                               unit="%"),
                                 charts.Series(str(_("Households visited")), [r["visited"] for r in rows],
                                               table_only=True),
                                 charts.Series(str(_("Households")), [r["households"] for r in rows],
                                               table_only=True)],
                         note=str(_("Households visited at least once in the month, of the households in the grid.")))
    return render(request, "grid/visits/coverage.html", {"chart": chart, "month": month, "error": error})
