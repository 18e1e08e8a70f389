"""The citizen and enterprise portal (namespace ``portal``): my applications, apply online, answer a
补正, withdraw, rate. Staff accounts get 404 here (their pages are under /services/); another
person's application is 404 like an unknown one (the selector scopes to the applicant's own)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.models import User
from zhenwu.casework.process import process_get
from zhenwu.casework.services import attachment_store
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import selectors, services
from zhenwu.services.choices import RatingLevel, Status
from zhenwu.services.labels import action_label
from zhenwu.services.lights import live_light
from zhenwu.services.models import Application, Rating, RectificationTask, ServiceItemVersion
from zhenwu.services.services.common import is_applicant_account

View = Callable[..., HttpResponse]


def applicant_only(view: View) -> View:
    """Signed-in citizen or enterprise accounts; staff are sent nowhere (404)."""
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_applicant_account(_user(request)):
            raise Http404
        return view(request, *args, **kwargs)
    return wrapper




def _errors(exc: FieldError) -> list[str]:
    return [str(message) for _field, message in exc.errors]


# ---------------------------------------------------------------- my applications

def expected_of_me(user: User, app: Application) -> list[str]:
    """What the applicant is asked to do now: answer a 补正, give a rating."""
    actions = selectors.application_actions(user=user, application=app)
    todo = []
    if "supply" in actions:
        todo.append(_("Supply the missing materials: %(names)s") % {"names": "、".join(app.supplement_missing)})
    if "rate" in actions:
        todo.append(_("Rate the service"))
    return todo


@applicant_only
def index(request: HttpRequest) -> HttpResponse:
    """My applications with status, light and what is expected of me."""
    user = _user(request)
    rows = [{"app": a, "status": process_get(a.case.process).state_label(a.case.status),
             "todo": expected_of_me(user, a), "light": live_light(a.case)}
            for a in selectors.application_scope(user=user).order_by("-created_at", "-pk")[:200]]
    return render(request, "services/portal/index.html", {"rows": rows})


# ---------------------------------------------------------------- apply online

def _version(code: str) -> ServiceItemVersion:
    try:
        version = selectors.service_item_get(code=code).current_version
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    assert version is not None
    return version


def collect_files(request: HttpRequest, names: list[str]) -> tuple[dict[str, list[str]], list[str], dict[str, str]]:
    """Per material (form fields ``file_<i>`` / kept ``sha_<i>`` with their names ``fname_<i>``): store new
    uploads (type and size checked), keep the files already uploaded; errors name the material. Returns
    the hashes per material, the errors, and each file's name (to show it again after an error)."""
    kept: dict[str, list[str]] = {}
    errors: list[str] = []
    labels: dict[str, str] = {}
    for i, name in enumerate(names):
        shas, fnames = request.POST.getlist(f"sha_{i}"), request.POST.getlist(f"fname_{i}")
        hashes = [h for h in shas if re.fullmatch(r"[0-9a-f]{64}", h)]
        labels.update({h: n[:100] for h, n in zip(shas, fnames, strict=False)})
        for upload in request.FILES.getlist(f"file_{i}"):
            try:
                sha = attachment_store(actor=_user(request), data=upload.read()).sha256
            except FieldError as exc:
                errors += [f"{name}: {m}" for m in _errors(exc)]
                continue
            hashes.append(sha)
            labels[sha] = (upload.name or "")[:100]
        if hashes:
            kept[name] = list(dict.fromkeys(hashes))
    return kept, errors, labels


def _apply_context(version: ServiceItemVersion, kept: dict[str, list[str]], errors: list[str],
                   labels: dict[str, str] | None = None) -> dict[str, Any]:
    labels = labels or {}
    rows = [{"i": i, "m": m, "kept": [(h, labels.get(h, "")) for h in kept.get(m["name"], [])]}
            for i, m in enumerate(version.materials)]
    return {"v": version, "item": version.item, "rows": rows, "errors": errors}


@applicant_only
def apply(request: HttpRequest, code: str) -> HttpResponse:
    """Apply online: one upload per material; errors re-show the form with the files kept."""
    version = _version(code)
    if request.method != "POST":
        errors = [] if version.online else [_("This item cannot be applied for through this channel.")]
        return render(request, "services/portal/apply.html", _apply_context(version, {}, errors))
    kept, errors, labels = collect_files(request, version.material_names())
    if not errors:
        materials = [{"name": n, "attachments": h} for n, h in kept.items()]
        try:
            app = services.application_submit(actor=_user(request), item_code=version.item.code, channel="online",
                                              materials=materials, request_id=request.request_id)  # type: ignore[attr-defined]
        except FieldError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("Your application %(number)s has been received.")
                             % {"number": app.case.number})
            return redirect("portal:detail", number=app.case.number)
    return render(request, "services/portal/apply.html", _apply_context(version, kept, errors, labels), status=400)


# ---------------------------------------------------------------- one application

def _own(request: HttpRequest, number: str) -> Application:
    try:
        return selectors.application_get(user=_user(request), number=number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def notices(app: Application, actions: set[str]) -> list[tuple[str, str]]:
    """The PDF notices that exist for this case, by what happened to it."""
    found = []
    if app.first_contact_id:
        found.append(("acceptance", _("Acceptance notice")))
    if app.case.status == Status.REJECTED:
        found.append(("rejection", _("Notice of non-acceptance")))
    if "request_supplement" in actions:
        found.append(("supplement", _("One-time supplement notice")))
    if app.result:
        found.append(("completion", _("Completion notice")))
    return found


def detail_context(request: HttpRequest, app: Application, errors: list[str] | None = None) -> dict[str, Any]:
    user = _user(request)
    proc = process_get(app.case.process)
    timeline = list(selectors.application_timeline(application=app))
    rating = Rating.objects.filter(application=app).first()
    task = RectificationTask.objects.filter(application=app).first()
    return {"app": app, "status": proc.state_label(app.case.status), "actions": selectors.application_actions(
        user=user, application=app), "errors": errors or [], "levels": RatingLevel.choices,
        "timeline": [{"e": e, "label": proc.state_label(e.to_state) if e.to_state
                      else action_label(proc, e.action, e.from_state)} for e in timeline],
        "notices": notices(app, {e.action for e in timeline}), "rating": rating, "rectification": task,
        "todo": expected_of_me(user, app), "missing": list(enumerate(app.supplement_missing)),
        "light": live_light(app.case)}


@applicant_only
def detail(request: HttpRequest, number: str) -> HttpResponse:
    """Timeline, materials, notices and the forms of what I may do now."""
    app = _own(request, number)
    return render(request, "services/portal/detail.html", detail_context(request, app))


def _act(request: HttpRequest, number: str, act: Callable[[Application], Any], done: str) -> HttpResponse:
    """Run one applicant action; a FieldError re-shows the case page with the message, status kept."""
    app = _own(request, number)
    try:
        act(app)
    except FieldError as exc:
        app = _own(request, number)
        context = detail_context(request, app, _errors(exc))
        return render(request, "services/portal/detail.html", context, status=exc.status)
    messages.success(request, done)
    return redirect("portal:detail", number=number)


@require_POST
@applicant_only
def supply(request: HttpRequest, number: str) -> HttpResponse:
    """Answer a 补正 online: a file for every missing material."""
    def act(app: Application) -> None:
        kept, errors, _labels = collect_files(request, list(app.supplement_missing))
        if errors:
            raise FieldError(None, errors=[(None, e) for e in errors])
        services.application_supply(actor=_user(request), application=app,
                                    materials=[{"name": n, "attachments": h} for n, h in kept.items()],
                                    request_id=request.request_id)  # type: ignore[attr-defined]
    return _act(request, number, act, _("The materials have been supplied; handling resumes."))


@require_POST
@applicant_only
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    """撤回 before a decision."""
    def act(app: Application) -> None:
        services.application_withdraw(actor=_user(request), application=app,
                                      reason=request.POST.get("reason", "").strip()[:500],
                                      request_id=request.request_id)  # type: ignore[attr-defined]
    return _act(request, number, act, _("The application has been withdrawn."))


def _level(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise FieldError("level", _("Choose one of the five rating levels.")) from None


@require_POST
@applicant_only
def rate(request: HttpRequest, number: str) -> HttpResponse:
    """好差评, once, after 办结."""
    def act(app: Application) -> None:
        services.application_rate(actor=_user(request), application=app, level=_level(request.POST.get("level", "")),
                                  comment=request.POST.get("comment", ""),
                                  request_id=request.request_id)  # type: ignore[attr-defined]
    return _act(request, number, act, _("Thank you for your rating."))


urlpatterns = [
    path("", index, name="index"),
    path("apply/<str:code>/", apply, name="apply"),
    path("applications/<str:number>/", detail, name="detail"),
    path("applications/<str:number>/supply/", supply, name="supply"),
    path("applications/<str:number>/withdraw/", withdraw, name="withdraw"),
    path("applications/<str:number>/rate/", rate, name="rate"),
]
