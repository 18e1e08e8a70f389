"""/api/v1/assistance/rules, /grants and /payments: rule sets, grants with their calculation, payment lists."""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from zhenwu.accounts.http import request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.assistance import policy_calc as policy
from zhenwu.assistance import schemas_calc as s
from zhenwu.assistance import selectors_calc as selectors
from zhenwu.assistance.calc import CalcInputs, CalcResult, step_text
from zhenwu.assistance.choices import ApplicationKind, AssistanceStatus
from zhenwu.assistance.models import Grant, PaymentList, RuleSet
from zhenwu.assistance.services import grants as grant_services
from zhenwu.assistance.services import payments as payment_services
from zhenwu.assistance.services.rules import rules_publish
from zhenwu.paging import BoundedPageNumberPagination
from zhenwu.registry.exporting import XLSX_TYPE

rules_router = Router(tags=["assistance"])
grants_router = Router(tags=["assistance"])
payments_router = Router(tags=["assistance"])


class _Rows:
    """The paginator slices and counts the queryset; only the page's rows are turned into output."""

    def __init__(self, qs: Any, out: Any) -> None:
        self.qs, self.out = qs, out

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(r) for r in self.qs[key]]


# --- rule sets ----------------------------------------------------------------------------------------------

def rule_set_out(r: RuleSet) -> dict[str, Any]:
    return {"id": r.pk, "town_code": r.town_code, "version": r.version, "effective_from": r.effective_from,
            "local_standard": r.local_standard, "household_cap_yearly": r.household_cap_yearly, "note": r.note,
            "published_at": r.published_at}


def rule_set_detail_out(r: RuleSet) -> dict[str, Any]:
    labels = dict(AssistanceStatus.choices)
    tiers: dict[str, list[dict[str, Any]]] = {}
    for t in r.tiers.order_by("category", "lower"):
        tiers.setdefault(t.category, []).append({"lower": t.lower, "upper": t.upper, "rate_percent": t.rate_percent})
    categories = [{"category": c.category, "category_label": str(labels[c.category]), "line_factor": c.line_factor,
                   "cap_monthly": c.cap_monthly, "tiers": tiers.get(c.category, [])}
                  for c in sorted(r.categories.all(), key=lambda c: AssistanceStatus.values.index(c.category))]
    return {**rule_set_out(r), "categories": categories,
            "item_caps": {c.kind: c.cap_yearly for c in r.item_caps.all()},
            "add_ons": {a.condition: a.percent for a in r.add_ons.all()}}


@rules_router.get("", response=list[s.AssistanceRuleSetOut], summary="Published rule sets of my towns, newest first")
@paginate(BoundedPageNumberPagination, page_size=50)
def rule_list(request: HttpRequest, town_code: str = "") -> Any:
    return _Rows(selectors.rule_sets(user=_user(request), town_code=town_code[:24]), rule_set_out)


@rules_router.post("", response={201: s.AssistancePublishOut, 200: s.AssistancePublishOut},
                   summary="Publish a new version (effective from the next period at the earliest); dry_run: only "
                           "what it would change")
def rule_publish(request: HttpRequest, payload: s.AssistanceRuleSetIn) -> Any:
    data = payload.model_dump(mode="python")
    report = rules_publish(actor=_user(request), town_code=payload.town_code, data=data, dry_run=payload.dry_run,
                           request_id=request_id(request))
    body = {"dry_run": report.dry_run,
            "rule_set": rule_set_detail_out(report.rule_set) if report.rule_set else None,
            "changes": [c.__dict__ for c in report.changes]}
    return Status(200 if report.dry_run else 201, body)


@rules_router.get("/{rule_set_id}", response=s.AssistanceRuleSetDetailOut, summary="One rule set, whole")
def rule_detail(request: HttpRequest, rule_set_id: int) -> dict[str, Any]:
    return rule_set_detail_out(selectors.rule_set_get(user=_user(request), pk=rule_set_id))


# --- grants -------------------------------------------------------------------------------------------------

def steps_out(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"code": st["code"], "text": step_text(st), "value": st["value"], "capped": bool(st.get("capped")),
             "params": st.get("params") or {}} for st in steps]


def grant_out(g: Grant) -> dict[str, Any]:
    return {"id": g.pk, "file_id": g.file_id, "household_number": g.file.household.number, "area_code": g.area_code,
            "kind": g.kind, "kind_label": str(dict(ApplicationKind.choices)[g.kind]), "category": g.category,
            "monthly_amount": g.monthly_amount, "period_start": g.period_start, "period_end": g.period_end,
            "status": g.status, "stopped_reason": g.stopped_reason, "rule_set_id": g.rule_set_id,
            "rule_version": g.rule_set.version, "previous_id": g.previous_id,
            "application_number": g.application_number}


def grant_detail_out(g: Grant) -> dict[str, Any]:
    return {**grant_out(g), "steps": steps_out(g.breakdown.get("steps", [])), "inputs": g.breakdown.get("inputs", {})}


def calc_out(inputs: CalcInputs, result: CalcResult, rule_set: RuleSet) -> dict[str, Any]:
    return {"amount": result.amount, "rule_set_id": rule_set.pk, "rule_version": rule_set.version,
            "category": inputs.category, "steps": steps_out([st.as_json() for st in result.steps]),
            "inputs": inputs.as_json()}


@grants_router.get("", response=list[s.AssistanceGrantOut], summary="Grants of the files I may see")
@paginate(BoundedPageNumberPagination, page_size=50)
def grant_list(request: HttpRequest, file_id: int | None = None, status: str = "", kind: str = "") -> Any:
    rows = selectors.grants(user=_user(request), file_id=file_id, status=status[:16], kind=kind[:16])
    return _Rows(rows, grant_out)


@grants_router.get("/preview", response=s.AssistanceCalcOut,
                   summary="The calculation for a household from a month, with every step (nothing written)")
def grant_preview(request: HttpRequest, file_id: int, start: dt.date, end: dt.date | None = None) -> dict[str, Any]:
    user = _user(request)
    file = selectors.file_get(user=user, pk=file_id)
    found = grant_services.grant_preview(actor=user, file=file, start=start, end=end)
    from zhenwu.casework.services.audit import audit_record

    audit_record(subject=f"assistance.file:{file.pk}", actor=user, action="calc_preview",
                 request_id=request_id(request))
    return calc_out(found.inputs, found.result, found.rule_set)


@grants_router.post("", response={201: s.AssistanceGrantDetailOut},
                    summary="Open a grant (approved application): computed under the rules in force, audited")
def grant_open(request: HttpRequest, payload: s.AssistanceGrantIn) -> Status[dict[str, Any]]:
    user = _user(request)
    file = selectors.file_get(user=user, pk=payload.file_id)
    grant = grant_services.grant_open(actor=user, file=file, kind=payload.kind, start=payload.start, end=payload.end,
                                      application_number=payload.application_number, request_id=request_id(request))
    return Status(201, grant_detail_out(selectors.grant_get(user=user, pk=grant.pk, audit="")))


@grants_router.get("/{grant_id}", response=s.AssistanceGrantDetailOut,
                   summary="A grant with its whole calculation (every input, rule and cap); the read is audited")
def grant_detail(request: HttpRequest, grant_id: int) -> dict[str, Any]:
    return grant_detail_out(selectors.grant_get(user=_user(request), pk=grant_id, request_id=request_id(request)))


@grants_router.post("/{grant_id}/stop", response=s.AssistanceGrantDetailOut, summary="Stop a grant after a month")
def grant_stop(request: HttpRequest, grant_id: int, payload: s.AssistanceGrantStopIn) -> dict[str, Any]:
    user = _user(request)
    grant = selectors.grant_get(user=user, pk=grant_id, audit="")
    month = payment_services.month_clean(payload.last_month, name="last_month")
    grant_services.grant_stop(actor=user, grant=grant, last_month=month, reason=payload.reason,
                              request_id=request_id(request))
    return grant_detail_out(selectors.grant_get(user=user, pk=grant_id, audit=""))


@grants_router.get("/{grant_id}/decision.pdf", summary="The decision with the whole calculation (PDF); audited")
def grant_decision(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_get(user=_user(request), pk=grant_id, audit="decision_pdf", request_id=request_id(request))
    response = HttpResponse(selectors.grant_pdf(grant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assistance-{grant.pk}.pdf"'
    return response


# --- payment lists ------------------------------------------------------------------------------------------

def list_out(p: PaymentList) -> dict[str, Any]:
    return {"id": p.pk, "village_code": p.village_code, "village_name": selectors.village_name(p.village_code),
            "month": f"{p.month:%Y-%m}", "status": p.status, "version": p.version, "total": p.total,
            "lines": p.lines.count()}


def list_detail_out(p: PaymentList) -> dict[str, Any]:
    lines = list(p.lines.all())
    by_status: dict[str, Any] = {}
    for ln in lines:
        by_status[ln.status] = by_status.get(ln.status, 0) + ln.amount
    return {**list_out(p), "totals_by_status": by_status,
            "items": [{"household_number": ln.household_number, "payee_name": ln.payee_name,
                       "category": ln.category, "amount": ln.amount, "status": ln.status, "note": ln.note,
                       "grant_id": ln.grant_id} for ln in lines]}


@payments_router.get("", response=list[s.AssistancePaymentListOut], summary="Payment lists in my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def payment_lists(request: HttpRequest, month: str = "", village: str = "") -> Any:
    user = _user(request)
    policy.check_payments_page(user)
    qs = payment_services.lists_visible(user)
    if month:
        qs = qs.filter(month=payment_services.month_clean(month[:10]))
    if village:
        qs = qs.filter(village_code=village[:24])
    return _Rows(qs.order_by("-month", "village_code"), list_out)


@payments_router.post("", response={201: s.AssistancePaymentListDetailOut},
                      summary="Draw up (or again, while a draft) a village's list for a month")
def payment_draw(request: HttpRequest, payload: s.AssistancePaymentDrawIn) -> Status[dict[str, Any]]:
    plist = payment_services.payments_draw(actor=_user(request), village_code=payload.village,
                                           month=payment_services.month_clean(payload.month),
                                           request_id=request_id(request))
    return Status(201, list_detail_out(plist))


@payments_router.get("/totals", response=s.AssistanceTotalsOut,
                     summary="A month's totals per village and category, and per line status")
def payment_totals(request: HttpRequest, month: str) -> dict[str, Any]:
    t = payment_services.payments_totals(user=_user(request), month=payment_services.month_clean(month[:10]))
    rows = [{"village_code": v, "category": c, "households": n, "amount": a} for (v, c), (n, a) in
            sorted(t.cells.items())]
    households, amount = t.total
    return {"month": f"{t.month:%Y-%m}", "rows": rows, "households": households, "amount": amount,
            "by_status": {k: {"households": n, "amount": a} for k, (n, a) in t.by_status.items()}}


@payments_router.put("/payees/{file_id}", response=s.AssistancePayeeOut,
                     summary="The bank account a household is paid into")
def payee_put(request: HttpRequest, file_id: int, payload: s.AssistancePayeeIn) -> dict[str, Any]:
    user = _user(request)
    file = selectors.file_get(user=user, pk=file_id)
    payee = payment_services.payee_set(actor=user, file=file, request_id=request_id(request), **payload.dict())
    return {"file_id": file.pk, "holder_name": payee.holder_name, "bank_name": payee.bank_name,
            "account_tail": payee.account_number[-4:]}


@payments_router.get("/{list_id}", response=s.AssistancePaymentListDetailOut, summary="A payment list with its lines")
def payment_detail(request: HttpRequest, list_id: int) -> dict[str, Any]:
    return list_detail_out(payment_services.list_get(user=_user(request), pk=list_id))


@payments_router.post("/{list_id}/approve", response=s.AssistancePaymentListDetailOut,
                      summary="The town approves a drafted list (not the person who drew it up)")
def payment_approve(request: HttpRequest, list_id: int, payload: s.AssistancePaymentApproveIn) -> dict[str, Any]:
    user = _user(request)
    plist = payment_services.list_get(user=user, pk=list_id)
    row = payment_services.payments_approve(actor=user, plist=plist, expected_version=payload.expected_version,
                                            request_id=request_id(request))
    return list_detail_out(row)


@payments_router.get("/{list_id}/bank.xlsx", summary="An approved list for the bank (xlsx, audited)")
def payment_bank(request: HttpRequest, list_id: int) -> HttpResponse:
    user = _user(request)
    plist = payment_services.list_get(user=user, pk=list_id)
    data = payment_services.payments_bank_xlsx(actor=user, plist=plist, request_id=request_id(request))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="payments-{plist.village_code}-{plist.month:%Y-%m}.xlsx"'
    return response
