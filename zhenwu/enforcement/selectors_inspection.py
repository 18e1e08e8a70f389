"""Reads of 双随机一公开: the two directories (market entities, inspectors), plans in a scope, public plans,
an inspector's tasks."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.enforcement import policy
from zhenwu.enforcement import policy_inspection as ip
from zhenwu.enforcement.models import ConflictDeclaration, Officer
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionTarget, PlanStatus, Tristate
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.choices import OperatingStatus
from zhenwu.registry.models import Enterprise

PUBLIC_STATES = (PlanStatus.ANNOUNCED, PlanStatus.DRAWN, PlanStatus.ISSUED, PlanStatus.REPORTED,
                 PlanStatus.PUBLISHED, PlanStatus.CLOSED)
RESULT_STATES = (PlanStatus.PUBLISHED, PlanStatus.CLOSED)
TASK_STATES = (PlanStatus.ISSUED, PlanStatus.REPORTED, PlanStatus.PUBLISHED, PlanStatus.CLOSED)


def _tristate(qs: QuerySet[Enterprise], value: str, condition: Q) -> QuerySet[Enterprise]:
    if value == Tristate.ONLY:
        return qs.filter(condition)
    if value == Tristate.EXCLUDE:
        return qs.exclude(condition)
    return qs


def enterprise_directory(plan: InspectionPlan) -> tuple[list[int], list[int], dict[int, str]]:
    """市场主体名录 cut by the plan's filter: operating enterprises of its area (industries, risk levels,
    abnormal listing, complaints, credit flag). Returns the flagged ids, the other ids (both ascending) and
    the USCC of each. Flagged (重点监管): a credit flag, an abnormal listing or enough complaints."""
    from zhenwu.enforcement.selectors import credit_flagged_enterprise_ids

    credit = credit_flagged_enterprise_ids()
    qs = Enterprise.objects.filter(area_code__startswith=plan.area_code, operating_status=OperatingStatus.OPERATING)
    if plan.industries:
        qs = qs.filter(industry__in=plan.industries)
    if plan.risk_levels:
        qs = qs.filter(risk_level__in=plan.risk_levels)
    if plan.min_complaints:
        qs = qs.filter(complaint_count__gte=plan.min_complaints)
    qs = _tristate(qs, plan.abnormal, Q(abnormal_listed=True))
    qs = _tristate(qs, plan.credit_flag, Q(pk__in=credit))
    flagged: list[int] = []
    ordinary: list[int] = []
    usccs: dict[int, str] = {}
    threshold = settings.ENFORCEMENT_DRAW_FLAG_COMPLAINTS
    for pk, uscc, abnormal, complaints in qs.order_by("pk").values_list("pk", "uscc", "abnormal_listed",
                                                                        "complaint_count"):
        (flagged if pk in credit or abnormal or complaints >= threshold else ordinary).append(pk)
        usccs[pk] = uscc
    return flagged, ordinary, usccs


def _covering(area_code: str) -> list[str]:
    """The area and the areas above it (county, town, village, level-1 grid)."""
    return [area_code[:n] for n in (6, 9, 12, 15, 18) if n <= len(area_code)]


def inspector_directory(*, area_code: str, on: datetime.date) -> QuerySet[Officer]:
    """检查人员名录: active enforcement officers working in the area (or over it) with a certificate valid on ``on``
    (a certified legal reviewer reviews; inspecting is an officer's task, and only an officer records a result)."""
    return Officer.objects.filter(
        Q(area_code__startswith=area_code) | Q(area_code__in=_covering(area_code)),
        user__is_active=True, user__role_assignments__role=Role.ENFORCEMENT_OFFICER,
        certificate_valid_from__lte=on, certificate_valid_until__gte=on)


def recusals(inspectors: list[int], usccs: dict[int, str]) -> list[list[int]]:
    """[officer id, enterprise id] for every declared conflict (a shareholding or interest by USCC)."""
    by_uscc: dict[str, list[int]] = {}
    for pk, uscc in usccs.items():
        by_uscc.setdefault(uscc, []).append(pk)
    rows = ConflictDeclaration.objects.filter(officer_id__in=inspectors, uscc__in=list(by_uscc)).exclude(uscc="")
    pairs = {(o, e) for o, uscc in rows.values_list("officer_id", "uscc") for e in by_uscc[uscc]}
    return [[o, e] for o, e in sorted(pairs)]


def plan_scope(*, user: User) -> QuerySet[InspectionPlan]:
    qs = restrict(InspectionPlan.objects.all(), user, field="area_code")
    return qs if ip.may_open(user) else qs.none()


def plan_list(*, user: User, status: str = "") -> QuerySet[InspectionPlan]:
    qs = plan_scope(user=user)
    return qs.filter(status=status) if status in PlanStatus.values else qs


def plan_get(*, user: User, number: str) -> InspectionPlan:
    plan = plan_scope(user=user).filter(number=number).first()
    if plan is None:
        raise NotFound(_("No such random-inspection plan."), field="number")
    return plan


def public_plans() -> QuerySet[InspectionPlan]:
    """Announced plans (the announcement is public before the draw); results only once published."""
    return InspectionPlan.objects.filter(status__in=PUBLIC_STATES).order_by("-announced_at")


def public_plan_get(*, number: str) -> InspectionPlan:
    plan = public_plans().filter(number=number).first()
    if plan is None:
        raise NotFound(_("No such random-inspection plan."), field="number")
    return plan


def results_public(plan: InspectionPlan) -> bool:
    return plan.status in RESULT_STATES


def officer_tasks(*, user: User) -> QuerySet[InspectionTarget]:
    """The calling officer's inspection tasks: targets of issued plans they were drawn for, open ones first."""
    officer: Any = policy.officer_of(user)
    if officer is None:
        return InspectionTarget.objects.none()
    return (InspectionTarget.objects.filter(inspectors=officer, plan__status__in=TASK_STATES)
            .select_related("plan", "case__case").order_by("-result", "plan__number", "position"))
