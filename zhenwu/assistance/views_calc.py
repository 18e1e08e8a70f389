"""Staff pages of expenditure-based assistance and payments, under /assistance/ (namespace ``assistance_calc``):

- ``rules/``: the town's published versions, the one in force in full, and (civil affairs of the town) a new version
  — checked first with a dry run that lists every grant it would recompute, then published;
- ``rules/<id>/``: one version;
- ``grants/``, ``grants/<id>/`` (+ ``decision.pdf``): grants with their whole calculation (each read audited);
- ``payments/``: a month's lists per village with totals per village and category; drawing up a list;
- ``payments/<id>/`` (+ ``bank.xlsx``): a list's lines, the town's approval, the bank export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenwu.accounts.choices import Role
from zhenwu.accounts.http import request_id, request_user
from zhenwu.accounts.scope import scope_prefix
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.assistance import policy_calc as policy
from zhenwu.assistance import selectors_calc as selectors
from zhenwu.assistance.api_calc import rule_set_detail_out, steps_out
from zhenwu.assistance.choices import ApplicationKind, AssistanceStatus, ExpenditureKind
from zhenwu.assistance.choices_calc import GrantStatus, MemberCondition, PaymentLineStatus
from zhenwu.assistance.models import RuleSet
from zhenwu.assistance.services import payments as pay
from zhenwu.assistance.services.rules import CATEGORY_CODES, next_period_start, rules_publish
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.registry.exporting import XLSX_TYPE

PAGE_SIZE = 50


def _checked(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A refusal as the page's answer: 404 outside the scope, 403 without the role."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc


def _town_of(user: Any) -> str:
    prefix = scope_prefix(user) or ""
    if len(prefix) >= policy.TOWN_CODE_LENGTH:
        return prefix[:policy.TOWN_CODE_LENGTH]
    town = Area.objects.filter(level=AreaLevel.TOWN, code__startswith=prefix).order_by("code").first()
    return town.code if town else ""


# --- rule sets ----------------------------------------------------------------------------------------------

@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    town = request.GET.get("town", "")[:24] or _town_of(user)
    versions = list(_checked(selectors.rule_sets, user=user, town_code=town))
    current = selectors.rule_set_current(user=user, town_code=town) if town else None
    context: dict[str, Any] = {"town": town, "versions": versions, "current": current,
                               "current_out": rule_set_detail_out(current) if current else None,
                               "may_publish": bool(town) and policy.may_publish_rules(user, town), "labels": _labels()}
    if context["may_publish"]:
        context["form"] = _form_initial(versions[0] if versions else None)
        if request.method == "POST":
            return _publish(request, user, town, context)
    context["fields"] = _form_fields(context.get("form", {}))
    return render(request, "assistance/calc/rules.html", context)


def _publish(request: HttpRequest, user: Any, town: str, context: dict[str, Any]) -> HttpResponse:
    form = {k: str(v)[:2000] for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    context["form"], context["fields"] = form, _form_fields(form)
    dry_run = request.POST.get("action") != "publish"
    try:
        report = rules_publish(actor=user, town_code=town, data=_form_data(form), dry_run=dry_run,
                               request_id=request_id(request))
    except FieldError as exc:
        context["errors"] = [(error_label(f), m) for f, m in exc.errors]
        return render(request, "assistance/calc/rules.html", context, status=400)
    if dry_run:
        context["preview"] = report
        kinds = dict(ApplicationKind.choices)
        context["preview_rows"] = [(c, kinds.get(c.kind, c.kind)) for c in report.changes]
        return render(request, "assistance/calc/rules.html", context)
    assert report.rule_set is not None
    messages.success(request, _("Version %(version)s published; %(count)s grants recomputed from %(day)s.")
                     % {"version": report.rule_set.version, "count": len(report.changes),
                        "day": report.rule_set.effective_from})
    return redirect("assistance_calc:rule", rule_set_id=report.rule_set.pk)


def _form_initial(latest: RuleSet | None) -> dict[str, str]:
    """The form pre-filled from the latest version (a new version usually changes a few figures)."""
    form = {"effective_from": next_period_start(timezone.localdate()).isoformat()}
    if latest is None:
        return form
    out = rule_set_detail_out(latest)
    form.update(local_standard=str(latest.local_standard), household_cap_yearly=str(latest.household_cap_yearly))
    for c in out["categories"]:
        key = c["category"]
        form[f"{key}.line_factor"], form[f"{key}.cap_monthly"] = str(c["line_factor"]), str(c["cap_monthly"])
        form[f"{key}.tiers"] = "\n".join(f"{t['lower']} {t['upper'] if t['upper'] is not None else '-'} "
                                         f"{t['rate_percent']}" for t in c["tiers"])
    form.update({f"item.{k}": str(v) for k, v in out["item_caps"].items()})
    form.update({f"addon.{k}": str(v) for k, v in out["add_ons"].items()})
    return form


def _form_fields(form: dict[str, str]) -> dict[str, Any]:
    labels = dict(AssistanceStatus.choices)
    return {"categories": [{"code": c, "label": labels[c], "line_factor": form.get(f"{c}.line_factor", ""),
                            "cap_monthly": form.get(f"{c}.cap_monthly", ""), "tiers": form.get(f"{c}.tiers", "")}
                           for c in CATEGORY_CODES],
            "items": [{"code": k, "label": label, "value": form.get(f"item.{k}", "")}
                      for k, label in ExpenditureKind.choices],
            "add_ons": [{"code": k, "label": label, "value": form.get(f"addon.{k}", "")}
                        for k, label in MemberCondition.choices]}


_TIER_PARTS = {"lower": gettext_lazy("tier's lower bound"), "upper": gettext_lazy("tier's upper bound"),
               "rate_percent": gettext_lazy("rate %")}


def error_label(path: str | None) -> str:
    """A rule set's error path (``categories.dibao.tiers[1].upper``, the API's names) as the form's own words
    (最低生活保障（低保） · 分档 · 第 2 档 · 上限（元）): the page shows no field names of the API."""
    if not path:
        return ""
    statuses, items, conditions = (dict(AssistanceStatus.choices), dict(ExpenditureKind.choices),
                                   dict(MemberCondition.choices))
    top = {"effective_from": _("Effective from"), "local_standard": _("Local standard per person per month"),
           "household_cap_yearly": _("Maximum combined assistance per household per year"),
           "categories": _("Category"), "item_caps": _("Counted per year up to"), "add_ons": _("Add-on %")}
    parts = path.replace("[", ".[").split(".")
    words = [str(top.get(parts[0], parts[0]))]
    for part in parts[1:]:
        if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit():
            words.append(str(_("tier %(n)s") % {"n": int(part[1:-1]) + 1}))
        else:
            named = {"line_factor": _("Need line (× local standard)"), "cap_monthly": _("Cap per household per month"),
                     "tiers": _("Tiers"), **_TIER_PARTS}
            words.append(str(named.get(part) or statuses.get(part) or items.get(part) or conditions.get(part) or part))
    return " · ".join(words)


def _form_data(form: dict[str, str]) -> dict[str, Any]:
    """The form's fields as the input ``rules_validate`` reads; each tier line is ``lower upper rate`` (upper ``-``
    for an open tier)."""
    categories = {}
    for code in CATEGORY_CODES:
        tiers = []
        for line in form.get(f"{code}.tiers", "").splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            parts += [""] * (3 - len(parts))
            tiers.append({"lower": parts[0], "upper": None if parts[1] in ("-", "∞", "") else parts[1],
                          "rate_percent": parts[2]})
        categories[code] = {"line_factor": form.get(f"{code}.line_factor", ""),
                            "cap_monthly": form.get(f"{code}.cap_monthly", ""), "tiers": tiers}
    return {"effective_from": form.get("effective_from", ""), "local_standard": form.get("local_standard", ""),
            "household_cap_yearly": form.get("household_cap_yearly", ""), "note": form.get("note", ""),
            "categories": categories,
            "item_caps": {k: form[f"item.{k}"] for k in ExpenditureKind.values if form.get(f"item.{k}", "") != ""},
            "add_ons": {k: form[f"addon.{k}"] for k in MemberCondition.values if form.get(f"addon.{k}", "") != ""}}


@login_required
def rule_page(request: HttpRequest, rule_set_id: int) -> HttpResponse:
    rule_set = _checked(selectors.rule_set_get, user=request_user(request), pk=rule_set_id)
    return render(request, "assistance/calc/rule.html", {"r": rule_set_detail_out(rule_set), "rule_set": rule_set,
                                                         "labels": _labels()})


def _labels() -> dict[str, Any]:
    return {"items": dict(ExpenditureKind.choices), "add_ons": dict(MemberCondition.choices)}


# --- grants -------------------------------------------------------------------------------------------------

@login_required
def grants_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _checked(selectors.check_grants_page, user)
    status = request.GET.get("status", "") if request.GET.get("status", "") in GrantStatus.values else ""
    kind = request.GET.get("kind", "") if request.GET.get("kind", "") in ApplicationKind.values else ""
    rows = selectors.grants(user=user, status=status, kind=kind)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/calc/grants.html", {"page": page, "status": status, "kind": kind,
                                                           "statuses": GrantStatus.choices,
                                                           "kinds": ApplicationKind.choices})


@login_required
def grant_page(request: HttpRequest, grant_id: int) -> HttpResponse:
    user = request_user(request)
    grant = _checked(selectors.grant_get, user=user, pk=grant_id, request_id=request_id(request))
    inputs = grant.breakdown.get("inputs", {})
    return render(request, "assistance/calc/grant.html", {
        "grant": grant, "steps": steps_out(grant.breakdown.get("steps", [])), "inputs": inputs,
        "kind_label": dict(ApplicationKind.choices)[grant.kind],
        "category_label": dict(AssistanceStatus.choices).get(grant.category, grant.category),
        "may_write": policy.may_write_grants(user, grant.area_code), "labels": _labels(),
        "successor": grant.__class__.objects.filter(previous=grant).first()})


@login_required
def grant_pdf(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = _checked(selectors.grant_get, user=request_user(request), pk=grant_id, audit="decision_pdf",
                     request_id=request_id(request))
    response = HttpResponse(selectors.grant_pdf(grant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assistance-{grant.pk}.pdf"'
    return response


# --- payments -----------------------------------------------------------------------------------------------

def _month(raw: str) -> dt.date:
    try:
        return pay.month_clean(raw[:10]) if raw else timezone.localdate().replace(day=1)
    except FieldError:
        return timezone.localdate().replace(day=1)


@login_required
def payments_page(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _checked(policy.check_payments_page, user)
    month = _month(request.POST.get("month", "") or request.GET.get("month", ""))
    errors: list[Any] = []
    if request.method == "POST":
        try:
            plist = pay.payments_draw(actor=user, village_code=request.POST.get("village", "")[:24], month=month,
                                      request_id=request_id(request))
            return redirect("assistance_calc:payment", list_id=plist.pk)
        except (FieldError, Forbidden, NotFound) as exc:
            errors = exc.errors
    prefix = scope_prefix(user) or ""
    villages = list(Area.objects.filter(level=AreaLevel.VILLAGE, code__startswith=prefix).order_by("code")
                    .values_list("code", "name"))
    totals = pay.payments_totals(user=user, month=month)
    names = dict(villages)
    status_labels = dict(AssistanceStatus.choices)
    table = [{"village": v, "name": names.get(v, v),
              "cells": [totals.cells.get((v, c), [0, 0]) for c in totals.categories],
              "total": totals.village_total(v)} for v in totals.villages]
    context = {"month": f"{month:%Y-%m}", "lists": pay.lists_visible(user).filter(month=month).order_by("village_code"),
               "villages": villages, "names": names, "table": table, "totals": totals,
               "categories": [(c, status_labels[c]) for c in totals.categories],
               "category_totals": [totals.category_total(c) for c in totals.categories],
               "by_status": [(label, totals.by_status.get(code, [0, 0])) for code, label in PaymentLineStatus.choices],
               "may_draw": user.has_role(Role.CIVIL_AFFAIRS), "errors": errors}
    return render(request, "assistance/calc/payments.html", context, status=400 if errors else 200)


@login_required
def payment_page(request: HttpRequest, list_id: int) -> HttpResponse:
    user = request_user(request)
    plist = _checked(pay.list_get, user=user, pk=list_id)
    errors: list[Any] = []
    if request.method == "POST":
        try:
            version = int(request.POST.get("expected_version", "0") or 0) or None
            pay.payments_approve(actor=user, plist=plist, expected_version=version, request_id=request_id(request))
            messages.success(request, _("The payment list is approved."))
            return redirect("assistance_calc:payment", list_id=plist.pk)
        except (FieldError, ValueError) as exc:
            errors = exc.errors if isinstance(exc, FieldError) else [("expected_version", _("Enter a number."))]
    lines = list(plist.lines.all())
    by_status = {code: [0, 0] for code in PaymentLineStatus.values}
    for ln in lines:
        by_status[ln.status][0] += 1
        by_status[ln.status][1] += ln.amount
    return render(request, "assistance/calc/payment.html", {
        "plist": plist, "lines": lines, "village": selectors.village_name(plist.village_code),
        "by_status": [(label, by_status[code]) for code, label in PaymentLineStatus.choices],
        "may_approve": policy.may_approve_payments(user, plist) and plist.status == "draft",
        "may_export": plist.status == "approved" and policy.may_draw_payments(user, plist.village_code),
        "errors": errors}, status=400 if errors else 200)


@login_required
def payment_bank(request: HttpRequest, list_id: int) -> HttpResponse:
    user = request_user(request)
    plist = _checked(pay.list_get, user=user, pk=list_id)
    try:
        data = pay.payments_bank_xlsx(actor=user, plist=plist, request_id=request_id(request))
    except FieldError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc.errors[0][1]))
        return redirect("assistance_calc:payment", list_id=plist.pk)
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="payments-{plist.village_code}-{plist.month:%Y-%m}.xlsx"'
    return response


app_name = "assistance_calc"
urlpatterns = [
    path("rules/", rules_page, name="rules"),
    path("rules/<int:rule_set_id>/", rule_page, name="rule"),
    path("grants/", grants_page, name="grants"),
    path("grants/<int:grant_id>/", grant_page, name="grant"),
    path("grants/<int:grant_id>/decision.pdf", grant_pdf, name="grant_pdf"),
    path("payments/", payments_page, name="payments"),
    path("payments/<int:list_id>/", payment_page, name="payment"),
    path("payments/<int:list_id>/bank.xlsx", payment_bank, name="payment_bank"),
]
