"""双随机一公开: plans, the announcement that freezes the draw's inputs, the draw, tasks, results, publication.

Every write locks the plan, checks role and scope through ``policy_inspection``, checks the move against
``PLAN_STEPS`` (the one table of a plan's moves), audits it under the subject ``enforcement.plan:<number>``
and bumps the plan's version. A refusal is a 4xx naming the field, and nothing changes.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.areas.models import Area
from zhenwu.casework.services.audit import audit_record
from zhenwu.enforcement import draw as d
from zhenwu.enforcement import guards, policy
from zhenwu.enforcement import policy_inspection as ip
from zhenwu.enforcement import selectors_inspection as directory
from zhenwu.enforcement.choices import CaseSource
from zhenwu.enforcement.models import InspectionItem
from zhenwu.enforcement.models_inspection import (
    InspectionPlan,
    InspectionResult,
    InspectionTarget,
    PlanStatus,
    Tristate,
)
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.choices import RiskLevel
from zhenwu.registry.models import Enterprise

S = PlanStatus
# action → (states it may start from, state it leads to, the policy action allowed to take it)
PLAN_STEPS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "edit": ((S.DRAFT,), S.DRAFT, "plan_edit"),
    "announce": ((S.DRAFT,), S.ANNOUNCED, "plan_edit"),
    "draw": ((S.ANNOUNCED,), S.DRAWN, "plan_edit"),
    "issue": ((S.DRAWN,), S.ISSUED, "plan_edit"),
    "record": ((S.ISSUED, S.REPORTED), S.ISSUED, "inspection_result"),  # REPORTED once every result is in
    "publish": ((S.REPORTED,), S.PUBLISHED, "plan_edit"),
    "close": ((S.PUBLISHED,), S.CLOSED, "plan_edit"),
}
RESULTS = (InspectionResult.NO_PROBLEM, InspectionResult.PROBLEM, InspectionResult.NOT_FOUND)


def _ratio(value: Any, field: str) -> Decimal:
    """A percentage with at most two decimals, at least the minimum of the settings, at most 100."""
    try:
        ratio = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise FieldError(field, _("Enter the ratio as a percentage, e.g. 5 or 5.5.")) from None
    if not ratio.is_finite() or ratio.as_tuple().exponent < -2:  # type: ignore[operator]
        raise FieldError(field, _("Enter the ratio as a percentage, e.g. 5 or 5.5."))
    minimum = Decimal(settings.ENFORCEMENT_DRAW_MIN_RATIO)
    if ratio < minimum:
        raise FieldError(field, _("The ratio may not be below the minimum of %(min)s%%.") % {"min": minimum})
    if ratio > 100:
        raise FieldError(field, _("The ratio may not be above 100 percent."))
    return ratio.quantize(Decimal("0.01"))


def _choices(values: list[str], allowed: list[str], field: str) -> list[str]:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise FieldError(field, _("Unknown value: %(values)s.") % {"values": "、".join(unknown)})
    return sorted(set(values))


def _number(area_code: str) -> str:
    prefix = f"SJ-{area_code[:9]}-{timezone.localdate():%Y}-"
    last = (InspectionPlan.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:03d}"


def _lock(actor: User, plan_id: int, action: str) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().filter(pk=plan_id).first()
    if plan is None or not ip.may_read(actor, plan):
        raise NotFound(_("No such random-inspection plan."), field="plan")
    starts, _to, role = PLAN_STEPS[action]
    ip.check(actor, role, area_code=plan.area_code, missing=_("No such random-inspection plan."))
    if plan.status not in starts:
        raise FieldError("status", _("A plan in the state “%(state)s” cannot take this step.")
                         % {"state": plan.get_status_display()})
    return plan


def _move(actor: User, plan: InspectionPlan, action: str, data: dict[str, Any] | None = None,
          to: str | None = None) -> InspectionPlan:
    old = plan.status
    plan.status, plan.version = to or PLAN_STEPS[action][1], plan.version + 1
    plan.save()
    audit_record(subject=f"enforcement.plan:{plan.number}", actor=actor, action=f"plan_{action}", from_state=old,
                 to_state=plan.status, data=data)
    return plan


@transaction.atomic
def plan_save(*, actor: User, title: str, area_code: str, item_codes: list[str], ratio: Any,
              flagged_ratio: Any = None, industries: list[str] | None = None, risk_levels: list[str] | None = None,
              abnormal: str = Tristate.ANY, min_complaints: int = 0, credit_flag: str = Tristate.ANY,
              inspectors_per_target: int | None = None, plan_id: int | None = None) -> InspectionPlan:
    """Create a plan (``plan_id`` None) or change a draft; leaders and administrators of the area."""
    plan = _lock(actor, plan_id, "edit") if plan_id is not None else None
    ip.check(actor, "plan_edit", area_code=area_code, missing=_("No such area."))
    if not Area.objects.filter(code=area_code).exists():
        raise FieldError("area_code", _("No such area."))
    if not title.strip():
        raise FieldError("title", _("The title is required."))
    items = list(InspectionItem.objects.filter(code__in=item_codes))
    if not item_codes or len(items) != len(set(item_codes)):
        raise FieldError("items", _("Choose one or more known inspection items."))
    if not isinstance(min_complaints, int) or isinstance(min_complaints, bool) or min_complaints < 0:
        raise FieldError("min_complaints", _("Enter a whole number of at least 0."))
    values: dict[str, Any] = {
        "title": title.strip(), "area_code": area_code, "ratio": _ratio(ratio, "ratio"),
        "flagged_ratio": _ratio(settings.ENFORCEMENT_DRAW_FLAGGED_RATIO if flagged_ratio in (None, "")
                                else flagged_ratio, "flagged_ratio"),
        "industries": sorted({i.strip() for i in industries or [] if i.strip()}),
        "risk_levels": _choices(risk_levels or [], RiskLevel.values, "risk_levels"),
        "abnormal": _choices([abnormal], Tristate.values, "abnormal")[0],
        "credit_flag": _choices([credit_flag], Tristate.values, "credit_flag")[0],
        "min_complaints": min_complaints, "inspectors_per_target": _per_target(inspectors_per_target)}
    available = directory.inspector_directory(area_code=area_code, on=guards.today()).count()
    if available < values["inspectors_per_target"]:
        raise FieldError("inspectors", _("Only %(have)s inspectors with a valid certificate work in this area; "
                                         "a plan needs at least %(need)s.")
                         % {"have": available, "need": values["inspectors_per_target"]})
    if plan is None:
        plan = _create(actor, values)
    else:
        for key, value in values.items():
            setattr(plan, key, value)
        _move(actor, plan, "edit")
    plan.items.set(items)
    return plan


def _per_target(value: int | None) -> int:
    minimum = settings.ENFORCEMENT_DRAW_MIN_INSPECTORS
    per = minimum if value is None else value
    if not isinstance(per, int) or per < minimum:
        raise FieldError("inspectors_per_target", _("Each target needs at least %(min)s inspectors.")
                         % {"min": minimum})
    return per


def _create(actor: User, values: dict[str, Any]) -> InspectionPlan:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                plan = InspectionPlan.objects.create(number=_number(values["area_code"]), created_by=actor, **values)
                break
        except IntegrityError:
            continue
    else:  # pragma: no cover - three concurrent creations in one town and year
        raise FieldError("number", _("Please try again."), status=409)
    audit_record(subject=f"enforcement.plan:{plan.number}", actor=actor, action="plan_create",
                 to_state=plan.status)
    return plan


def plan_inputs(plan: InspectionPlan, *, draw_date: datetime.date, beacon_source: str) -> dict[str, Any]:
    """The draw's inputs as the announcement freezes them (the directories read now)."""
    flagged, ordinary, usccs = directory.enterprise_directory(plan)
    inspectors = list(directory.inspector_directory(area_code=plan.area_code, on=draw_date)
                      .order_by("pk").values_list("pk", flat=True))
    recusals = directory.recusals(inspectors, usccs)
    return {"format": d.FORMAT,
            "plan": {"number": plan.number, "items": sorted(plan.items.values_list("code", flat=True)),
                     "filter": {"area_code": plan.area_code, "industries": plan.industries,
                                "risk_levels": plan.risk_levels, "abnormal": plan.abnormal,
                                "min_complaints": plan.min_complaints, "credit_flag": plan.credit_flag,
                                "operating_only": True},
                     "ratio": str(plan.ratio), "flagged_ratio": str(plan.flagged_ratio),
                     "inspectors_per_target": plan.inspectors_per_target},
            "candidates": {"flagged": flagged, "ordinary": ordinary}, "inspectors": inspectors,
            "recusals": recusals, "draw_date": draw_date.isoformat(), "beacon_source": beacon_source}


@transaction.atomic
def plan_announce(*, actor: User, plan_id: int, draw_date: datetime.date, beacon_source: str) -> InspectionPlan:
    """公告: fix the directories, the recusals, a future draw date and the source of the public value."""
    plan = _lock(actor, plan_id, "announce")
    if draw_date <= guards.today():
        raise FieldError("draw_date", _("The draw date must be after today."))
    if not beacon_source.strip():
        raise FieldError("beacon_source", _("Name the public value the draw will use (e.g. the lottery draw of "
                                            "that date)."))
    inputs = plan_inputs(plan, draw_date=draw_date, beacon_source=beacon_source.strip())
    cands = inputs["candidates"]
    if not cands["flagged"] and not cands["ordinary"]:
        raise FieldError("filter", _("No market entity in the directory matches the plan's filter."))
    _enough_inspectors(inputs)
    plan.draw_inputs, plan.draw_date, plan.beacon_source = inputs, draw_date, beacon_source.strip()
    plan.announcement_hash, plan.announced_at = d.announcement_hash(inputs), timezone.now()
    return _move(actor, plan, "announce", {"announcement_hash": plan.announcement_hash,
                                           "draw_date": draw_date.isoformat()})


def _enough_inspectors(inputs: dict[str, Any]) -> None:
    per, pool = inputs["plan"]["inspectors_per_target"], set(inputs["inspectors"])
    if len(pool) < per:
        raise FieldError("inspectors", _("Only %(have)s inspectors with a valid certificate on the draw date work in "
                                         "this area; each target needs %(need)s.") % {"have": len(pool), "need": per})
    barred: dict[int, set[int]] = {}
    for officer, entity in inputs["recusals"]:
        barred.setdefault(entity, set()).add(officer)
    short = sorted(e for e, officers in barred.items() if len(pool - officers) < per)
    if short:
        names = "、".join(Enterprise.objects.filter(pk__in=short[:5]).values_list("name", flat=True))
        raise FieldError("inspectors", _("After recusal fewer than %(need)s inspectors remain for: %(names)s.")
                         % {"need": per, "names": names})


@transaction.atomic
def plan_draw(*, actor: User, plan_id: int, beacon_value: str) -> InspectionPlan:
    """抽取: on or after the draw date, with the public value; the targets and their inspectors are written."""
    plan = _lock(actor, plan_id, "draw")
    assert plan.draw_date is not None and plan.draw_inputs is not None
    if guards.today() < plan.draw_date:
        raise FieldError("draw_date", _("The draw may not take place before %(day)s, the date announced.")
                         % {"day": plan.draw_date.isoformat()})
    if not beacon_value.strip() or len(beacon_value.strip()) > 200:
        raise FieldError("beacon_value", _("Enter the public value (at most 200 characters)."))
    inputs = {**plan.draw_inputs, "beacon_value": beacon_value.strip()}
    try:
        assignment = d.draw(inputs)
    except d.DrawError as exc:  # the inputs were checked at announcement; a failure here is a bug, not input
        raise FieldError("draw_inputs", _("The draw's inputs are inconsistent: %(reason)s.") % {"reason": str(exc)}
                         ) from exc
    _write_targets(plan, assignment, set(inputs["candidates"]["flagged"]))
    plan.beacon_value, plan.seed, plan.drawn_at = beacon_value.strip(), d.seed_of(inputs).hex(), timezone.now()
    plan.publish_due = guards.add_working_days(guards.today(), settings.ENFORCEMENT_DRAW_PUBLISH_DAYS)
    return _move(actor, plan, "draw", {"seed": plan.seed, "beacon_value": plan.beacon_value,
                                       "targets": len(assignment)})


def _write_targets(plan: InspectionPlan, assignment: d.Assignment, flagged: set[int]) -> None:
    firms = Enterprise.objects.in_bulk([t for t, _o in assignment])
    rows = []
    for position, (key, officers) in enumerate(assignment, start=1):
        firm = firms.get(key)
        rows.append(InspectionTarget(plan=plan, position=position, enterprise=firm, enterprise_key=key,
                                     name=firm.name if firm else "", uscc=firm.uscc if firm else "",
                                     area_code=firm.area_code if firm else plan.area_code,
                                     flagged=key in flagged, inspector_ids=officers))
    InspectionTarget.objects.bulk_create(rows)
    links = InspectionTarget.inspectors.through
    made = InspectionTarget.objects.filter(plan=plan).values_list("pk", "inspector_ids")
    links.objects.bulk_create([links(inspectiontarget_id=pk, officer_id=o) for pk, ids in made for o in ids])


@transaction.atomic
def plan_issue(*, actor: User, plan_id: int) -> InspectionPlan:
    """派发: each target goes to its inspectors (their task list)."""
    plan = _lock(actor, plan_id, "issue")
    return _move(actor, plan, "issue")


@transaction.atomic
def target_record(*, actor: User, target_id: int, result: str, note: str = "",
                  inspected_on: datetime.date | None = None, power_code: str = "") -> InspectionTarget:
    """检查结果 by one of the target's inspectors; a problem opens a general-procedure case (source 双随机抽查)."""
    target = InspectionTarget.objects.select_related("plan").filter(pk=target_id).first()
    if target is None or not ip.may_read(actor, target.plan):
        raise NotFound(_("No such inspection task."), field="target")
    plan = _lock(actor, target.plan_id, "record")
    target = InspectionTarget.objects.select_for_update().get(pk=target_id)
    officer = policy.officer_of(actor)
    if officer is None or officer.pk not in target.inspector_ids:
        raise FieldError("actor", _("Only the inspectors drawn for this target record its result."), status=403)
    policy.officer_check(officer, on=guards.today(), field="actor")
    policy.conflict_check(officer, uscc=target.uscc, field="actor")
    if target.case_id is not None:
        raise FieldError("result", _("A penalty case was opened for this target; its result cannot change."))
    if result not in RESULTS:
        raise FieldError("result", _("Choose a result."))
    day = inspected_on or guards.today()
    if day > guards.today() or (plan.drawn_at and day < timezone.localdate(plan.drawn_at)):
        raise FieldError("inspected_on", _("The inspection date lies between the draw and today."))
    if result == InspectionResult.PROBLEM:
        target.case = _open_case(actor, plan, target, note, power_code)
    target.result, target.note, target.inspected_on, target.recorded_by = result, note.strip(), day, actor
    target.save()
    done = not plan.targets.filter(result=InspectionResult.PENDING).exists()
    _move(actor, plan, "record", {"target": target.position, "result": result,
                                  "case": target.case.case.number if target.case else ""},
          to=PlanStatus.REPORTED if done else PlanStatus.ISSUED)
    return target


def _open_case(actor: User, plan: InspectionPlan, target: InspectionTarget, note: str, power_code: str) -> Any:
    from zhenwu.enforcement.services.cases import Party, general_open

    if not note.strip():
        raise FieldError("note", _("Describe the problem found."))
    code = power_code or next((i.power.code for i in plan.items.select_related("power") if i.power), "")
    if not code:
        raise FieldError("power", _("Choose the penalty power the problem falls under."))
    return general_open(actor=actor, power_code=code, party=Party(target.name, uscc=target.uscc),
                        area_code=target.area_code, facts=note.strip(),
                        investigators=list(target.inspector_ids), source=CaseSource.RANDOM_INSPECTION)


@transaction.atomic
def plan_publish(*, actor: User, plan_id: int) -> InspectionPlan:
    """公示: the results go on the public page (due ``publish_due``, 20 working days from the draw)."""
    plan = _lock(actor, plan_id, "publish")
    plan.published_at = timezone.now()
    return _move(actor, plan, "publish", {"late": bool(plan.publish_due and guards.today() > plan.publish_due)})


@transaction.atomic
def plan_close(*, actor: User, plan_id: int) -> InspectionPlan:
    plan = _lock(actor, plan_id, "close")
    return _move(actor, plan, "close")


# --- verification ---------------------------------------------------------------------------------

def plan_export(plan: InspectionPlan) -> dict[str, Any]:
    """The published JSON: the frozen inputs, the public value, the hashes and the result as stored."""
    if plan.draw_inputs is None:
        raise NotFound(_("This plan has not been announced."), field="plan")
    out: dict[str, Any] = {**plan.draw_inputs, "announcement_hash": plan.announcement_hash,
                           "beacon_value": plan.beacon_value, "seed": plan.seed}
    out["result"] = [[t.enterprise_key, list(t.inspector_ids)] for t in plan.targets.order_by("position")]
    out["about"] = {"title": plan.title, "number": plan.number, "algorithm": "docs/enforcement-draw.md",
                    "verify": "python3 docs/verify_draw.py draw-inputs.json"}
    return out


def plan_verify(plan: InspectionPlan) -> list[str]:
    """Recompute the announcement hash, the seed and the draw; the differences from what is stored (none: [])."""
    if plan.draw_inputs is None or not plan.beacon_value:
        return [str(_("The plan has not been drawn."))]
    problems = []
    inputs = {**plan.draw_inputs, "beacon_value": plan.beacon_value}
    if d.announcement_hash(inputs) != plan.announcement_hash:
        problems.append(f"announcement hash {d.announcement_hash(inputs)} != stored {plan.announcement_hash}")
    if d.seed_of(inputs).hex() != plan.seed:
        problems.append(f"seed {d.seed_of(inputs).hex()} != stored {plan.seed}")
    expected = d.as_json(d.draw(inputs))
    stored = [[t.enterprise_key, list(t.inspector_ids)] for t in plan.targets.order_by("position")]
    linked = [[t.enterprise_key, sorted(o.pk for o in t.inspectors.all())]
              for t in plan.targets.order_by("position").prefetch_related("inspectors")]
    if stored != expected:
        problems.append(f"targets {stored[:5]}… != recomputed {expected[:5]}…")
    if linked != [[t, sorted(o)] for t, o in expected]:
        problems.append("the inspectors linked to the targets differ from the draw")
    return problems
