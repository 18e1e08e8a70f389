"""Pages of 双随机一公开. Public (namespace ``enforcement_public``): announced plans, published results and the
draw's inputs. Staff (namespace ``enforcement_inspections``, /enforcement/inspections/): the plans of my scope,
a new plan, a plan's page with exactly the steps I may take now, and my inspection tasks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from zhenwu.accounts.http import request_user
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.models import Area
from zhenwu.enforcement import draw as d
from zhenwu.enforcement import policy_inspection as ip
from zhenwu.enforcement import selectors_inspection as sel
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models import InspectionItem
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionResult, PlanStatus, Tristate
from zhenwu.enforcement.services import inspections as svc
from zhenwu.enforcement.views_staff import subnav
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.choices import RiskLevel

PAGE_SIZE = 30


# --- public ---------------------------------------------------------------------------------------

def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(sel.public_plans().prefetch_related("items"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "enforcement/inspections/public_list.html", {"page": page})


def public_detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        plan = sel.public_plan_get(number=number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    shown = sel.results_public(plan)
    frozen = plan.draw_inputs or {"candidates": {"flagged": [], "ordinary": []}}
    return render(request, "enforcement/inspections/public_detail.html", {
        "plan": plan, "shown": shown, "targets": plan.targets.order_by("position") if shown else [],
        "candidates": sum(len(v) for v in frozen["candidates"].values()),
        "late": bool(plan.publish_due and plan.published_at
                     and timezone.localdate(plan.published_at) > plan.publish_due)})


public_urlpatterns = [
    path("inspections/", public_list, name="inspections"),
    path("inspections/<str:number>/", public_detail, name="inspection"),
]


# --- staff ----------------------------------------------------------------------------------------

def _reader(request: HttpRequest) -> User:
    user = request_user(request)
    if ip.may_open(user):
        return user
    if user.kind == "staff" and user.scope_code:
        raise PermissionDenied
    raise Http404


def _plan(user: User, number: str) -> InspectionPlan:
    try:
        return sel.plan_get(user=user, number=number)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    status = request.GET.get("status", "")
    page = Paginator(sel.plan_list(user=user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    tasks = list(sel.officer_tasks(user=user)[:50])
    return render(request, "enforcement/inspections/list.html", {
        "page": page, "subnav": subnav(user), "status": status, "states": PlanStatus.choices, "tasks": tasks,
        "may_create": ip.may_create(user), "today": today()})


def _form_values(data: Any) -> dict[str, Any]:
    complaints = data.get("min_complaints", "0").strip() or "0"
    per = data.get("inspectors_per_target", "").strip()
    if not complaints.isdigit():
        raise FieldError("min_complaints", _("Enter a whole number of at least 0."))
    if per and not per.isdigit():
        raise FieldError("inspectors_per_target", _("Enter a whole number of at least 0."))
    return {"title": data.get("title", ""), "area_code": data.get("area_code", ""),
            "item_codes": data.getlist("items"), "ratio": data.get("ratio", ""),
            "flagged_ratio": data.get("flagged_ratio", "") or None,
            "industries": [i for i in data.get("industries", "").replace("，", ",").split(",")],
            "risk_levels": data.getlist("risk_levels"), "abnormal": data.get("abnormal", Tristate.ANY),
            "min_complaints": int(complaints), "credit_flag": data.get("credit_flag", Tristate.ANY),
            "inspectors_per_target": int(per) if per else None}


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    """A new plan (leaders and administrators); a refusal is shown with the form as it was."""
    user = _reader(request)
    if not ip.may_create(user):
        raise PermissionDenied
    error, data = "", request.POST if request.method == "POST" else None
    if data is not None:
        try:
            plan = svc.plan_save(actor=user, **_form_values(data))
            return redirect("enforcement_inspections:plan", number=plan.number)
        except FieldError as exc:
            error = exc.text("zh-hans")
    areas = restrict(Area.objects.all(), user, field="code").order_by("code")[:500]
    return render(request, "enforcement/inspections/new.html", {
        "error": error, "data": data or {}, "areas": areas.values_list("code", "name"),
        "items": InspectionItem.objects.order_by("code").values_list("code", "name"),
        "risks": RiskLevel.choices, "tristates": Tristate.choices, "min_ratio": _min_ratio()})


def _min_ratio() -> str:
    from django.conf import settings

    return str(settings.ENFORCEMENT_DRAW_MIN_RATIO)


def _steps(user: User, plan: InspectionPlan) -> list[str]:
    """The plan's moves this user may take now (the page shows these forms only)."""
    return [a for a, (starts, _to, role) in svc.PLAN_STEPS.items()
            if a not in ("edit", "record") and plan.status in starts and ip.may(user, role, area_code=plan.area_code)]


@login_required
def plan_page(request: HttpRequest, number: str) -> HttpResponse:
    user = _reader(request)
    plan = _plan(user, number)
    from zhenwu.enforcement.policy import officer_of

    officer = officer_of(user)
    targets = list(plan.targets.order_by("position").prefetch_related("inspectors__user").select_related("case__case"))
    for t in targets:
        t.mine = bool(officer and officer.pk in t.inspector_ids and plan.status in (  # type: ignore[attr-defined]
            PlanStatus.ISSUED, PlanStatus.REPORTED) and not t.case_id)
    preview = None
    if plan.status == PlanStatus.DRAFT:
        flagged, ordinary, _usccs = sel.enterprise_directory(plan)
        base, raised = d.ratio_units(str(plan.ratio)), d.ratio_units(str(plan.flagged_ratio))
        preview = {"flagged": len(flagged), "ordinary": len(ordinary),
                   "inspectors": sel.inspector_directory(area_code=plan.area_code, on=today()).count(),
                   "targets": d.sample_size(len(flagged), max(base, raised)) + d.sample_size(len(ordinary), base)}
    frozen = plan.draw_inputs
    return render(request, "enforcement/inspections/plan.html", {
        "plan": plan, "targets": targets, "steps": _steps(user, plan), "preview": preview, "today": today(),
        "frozen": {k: len(v) for k, v in frozen["candidates"].items()} if frozen else None,
        "inspector_count": len(frozen["inspectors"]) if frozen else None,
        "results": [c for c in InspectionResult.choices if c[0] != InspectionResult.PENDING],
        "tomorrow": today() + dt.timedelta(days=1), "items": plan.items.all()})


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(field, _("Give the date as YYYY-MM-DD.")) from exc


@login_required
@require_POST
def plan_act(request: HttpRequest, number: str, step: str) -> HttpResponse:
    """One move from the plan's page; a refusal is shown on the page and the plan stays as it was."""
    user = _reader(request)
    plan = _plan(user, number)
    data = request.POST
    try:
        if step == "announce":
            svc.plan_announce(actor=user, plan_id=plan.pk, draw_date=_date(data.get("draw_date", ""), "draw_date"),
                              beacon_source=data.get("beacon_source", ""))
        elif step == "draw":
            svc.plan_draw(actor=user, plan_id=plan.pk, beacon_value=data.get("beacon_value", ""))
        elif step in ("issue", "publish", "close"):
            getattr(svc, f"plan_{step}")(actor=user, plan_id=plan.pk)
        else:
            raise Http404
    except FieldError as exc:
        messages.error(request, exc.text("zh-hans"))
    return redirect("enforcement_inspections:plan", number=number)


@login_required
@require_POST
def target_result(request: HttpRequest, target_id: int) -> HttpResponse:
    user = _reader(request)
    data = request.POST
    target = sel.InspectionTarget.objects.select_related("plan").filter(pk=target_id).first()
    if target is None or not ip.may_read(user, target.plan):
        raise Http404
    try:
        day = _date(data["inspected_on"], "inspected_on") if data.get("inspected_on") else None
        svc.target_record(actor=user, target_id=target_id, result=data.get("result", ""), note=data.get("note", ""),
                          inspected_on=day, power_code=data.get("power", ""))
    except FieldError as exc:
        messages.error(request, exc.text("zh-hans"))
    return redirect("enforcement_inspections:plan", number=target.plan.number)


app_name = "enforcement_inspections"
urlpatterns = [
    path("", plan_list, name="plans"),
    path("new/", plan_new, name="plan_new"),
    path("targets/<int:target_id>/result/", target_result, name="target_result"),
    path("<str:number>/", plan_page, name="plan"),
    path("<str:number>/<str:step>/", plan_act, name="plan_act"),
]
