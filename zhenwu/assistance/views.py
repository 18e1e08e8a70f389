"""Staff pages of 社会救助: the files list (counts for everyone, files for those who may open them), a file's page
with every section, the needs database with its xlsx ledger, the application queue, a new application (a page
that works on a phone: the village worker files on the family's behalf) and an application's page with exactly
the steps the user may take; and the public publicity page (name, village and amount only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user
from zhenwu.accounts.masking import mask_id_number
from zhenwu.accounts.models import User
from zhenwu.assistance import exports, outputs, policy, selectors
from zhenwu.assistance.api_calc import steps_out
from zhenwu.assistance.choices import (
    ApplicationKind,
    AssetKind,
    AssistanceStatus,
    ConsentMethod,
    ExpenditureKind,
    Health,
    IncomeSource,
    NeedKind,
    NeedStatus,
    Schooling,
    WorkCapacity,
)
from zhenwu.assistance.services import applications as apps
from zhenwu.assistance.services import files
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError
from zhenwu.registry.exporting import XLSX_TYPE
from zhenwu.registry.models import Resident

PAGE_SIZE = 30
FIELD_LABELS = {
    "reason": _("Reason"), "living_conditions": _("Living conditions"), "findings": _("Findings"),
    "surveyors": _("Surveyors"), "needs": _("Needs"), "held_on": _("Held on"), "participants": _("Participants"),
    "votes_for": _("Votes for"), "votes_against": _("Votes against"), "minutes": _("Minutes"),
    "amount": _("Monthly amount (yuan)"), "objections": _("Objections"), "paid_from": _("Paid from"),
}
OPTIONAL_FIELDS = {"survey": ["surveyors"], "appraise": ["minutes"], "close_publicity": ["objections"]}
# The actions that end an application or a grant: set apart from the next step, under their own heading.
DESTRUCTIVE = ("reject", "deny", "withdraw", "review_stop")
CHECK_FLAGS = {"left_household": _("No longer in the household register"),
               "income_higher_than_declared": _("Imported income higher than declared")}


def _staff(request: HttpRequest) -> User:
    user = request_user(request)
    if user.kind != UserKind.STAFF or not policy.may_count(user):
        raise Http404
    return user


T = TypeVar("T")


def _found(read: Callable[[], T]) -> T:
    """A selector's 404 (absent, or not the reader's to see) as the page's 404."""
    try:
        return read()
    except FieldError as exc:
        if exc.status == 404:
            raise Http404 from exc
        raise


def _error(request: HttpRequest, exc: FieldError) -> None:
    messages.error(request, exc.text())


@login_required
def file_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    f = {k: request.GET.get(k, "")[:50] for k in ("status", "village", "q")}
    try:
        qs = selectors.file_list(user=user, **f)
    except FieldError as exc:
        _error(request, exc)
        qs = selectors.file_list(user=user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/file_list.html", {
        "page": page, "f": f, "statuses": AssistanceStatus.choices, "counts": selectors.file_counts(user=user),
        "application_counts": selectors.application_counts(user=user),
        "opens_files": policy.visible_q(user) is not False})


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    file = _found(lambda: selectors.file_get(user=user, pk=pk))  # 404 for anyone who may not open it
    files.file_view_record(actor=user, file=file, via="page", request_id=_rid(request))
    members = list(file.household.members.order_by("pk"))
    return render(request, "assistance/file_detail.html", {
        "file": file, "d": outputs.file_detail_out(file), "members": members,
        "may_edit": policy.may(user, "file_edit", area_code=file.area_code),
        "may_status": policy.may(user, "file_status", area_code=file.area_code),
        "statuses": AssistanceStatus.choices, "sources": IncomeSource.choices, "asset_kinds": AssetKind.choices,
        "expenditure_kinds": ExpenditureKind.choices, "need_kinds": NeedKind.choices,
        "capacities": WorkCapacity.choices, "schooling": Schooling.choices, "health": Health.choices,
        "need_statuses": NeedStatus.choices, "resources": selectors.resource_list(user=user)})


@login_required
@require_POST
def file_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """One form of the file page: a member, an income, an asset, an expenditure (with its evidence), a need,
    a status, a resource matched to a need."""
    user, p = _staff(request), request.POST
    try:
        if section == "member":
            files.member_update(actor=user, file_id=pk, resident_id=int(p.get("resident") or 0),
                                disability_grade=p.get("disability_grade"), work_capacity=p.get("work_capacity"),
                                schooling=p.get("schooling"), health=p.get("health"))
        elif section == "income":
            files.income_add(actor=user, file_id=pk, source=p.get("source", ""),
                             monthly_amount=p.get("monthly_amount"), member_id=p.get("member") or None)
        elif section == "asset":
            files.asset_add(actor=user, file_id=pk, kind=p.get("kind", ""), description=p.get("description", ""),
                            value=p.get("value"))
        elif section == "expenditure":
            upload = request.FILES.get("evidence")
            files.expenditure_add(actor=user, file_id=pk, kind=p.get("kind", ""), year=p.get("year"),
                                  yearly_amount=p.get("yearly_amount"), member_id=p.get("member") or None,
                                  evidence=upload.read() if upload else None, description=p.get("description", ""))
        elif section == "need":
            files.need_add(actor=user, file_id=pk, kind=p.get("kind", ""), description=p.get("description", ""),
                           member_id=p.get("member") or None)
        elif section == "match":
            files.need_match(actor=user, need_id=int(p.get("need") or 0), resource_id=int(p.get("resource") or 0))
        elif section == "status":
            files.file_status_change(actor=user, file_id=pk, status=p.get("status", ""), reason=p.get("reason", ""))
        else:
            raise Http404
        messages.success(request, _("Saved."))
    except FieldError as exc:
        if exc.status == 404:
            raise Http404 from exc
        _error(request, exc)
    except ValueError:
        messages.error(request, _("Unknown value: choose one of the listed options."))
    return redirect("assistance:file", pk=pk)


def _needs(request: HttpRequest, user: User) -> tuple[Any, dict[str, str]]:
    f = {k: request.GET.get(k, "")[:20] for k in ("kind", "status", "village", "matched")}
    try:
        return selectors.need_list(user=user, **f), f
    except FieldError as exc:
        _error(request, exc)
        return selectors.need_list(user=user), f


@login_required
def need_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    qs, f = _needs(request, user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistance/need_list.html", {
        "page": page, "f": f, "kinds": NeedKind.choices, "statuses": NeedStatus.choices,
        "query": request.GET.urlencode()})


@login_required
def need_export(request: HttpRequest) -> HttpResponse:
    from zhenwu.casework.services import audit_record

    user = _staff(request)
    rows = list(_needs(request, user)[0])
    audit_record(subject=f"assistance.export:{user.pk}", actor=user, action="export_needs",
                 data={"files": sorted({n.file_id for n in rows})[:5000]}, request_id=_rid(request))
    response = HttpResponse(exports.needs_xlsx(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="assistance-needs.xlsx"'
    return response


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    f = {"status": request.GET.get("status", "")[:20], "kind": request.GET.get("kind", "")[:16],
         "review_due": request.GET.get("review_due", "") == "1"}
    try:
        qs = selectors.application_list(user=user, **f)  # type: ignore[arg-type]
    except FieldError as exc:
        _error(request, exc)
        qs = selectors.application_list(user=user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [outputs.application_out(a) for a in page.object_list]
    states = {s.key: s.label for key in ("assistance:full:v1", "assistance:short:v1")
              for s in process_get(key).states.values()}
    return render(request, "assistance/application_list.html", {
        "page": page, "rows": rows, "f": f, "kinds": ApplicationKind.choices, "states": sorted(states.items()),
        "may_file": user.has_role(*policy.ACTION_ROLES["application_file"])})


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """代为申请: a page that fits a phone; the worker finds the family member among the households they see."""
    user = _staff(request)
    if not user.has_role(*policy.ACTION_ROLES["application_file"]):
        raise Http404
    q = request.GET.get("q", "").strip()[:20]
    found: list[Resident] = []
    if q:
        visible = policy.filtered(Resident.objects.filter(household__isnull=False), user, "household__area_code")
        found = list(visible.filter(Q(name__startswith=q) | Q(household__number=q)).select_related("household")[:20])
    if request.method == "POST":
        p = request.POST
        try:
            row = apps.application_file(actor=user, kind=p.get("kind", ""), applicant_id=int(p.get("applicant") or 0),
                                        reason=p.get("reason", ""), channel=p.get("channel", "proxy"),
                                        consent_method=p.get("consent_method", ""),
                                        consent_by=p.get("consent_by", ""), request_id=_rid(request))
            messages.success(request, _("Application %(number)s filed.") % {"number": row.case.number})
            return redirect("assistance:application", number=row.case.number)
        except FieldError as exc:
            _error(request, exc)
        except ValueError:
            messages.error(request, _("Choose the applicant."))
    return render(request, "assistance/application_new.html", {
        "q": q, "found": [(r, mask_id_number(r.id_number)) for r in found], "kinds": ApplicationKind.choices,
        "consents": ConsentMethod.choices, "is_civil": user.has_role(Role.CIVIL_AFFAIRS), "post": request.POST})


@login_required
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _staff(request)
    row = _found(lambda: selectors.application_get(user=user, number=number))
    files.file_view_record(actor=user, file=row.file, via=f"page:{number}", request_id=_rid(request))
    d = outputs.application_detail_out(user, row)
    quote = _quote(row, d["actions"])
    initial = {("approve", "amount"): str(quote.result.amount)} if quote and quote.result.amount > 0 else {}
    for act in d["actions"]:
        act["fields"] = [(name, FIELD_LABELS.get(name, name), True, initial.get((act["key"], name), ""))
                         for name in act["required"]] + [
            (name, FIELD_LABELS.get(name, name), False, "") for name in OPTIONAL_FIELDS.get(act["key"], [])]
    # The next step first and primary, other steps secondary, the ones that end the case set apart.
    steps = [a for a in d["actions"] if a["key"] not in DESTRUCTIVE]
    for i, act in enumerate(steps):
        act["group"] = "primary" if i == 0 else "secondary"
    danger = [a for a in d["actions"] if a["key"] in DESTRUCTIVE]
    for act in danger:
        act["group"] = "danger"
    for flag in (d["check_result"] or {}).get("flags", []):
        flag["label"] = CHECK_FLAGS.get(flag.get("flag", ""), flag.get("flag", ""))
    return render(request, "assistance/application_detail.html", {
        "row": row, "d": d, "steps": steps, "danger": danger, "need_kinds": NeedKind.choices, "quote": quote,
        "quote_steps": steps_out(quote.result.breakdown(quote.inputs, quote.rules)["steps"]) if quote else [],
        "photos_open": row.case.status in ("surveying", "reviewing") and user.has_role(*policy.ACTION_ROLES[
            "application_file"])})


def _quote(row: Any, actions: list[dict[str, Any]]) -> Any:
    """At 审核确认: what the town's published rules give the household (the amount the approval confirms)."""
    return apps.rules_quote(row) if any(a["key"] == "approve" for a in actions) else None


@login_required
@require_POST
def application_act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user, p = _staff(request), request.POST
    fields = {k[2:]: v for k, v in p.items() if k.startswith("f_") and v != ""}
    if p.get("need_kind") and p.get("need_description"):
        fields["needs"] = [{"kind": p["need_kind"], "description": p["need_description"]}]
    try:
        apps.application_act(actor=user, number=number, action=action, fields=fields, reason=p.get("reason", ""),
                             expected_version=int(p.get("version") or 0) or None, request_id=_rid(request))
        messages.success(request, _("Done."))
    except FieldError as exc:
        if exc.status == 404:
            raise Http404 from exc
        _error(request, exc)
    return redirect("assistance:application", number=number)


@login_required
@require_POST
def application_photo(request: HttpRequest, number: str) -> HttpResponse:
    user = _staff(request)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise FieldError("photo", _("Choose a photo."))
        apps.survey_photo_add(actor=user, number=number, data=upload.read(), name=upload.name or "",
                              request_id=_rid(request))
        messages.success(request, _("Photo added."))
    except FieldError as exc:
        if exc.status == 404:
            raise Http404 from exc
        _error(request, exc)
    return redirect("assistance:application", number=number)


def publicity(request: HttpRequest) -> HttpResponse:
    """公示 (public): name, village and amount only, while the publicity runs."""
    rows = list(selectors.publicity_list()[:2000])
    villages = selectors.village_names(sorted({r.case.area_code[:selectors.VILLAGE] for r in rows}))
    return render(request, "assistance/publicity.html", {"rows": [outputs.publicity_out(r, villages) for r in rows]})
