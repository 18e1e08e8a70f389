"""Staff pages of early warning (/assistance/warnings/) and 福村宝 (/assistance/mutual-aid/), and the public
mutual-aid ledger of a village (/public/assistance/mutual-aid/<village>/, names masked, throttled)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from zhenwu import charts
from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user
from zhenwu.accounts.models import User
from zhenwu.accounts.throttle import throttle
from zhenwu.assistance import policy_warnings as policy
from zhenwu.assistance import selectors_warnings as selectors
from zhenwu.assistance.choices import AssistanceStatus
from zhenwu.assistance.choices_warnings import ClaimStatus, FundSource, ImportKind, WarningOutcome
from zhenwu.assistance.models import Claim, Enrolment, MutualAidYear, Settlement
from zhenwu.assistance.services import imports, mutual_aid
from zhenwu.assistance.services import warnings as services
from zhenwu.errors import FieldError, NotFound
from zhenwu.registry.models import Resident

PAGE_SIZE = 30


def _staff(request: HttpRequest) -> User:
    """Staff with a scope (counts); 403 for staff without one, 404 for others."""
    user = request_user(request)
    try:
        policy.check_counts(user)
    except NotFound as exc:
        raise Http404 from exc
    except FieldError as exc:
        raise PermissionDenied from exc
    return user


def _error(exc: FieldError) -> str:
    return exc.text("zh-hans")


# --- warnings --------------------------------------------------------------------------------------------

@login_required
def warning_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    state = request.GET.get("state", "")
    qs = policy.warnings_visible(user).select_related("case__handler")
    if state in ("open", "closed"):
        qs = qs.filter(state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/warnings/list.html", {
        "page": page, "state": state, "manager": policy.is_manager(user), "rules": services.rules_current().values(),
        "statuses": dict(AssistanceStatus.choices)})


@login_required
def warning_counts(request: HttpRequest) -> HttpResponse:
    """Warnings, visits and outcomes per village (chart, table one click away) and per town."""
    user = _staff(request)
    error = ""
    try:
        start, end = selectors.parse_period(request.GET.get("date_from", ""), request.GET.get("date_to", ""))
    except FieldError as exc:
        start = end = None
        error = _error(exc)
    counts = selectors.warning_counts(user=user, date_from=start, date_to=end)
    rows = counts["villages"]
    chart = charts.Chart(
        key="warning-counts", title=str(_("Warnings per village")), kind="bar",
        categories=[r["name"] for r in rows],
        series=[charts.Series(str(_("Raised")), [r["raised"] for r in rows]),
                charts.Series(str(_("Visited")), [r["visited"] for r in rows]),
                charts.Series(str(_("Application opened")), [r["application_opened"] for r in rows]),
                charts.Series(str(_("Overdue")), [r["overdue"] for r in rows], colour=charts.LIGHT_COLOURS["red"]),
                charts.Series(str(_("No need")), [r["no_need"] for r in rows], table_only=True),
                charts.Series(str(_("Referred")), [r["referred"] for r in rows], table_only=True)],
        note=str(_("Warnings by the day they were raised for; visits and outcomes of those warnings.")))
    return render(request, "assistance/warnings/counts.html", {
        "chart": chart, "towns": counts["towns"], "error": error,
        "date_from": request.GET.get("date_from", ""), "date_to": request.GET.get("date_to", "")})


@login_required
def warning_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _staff(request)
    try:
        warning = policy.warning_get(user, number)
    except NotFound as exc:
        raise Http404 from exc
    error = ""
    if request.method == "POST":
        try:
            photos = [(f.name or "", f.read()) for f in request.FILES.getlist("photos")[:services.MAX_PHOTOS + 1]]
            services.warning_visit(
                actor=user, warning=warning, record=request.POST.get("record", ""),
                outcome=request.POST.get("outcome", ""), application_number=request.POST.get("application_number", ""),
                referred_to=request.POST.get("referred_to", ""), photos=photos,
                expected_version=_int(request.POST.get("expected_version")), request_id=_rid(request))
            return redirect("assistance_warn:warning", number=number)
        except FieldError as exc:
            error = _error(exc)
        warning = policy.warning_get(user, number)
    else:
        services.warning_viewed(actor=user, warning=warning, request_id=_rid(request))
    window = Settlement.objects.filter(person=warning.person, date__lte=warning.as_of)
    if warning.window_start:
        window = window.filter(date__gt=warning.window_start)
    return render(request, "assistance/warnings/detail.html", {
        "w": warning, "visit": getattr(warning, "visit", None), "settlements": window.order_by("date")[:200],
        "may_visit": services.may_visit(user, warning), "outcomes": WarningOutcome.choices, "error": error,
        "data": request.POST})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def warning_import(request: HttpRequest) -> HttpResponse:
    """Upload a settlements or life-events sheet (dry run first, then import); every bad row is listed."""
    user = _staff(request)
    if not policy.is_manager(user):
        raise PermissionDenied
    report, error = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise FieldError("file", _("Choose a file."))
            report = imports.import_file(actor=user, kind=request.POST.get("kind", ""), data=upload.read(),
                                         file_name=upload.name or "", dry_run=request.POST.get("dry_run") == "1")
        except FieldError as exc:
            error = _error(exc)
    return render(request, "assistance/warnings/import.html", {
        "report": report, "error": error, "kinds": ImportKind.choices,
        "columns": {"settlements": imports.SETTLEMENT_COLUMNS, "events": imports.EVENT_COLUMNS},
        "batches": selectors.imports_visible(user)[:20]})


# --- 福村宝 -----------------------------------------------------------------------------------------------

@login_required
def year_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    error = ""
    if request.method == "POST":
        try:
            year = mutual_aid.year_open(actor=user, village_code=request.POST.get("village", ""),
                                        year=_int(request.POST.get("year")) or 0)
            return redirect("assistance_warn:mutual_aid_year", pk=year.pk)
        except FieldError as exc:
            error = _error(exc)
    years = [(y, selectors.year_summary(y)) for y in selectors.years_visible(user)[:200]]
    return render(request, "assistance/mutual_aid/list.html", {
        "years": years, "manager": policy.is_manager(user), "error": error, "this_year": dt.date.today().year})


def _money(value: str) -> Decimal | str:
    try:
        return Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return value


def _date(value: str, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise FieldError(field, _("Enter a valid date (YYYY-MM-DD).")) from exc


def _act(request: HttpRequest, user: User, year: MutualAidYear) -> None:
    """One form of the year's page (``form`` names it); the services check who may."""
    p = request.POST
    form = p.get("form", "")
    if form == "group":
        mutual_aid.group_add(actor=user, year=year, code=p.get("code", ""), name=p.get("name", ""),
                             rate=_money(p.get("rate", "")), cap=_money(p.get("cap", "")),
                             deductible=_money(p.get("deductible", "") or "0"))
    elif form == "enrol":
        person = Resident.objects.filter(id_number=p.get("id_number", "").strip().upper(),
                                         area_code__startswith=year.area_code).first()
        if person is None:
            policy.check_roll(user, year.area_code)
            raise FieldError("id_number", _("No resident with this ID number in the village."))
        mutual_aid.enrol(actor=user, year=year, person=person)
    elif form == "fund":
        mutual_aid.fund_add(actor=user, year=year, source=p.get("source", ""), amount=_money(p.get("amount", "")),
                            donor=p.get("donor", ""), note=p.get("note", ""))
    elif form == "claim":
        enrolment = Enrolment.objects.filter(pk=_int(p.get("enrolment")) or 0, year=year).first()
        group = year.groups.filter(code=p.get("group", "")).first()
        if enrolment is None or group is None:
            policy.check_roll(user, year.area_code)
            raise FieldError("enrolment" if enrolment is None else "group", _("Choose one of the allowed values."))
        mutual_aid.claim_file(actor=user, year=year, enrolment=enrolment, group=group,
                              eligible=_money(p.get("eligible", "")),
                              treated_on=_date(p.get("treated_on", ""), "treated_on"))  # type: ignore[arg-type]
    elif form in ("pay", "reject"):
        claim = Claim.objects.filter(pk=_int(p.get("claim")) or 0, year=year).first()
        if claim is None:
            raise FieldError("claim", _("No such claim."))
        if form == "pay":
            mutual_aid.claim_pay(actor=user, claim=claim, reference=p.get("reference", ""))
        else:
            mutual_aid.claim_reject(actor=user, claim=claim, reason=p.get("reason", ""))
    else:
        raise FieldError("form", _("Choose one of the allowed values."))


@login_required
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    try:
        year = selectors.year_get(user, pk)
    except NotFound as exc:
        raise Http404 from exc
    error = ""
    if request.method == "POST":
        try:
            _act(request, user, year)
            return redirect("assistance_warn:mutual_aid_year", pk=pk)
        except NotFound as exc:
            raise Http404 from exc
        except FieldError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            error = _error(exc)
    roll = policy.may_keep_roll(user, year.area_code)
    return render(request, "assistance/mutual_aid/year.html", {
        "year": year, "summary": selectors.year_summary(year), "groups": year.groups.all(), "roll": roll,
        "manager": policy.is_manager(user, year.area_code), "error": error, "sources": FundSource.choices,
        "enrolments": Enrolment.objects.filter(year=year).select_related("person")[:2000] if roll else [],
        "claims": (Claim.objects.filter(year=year).select_related("enrolment__person", "group")[:2000]
                   if roll else []),
        "filed": ClaimStatus.FILED})


def public_ledger(request: HttpRequest, village: str) -> HttpResponse:
    """福村宝 public ledger of a village: where the money came from and went, names masked. Anonymous
    visitors are throttled per client address (``assistance_ledger_ip``)."""
    if not request.user.is_authenticated:
        try:
            throttle(scope="assistance_ledger_ip", key=str(request.META.get("REMOTE_ADDR") or "-"))
        except FieldError as exc:
            return render(request, "assistance/mutual_aid/public.html", {"error": _error(exc)}, status=429)
    try:
        ledger = selectors.public_ledger(village)
    except NotFound as exc:
        raise Http404 from exc
    context: dict[str, Any] = {"ledger": ledger}
    return render(request, "assistance/mutual_aid/public.html", context)
