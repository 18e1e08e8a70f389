"""好差评 rectification tasks and 审管联动 supervision tasks as pages: lists, and the next step's form.

The steps run through the services in ``services/feedback.py`` (roles, scope and state are checked there);
a refused step shows the page again with the message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhenwu.accounts.models import User
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import policy, selectors
from zhenwu.services.choices import RectificationStatus
from zhenwu.services.models import RectificationTask
from zhenwu.services.policy import may_open
from zhenwu.services.services import (
    rectification_answer,
    rectification_callback,
    rectification_verify,
    supervision_task_complete,
)

PAGE_SIZE = 25

# The one step open in each state: (form field, label of the field, service).
STEPS: dict[str, tuple[str, Any, Callable[..., RectificationTask]]] = {
    RectificationStatus.OPEN: ("finding", gettext_lazy("Verification finding"), rectification_verify),
    RectificationStatus.VERIFIED: ("reply", gettext_lazy("Rectification and reply to the applicant"),
                                   rectification_answer),
    RectificationStatus.ANSWERED: ("record", gettext_lazy("Call-back record"), rectification_callback),
}


def _staff(request: HttpRequest, page: str = "rectifications") -> User:
    """Staff only (others 404), and only the roles the page serves (others 403, and no link shows it)."""
    user = request.user
    if not isinstance(user, User) or user.kind != "staff":
        raise Http404
    if not may_open(user, page):
        raise PermissionDenied(_("Your roles do not allow this action."))
    return user


def _task(user: User, pk: int) -> RectificationTask:
    try:
        return selectors.rectification_get(user=user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def rectification_list(request: HttpRequest) -> HttpResponse:
    """Every rectification task in the user's scope, open ones first, filterable by status."""
    user = _staff(request)
    status = request.GET.get("status", "")
    status = status if status in RectificationStatus.values else ""
    qs = selectors.rectification_list(user=user, status=status).order_by("status", "rectify_due_at", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "services/feedback/rectifications.html",
                  {"page": page, "status": status, "statuses": RectificationStatus.choices})


@login_required
def rectification_detail(request: HttpRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    user = _staff(request)
    task = _task(user, pk)
    step = STEPS.get(task.status)
    # The form shows only when the service would take the step (the same policy answers both).
    shown = step is not None and policy.may(user, step[2].__name__, area_code=task.area_code)
    context = {"task": task, "step": {"field": step[0], "label": step[1]} if step and shown else None,
               "error": error}
    return render(request, "services/feedback/rectification.html", context, status=status)


@login_required
@require_POST
def rectification_step(request: HttpRequest, pk: int) -> HttpResponse:
    """The next step of the task (verify → answer → call back); the text field is required."""
    user = _staff(request)
    task = _task(user, pk)
    step = STEPS.get(task.status)
    if step is None:
        return rectification_detail(request, pk, _("This task is closed."), status=409)
    field, _label, service = step
    try:
        with transaction.atomic():
            service(actor=user, task=task, **{field: request.POST.get(field, "")})
    except FieldError as exc:
        return rectification_detail(request, pk, str(exc.errors[0][1]), status=exc.status)
    messages.success(request, _("Saved."))
    return redirect("services:rectification", pk=pk)


@login_required
def supervision_tasks(request: HttpRequest) -> HttpResponse:
    """审管联动: approvals that need follow-up supervision, in the user's scope."""
    user = _staff(request, "supervision_tasks")
    qs = selectors.supervision_list(user=user).select_related("application__case", "application__item_version")
    page = Paginator(qs.order_by("status", "-created_at", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    # The "done" form shows only where the service would take it (the same policy answers both).
    may_complete = {t.pk for t in page.object_list
                    if policy.may(user, "supervision_task_complete", area_code=t.area_code)}
    return render(request, "services/feedback/supervision_tasks.html", {"page": page, "may_complete": may_complete})


@login_required
@require_POST
def supervision_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request, "supervision_tasks")
    task = selectors.supervision_list(user=user).filter(pk=pk).first()
    if task is None:
        raise Http404
    try:
        with transaction.atomic():
            supervision_task_complete(actor=user, task=task, note_text=request.POST.get("note", ""))
    except FieldError as exc:
        messages.error(request, str(exc.errors[0][1]))
    else:
        messages.success(request, _("Saved."))
    return redirect("services:supervision_tasks")


urlpatterns = [
    path("rectifications/", rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/step/", rectification_step, name="rectification_step"),
    path("supervision-tasks/", supervision_tasks, name="supervision_tasks"),
    path("supervision-tasks/<int:pk>/done/", supervision_task_done, name="supervision_task_done"),
]
