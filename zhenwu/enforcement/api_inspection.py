"""/api/v1/enforcement/inspections/: random-inspection plans (双随机一公开), their draw, tasks and results.

Staff: ``plans`` (scoped; leaders and administrators write), ``targets/{id}/result`` (the drawn inspectors),
``my-tasks``. Public (no login): ``public/plans`` (announced plans; results once published) and the draw's
inputs as JSON once the results are published — ``docs/verify_draw.py`` checks them.
"""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
import datetime
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.enforcement import draw as d
from zhenwu.enforcement import policy_inspection as ip
from zhenwu.enforcement import selectors_inspection as sel
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionTarget, Tristate
from zhenwu.enforcement.services import inspections as svc
from zhenwu.errors import Forbidden, NotFound
from zhenwu.paging import BoundedPageNumberPagination

router = Router(tags=["enforcement: random inspections"])


class PlanIn(Schema):
    title: str
    area_code: str
    items: list[str]
    ratio: str
    flagged_ratio: str | None = None
    industries: list[str] = []
    risk_levels: list[str] = []
    abnormal: str = Tristate.ANY
    min_complaints: int = 0
    credit_flag: str = Tristate.ANY
    inspectors_per_target: int | None = None


class AnnounceIn(Schema):
    draw_date: datetime.date
    beacon_source: str


class DrawIn(Schema):
    beacon_value: str


class ResultIn(Schema):
    result: str
    note: str = ""
    inspected_on: datetime.date | None = None
    power: str = ""


class PlanOut(Schema):
    number: str
    title: str
    area_code: str
    status: str
    status_label: str
    items: list[str]
    ratio: str
    flagged_ratio: str
    inspectors_per_target: int
    draw_date: str | None
    beacon_source: str
    announcement_hash: str
    beacon_value: str
    seed: str
    publish_due: str | None
    published_at: str | None
    targets: int


class PlanDetailOut(PlanOut):
    filter: dict[str, Any]
    candidates: dict[str, int] | None
    inspectors: int | None
    version: int


class TargetOut(Schema):
    id: int
    plan: str
    position: int
    name: str
    uscc: str
    area_code: str
    flagged: bool
    inspectors: list[str]
    result: str
    result_label: str
    note: str
    inspected_on: str | None
    case: str | None


class PublicTargetOut(Schema):
    position: int
    name: str
    uscc: str
    result: str
    result_label: str
    inspected_on: str | None


class PublicPlanOut(Schema):
    number: str
    title: str
    status: str
    status_label: str
    items: list[str]
    ratio: str
    flagged_ratio: str
    draw_date: str | None
    beacon_source: str
    announcement_hash: str
    candidates: int
    beacon_value: str
    seed: str
    publish_due: str | None
    results: list[PublicTargetOut] | None


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def plan_out(plan: InspectionPlan) -> dict[str, Any]:
    return {"number": plan.number, "title": plan.title, "area_code": plan.area_code, "status": plan.status,
            "status_label": str(plan.get_status_display()),
            "items": sorted(plan.items.values_list("code", flat=True)), "ratio": str(plan.ratio),
            "flagged_ratio": str(plan.flagged_ratio), "inspectors_per_target": plan.inspectors_per_target,
            "draw_date": _day(plan.draw_date), "beacon_source": plan.beacon_source,
            "announcement_hash": plan.announcement_hash, "beacon_value": plan.beacon_value, "seed": plan.seed,
            "publish_due": _day(plan.publish_due), "published_at": _day(plan.published_at),
            "targets": plan.targets.count()}


def plan_detail_out(plan: InspectionPlan) -> dict[str, Any]:
    frozen = plan.draw_inputs
    return {**plan_out(plan), "version": plan.version,
            "filter": frozen["plan"]["filter"] if frozen else {
                "area_code": plan.area_code, "industries": plan.industries, "risk_levels": plan.risk_levels,
                "abnormal": plan.abnormal, "min_complaints": plan.min_complaints, "credit_flag": plan.credit_flag},
            "candidates": {k: len(v) for k, v in frozen["candidates"].items()} if frozen else None,
            "inspectors": len(frozen["inspectors"]) if frozen else None}


def target_out(t: InspectionTarget) -> dict[str, Any]:
    names = {o.pk: str(o) for o in t.inspectors.select_related("user")}
    return {"id": t.pk, "plan": t.plan.number, "position": t.position, "name": t.name, "uscc": t.uscc,
            "area_code": t.area_code, "flagged": t.flagged,
            "inspectors": [names.get(i, str(i)) for i in t.inspector_ids],
            "result": t.result, "result_label": str(t.get_result_display()), "note": t.note,
            "inspected_on": _day(t.inspected_on), "case": t.case.case.number if t.case else None}


def public_out(plan: InspectionPlan) -> dict[str, Any]:
    frozen = plan.draw_inputs or {"candidates": {"flagged": [], "ordinary": []}}
    results = None
    if sel.results_public(plan):
        results = [{"position": t.position, "name": t.name, "uscc": t.uscc, "result": t.result,
                    "result_label": str(t.get_result_display()), "inspected_on": _day(t.inspected_on)}
                   for t in plan.targets.order_by("position")]
    shown = sel.results_public(plan)  # the public value and seed would let anyone list the targets early
    return {"number": plan.number, "title": plan.title, "status": plan.status,
            "status_label": str(plan.get_status_display()), "items": [str(i) for i in plan.items.all()],
            "ratio": str(plan.ratio), "flagged_ratio": str(plan.flagged_ratio), "draw_date": _day(plan.draw_date),
            "beacon_source": plan.beacon_source, "announcement_hash": plan.announcement_hash,
            "candidates": sum(len(v) for v in frozen["candidates"].values()),
            "beacon_value": plan.beacon_value if shown else "", "seed": plan.seed if shown else "",
            "publish_due": _day(plan.publish_due), "results": results}


def _reader(request: HttpRequest) -> User:
    """Citizens and enterprises: 404 (no such thing for them); staff without a case role: 403."""
    user = _user(request)
    if user.kind != UserKind.STAFF:
        raise NotFound(_("Not found."))
    if not ip.may_open(user):
        raise Forbidden(_("Your roles do not allow this action."))
    return user


class _Rows:
    def __init__(self, qs: Any, out: Any) -> None:
        self.qs, self.out = qs, out

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(r) for r in self.qs[key]]


@router.get("/plans", response=list[PlanOut], summary="Random-inspection plans in my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def plan_list(request: HttpRequest, status: str = "") -> Any:
    return _Rows(sel.plan_list(user=_reader(request), status=status).prefetch_related("items"), plan_out)


def _values(payload: PlanIn) -> dict[str, Any]:
    return {"title": payload.title, "area_code": payload.area_code, "item_codes": payload.items,
            "ratio": payload.ratio, "flagged_ratio": payload.flagged_ratio, "industries": payload.industries,
            "risk_levels": payload.risk_levels, "abnormal": payload.abnormal,
            "min_complaints": payload.min_complaints, "credit_flag": payload.credit_flag,
            "inspectors_per_target": payload.inspectors_per_target}


@router.post("/plans", response={201: PlanDetailOut}, summary="A new plan (leaders and administrators)")
def plan_create(request: HttpRequest, payload: PlanIn) -> Status[dict[str, Any]]:
    plan = svc.plan_save(actor=_reader(request), **_values(payload))
    return Status(201, plan_detail_out(plan))


@router.get("/plans/{number}", response=PlanDetailOut, summary="A plan")
def plan_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return plan_detail_out(sel.plan_get(user=_reader(request), number=number))


@router.put("/plans/{number}", response=PlanDetailOut, summary="Change a draft plan")
def plan_update(request: HttpRequest, number: str, payload: PlanIn) -> dict[str, Any]:
    user = _reader(request)
    plan = sel.plan_get(user=user, number=number)
    return plan_detail_out(svc.plan_save(actor=user, plan_id=plan.pk, **_values(payload)))


@router.post("/plans/{number}/announce", response=PlanDetailOut,
             summary="公告: freeze the directories, a future draw date and the source of the public value")
def plan_announce(request: HttpRequest, number: str, payload: AnnounceIn) -> dict[str, Any]:
    user = _reader(request)
    plan = sel.plan_get(user=user, number=number)
    return plan_detail_out(svc.plan_announce(actor=user, plan_id=plan.pk, draw_date=payload.draw_date,
                                             beacon_source=payload.beacon_source))


@router.post("/plans/{number}/draw", response=PlanDetailOut, summary="抽取: on or after the draw date")
def plan_draw(request: HttpRequest, number: str, payload: DrawIn) -> dict[str, Any]:
    user = _reader(request)
    plan = sel.plan_get(user=user, number=number)
    return plan_detail_out(svc.plan_draw(actor=user, plan_id=plan.pk, beacon_value=payload.beacon_value))


@router.get("/plans/{number}/targets", response=list[TargetOut], summary="The drawn targets and their results")
def plan_targets(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    plan = sel.plan_get(user=_reader(request), number=number)
    return [target_out(t) for t in plan.targets.select_related("plan", "case__case").order_by("position")]


@router.get("/plans/{number}/directory", summary="The directories as they stand now (a preview before announcing)")
def plan_directory(request: HttpRequest, number: str) -> dict[str, Any]:
    plan = sel.plan_get(user=_reader(request), number=number)
    flagged, ordinary, _usccs = sel.enterprise_directory(plan)
    inspectors = sel.inspector_directory(area_code=plan.area_code, on=plan.draw_date or today()).count()
    base, raised = d.ratio_units(str(plan.ratio)), d.ratio_units(str(plan.flagged_ratio))
    return {"flagged": len(flagged), "ordinary": len(ordinary), "inspectors": inspectors,
            "targets": d.sample_size(len(flagged), max(base, raised)) + d.sample_size(len(ordinary), base)}


@router.get("/plans/{number}/draw-inputs.json", summary="The draw's inputs, public value and result (staff)")
def plan_inputs(request: HttpRequest, number: str) -> JsonResponse:
    return _json(svc.plan_export(sel.plan_get(user=_reader(request), number=number)), number)


def _json(data: dict[str, Any], number: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{number}-draw-inputs.json"'
    return response


@router.post("/targets/{target_id}/result", response=TargetOut,
             summary="检查结果 by a drawn inspector; a problem opens a penalty case")
def target_result(request: HttpRequest, target_id: int, payload: ResultIn) -> dict[str, Any]:
    target = svc.target_record(actor=_reader(request), target_id=target_id, result=payload.result,
                               note=payload.note, inspected_on=payload.inspected_on, power_code=payload.power)
    return target_out(target)


@router.get("/my-tasks", response=list[TargetOut], summary="My inspection tasks (an inspector's)")
@paginate(BoundedPageNumberPagination, page_size=50)
def my_tasks(request: HttpRequest) -> Any:
    return _Rows(sel.officer_tasks(user=_reader(request)), target_out)


# --- public -------------------------------------------------------------------------------------

@router.get("/public/plans", response=list[PublicPlanOut], auth=None, summary="Announced plans and published results")
@paginate(BoundedPageNumberPagination, page_size=30)
def public_list(request: HttpRequest) -> Any:
    return _Rows(sel.public_plans().prefetch_related("items"), public_out)


@router.get("/public/plans/{number}", response=PublicPlanOut, auth=None, summary="One announced plan")
def public_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    return public_out(sel.public_plan_get(number=number))


@router.get("/public/plans/{number}/draw-inputs.json", auth=None,
            summary="The draw's inputs, public value and result, once the results are published")
def public_inputs(request: HttpRequest, number: str) -> JsonResponse:
    plan = sel.public_plan_get(number=number)
    if not sel.results_public(plan):
        raise NotFound(_("The draw's inputs are published with the results."), field="number")
    return _json(svc.plan_export(plan), number)


# Last: its ``{step}`` would otherwise take the addresses of the plan's other sub-paths.
STEPS = {"issue": svc.plan_issue, "publish": svc.plan_publish, "close": svc.plan_close}


@router.post("/plans/{number}/{step}", response=PlanDetailOut, summary="派发 (issue), 公示 (publish), 办结 (close)")
def plan_step(request: HttpRequest, number: str, step: str) -> dict[str, Any]:
    user = _reader(request)
    plan = sel.plan_get(user=user, number=number)
    if step not in STEPS:
        raise NotFound(_("Unknown action."), field="step")
    return plan_detail_out(STEPS[step](actor=user, plan_id=plan.pk))
