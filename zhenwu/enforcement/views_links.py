"""Pages of 行政处罚决定公开 (public, under /public/enforcement/decisions/, throttled per client address) and the
officer's 审管联动 tasks with their two endings (staff, under /enforcement/supervision-tasks/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.models import User
from zhenwu.accounts.throttle import throttle
from zhenwu.enforcement import policy, selectors_links
from zhenwu.enforcement.choices import PublicationStatus
from zhenwu.enforcement.services.followups import followup_inspect, followup_open_case
from zhenwu.enforcement.views_staff import subnav
from zhenwu.errors import FieldError, NotFound

PAGE_SIZE = 20


def _throttled(request: HttpRequest) -> HttpResponse | None:
    try:
        throttle(scope="enforcement_public_ip", key=str(request.META.get("REMOTE_ADDR") or "-"))
    except FieldError as exc:
        return HttpResponse(str(exc.errors[0][1]), status=exc.status, content_type="text/plain; charset=utf-8")
    return None


def decision_list(request: HttpRequest) -> HttpResponse:
    """Published decisions, newest first; search by decision number, party or power; withdrawn ones marked."""
    refused = _throttled(request)
    if refused is not None:
        return refused
    q, status = request.GET.get("q", "")[:100], request.GET.get("status", "")
    if status not in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN):
        status = ""  # an unknown status in a hand-edited address shows every published decision
    rows = selectors_links.publication_public(q=q, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = [(s.value, s.label) for s in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)]
    return render(request, "enforcement/public/decision_list.html",
                  {"page": page, "q": q, "status": status, "statuses": statuses})


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _throttled(request)
    if refused is not None:
        return refused
    try:
        pub = selectors_links.publication_public_get(pub_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    return render(request, "enforcement/public/decision_detail.html", {"p": pub})


public_urlpatterns = [
    path("decisions/", decision_list, name="decisions"),
    path("decisions/<int:pk>/", decision_detail, name="decision"),
]


# --- 审管联动 (staff) -------------------------------------------------------------------------------------

def _staff(request: HttpRequest) -> User:
    """Staff only (others 404), with the page's roles (others 403)."""
    user = request.user
    if not isinstance(user, User) or user.kind != "staff":
        raise Http404
    if not policy.may_open(user, "followups"):
        raise PermissionDenied(_("Your roles do not allow this action."))
    return user


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    """My 审管联动 tasks (a leader: the scope's), open ones first, each with its two endings."""
    user = _staff(request)
    rows = selectors_links.followups_mine(user=user).order_by("-case__status", "case__deadline_due_at", "-pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = {r.pk for r in page.object_list if r.officer is not None and r.officer.user_id == user.pk}
    return render(request, "enforcement/followups/list.html", {"page": page, "subnav": subnav(user), "mine": mine})


def _end(request: HttpRequest, pk: int, run: Any) -> HttpResponse:
    user = _staff(request)
    try:
        selectors_links.followup_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    try:
        with transaction.atomic():
            run(user)
    except FieldError as exc:
        field, message = exc.errors[0]
        messages.error(request, f"{field}: {message}" if field else str(message))
    else:
        messages.success(request, _("Saved."))
    return redirect("enforcement_followups:list")


@login_required
@require_POST
def followup_inspection(request: HttpRequest, pk: int) -> HttpResponse:
    problem = request.POST.get("problem") == "1"
    return _end(request, pk, lambda user: followup_inspect(actor=user, pk=pk, problem=problem,
                                                           record=request.POST.get("record", "")))


@login_required
@require_POST
def followup_case(request: HttpRequest, pk: int) -> HttpResponse:
    ids: list[int] = []
    for value in request.POST.getlist("investigators"):
        for part in value.replace("，", ",").split(","):
            if part.strip():
                if not part.strip().isdigit():
                    messages.error(request, _("Enter the investigators' officer numbers."))
                    return redirect("enforcement_followups:list")
                ids.append(int(part.strip()))
    return _end(request, pk, lambda user: followup_open_case(
        actor=user, pk=pk, power_code=request.POST.get("power", "").strip(), facts=request.POST.get("facts", ""),
        investigators=ids))


app_name = "enforcement_followups"
urlpatterns = [
    path("", followup_list, name="list"),
    path("<int:pk>/inspection/", followup_inspection, name="inspection"),
    path("<int:pk>/case/", followup_case, name="case"),
]
