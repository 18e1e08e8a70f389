"""Pages without login (namespace ``public``): the service guide (办事指南) and case tracking (办件查询).

Thin views over ``selectors``: the catalogue is public; tracking asks for the case number and its
查询码 (``tracking``: attempts limited per IP and per number, 429). The applicant rates without a login
from tracking (with a code sent to their mobile), from the signed link of the 出件 SMS, or on the
window's rating pad (``services.ratings``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from zhenwu.accounts.masking import mask_name
from zhenwu.errors import FieldError, NotFound
from zhenwu.services import selectors, services
from zhenwu.services.choices import DeliveryMode, ItemKind, MaterialForm, RatingLevel
from zhenwu.services.models import Application, ServiceItem
from zhenwu.services.process import KIND
from zhenwu.services.qr import qr_svg
from zhenwu.services.services import ratings
from zhenwu.services.tracking import tracking_find, tracking_view

TIMING = {"instant": {"current_version__promised_limit_days": 0},
          "promised": {"current_version__promised_limit_days__gt": 0}}


def guide_items(params: Any) -> QuerySet[ServiceItem]:
    """The catalogue filtered by the guide's query string: q, department, kind, timing, online."""
    items = selectors.service_item_list(q=params.get("q", "").strip()[:100],
                                        department=params.get("department", ""),
                                        kind=params.get("kind", ""))
    items = items.filter(**TIMING.get(params.get("timing", ""), {}))
    if params.get("online"):
        items = items.filter(current_version__online=True)
    return items


def guide_list(request: HttpRequest) -> HttpResponse:
    """办事指南: search by name or code, filter by department, kind, 即办件/承诺件 and online."""
    departments = (ServiceItem.objects.filter(active=True).order_by("department")
                   .values_list("department", flat=True).distinct())
    context = {"items": guide_items(request.GET), "params": request.GET, "departments": departments,
               "kinds": ItemKind.choices}
    return render(request, "services/public/guide_list.html", context)


def _item(code: str) -> ServiceItem:
    try:
        return selectors.service_item_get(code=code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def guide_item(request: HttpRequest, code: str) -> HttpResponse:
    """One item with every element and a QR code of this page's address."""
    item = _item(code)
    version = item.current_version
    url = request.build_absolute_uri(reverse("public:guide_item", args=[item.code]))
    forms = dict(MaterialForm.choices)
    materials = [{**m, "form_label": forms.get(m.get("form", ""), m.get("form", ""))}
                 for m in version.materials] if version else []
    context = {"item": item, "v": version, "materials": materials, "url": url,
               "qr": mark_safe(qr_svg(url, title=item.name)),  # noqa: S308 - segno escapes the title
               "delivery_labels": _delivery_labels(version.delivery if version else [])}
    return render(request, "services/public/guide_item.html", context)


def _delivery_labels(modes: list[str]) -> list[str]:
    labels = dict(DeliveryMode.choices)
    return [str(labels.get(m, m)) for m in modes]


def client_ip(request: HttpRequest) -> str:
    """The address the limits count per client (the proxy set-up decides what REMOTE_ADDR holds)."""
    return str(request.META.get("REMOTE_ADDR") or "-")


TRACKED_KEY = "services_tracked"


def _remember(request: HttpRequest, number: str) -> None:
    """This browser proved the 查询码 of ``number``: it may ask for a rating code without typing it again."""
    seen = [n for n in request.session.get(TRACKED_KEY, []) if n != number]
    request.session[TRACKED_KEY] = (seen + [number])[-10:]


def _tracked(request: HttpRequest, number: str) -> Application:
    """The application this browser tracked (by its code) in this session; 404 otherwise."""
    app = Application.objects.select_related("case", "item_version").filter(case__number=number).first()
    if app is None or number not in request.session.get(TRACKED_KEY, []):
        raise Http404
    return app


def _track_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("levels", RatingLevel.choices)
    context.setdefault("kind_code", KIND)
    return render(request, "services/public/track.html", context, status=status)


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """办件查询: number + 查询码, both POSTed (nothing personal or secret in the address) → status,
    expected completion date, result, steps, and the way to rate."""
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()
    context: dict[str, Any] = {"number": number, "error": None, "tracking": None}
    if request.method != "POST":
        return _track_page(request, context)
    try:
        app = tracking_find(number=number, code=request.POST.get("code", ""), ip=client_ip(request))
    except FieldError as exc:
        context["error"] = str(exc.errors[0][1])
        return _track_page(request, context, status=exc.status)
    _remember(request, app.case.number)
    context["tracking"] = tracking_view(app)
    return _track_page(request, context)


@require_POST
def track_rating_code(request: HttpRequest) -> HttpResponse:
    """Send the rating code to the applicant's mobile (for a case tracked in this session)."""
    app = _tracked(request, request.POST.get("number", ""))
    context: dict[str, Any] = {"number": app.case.number, "error": None}
    status = 200
    try:
        services.rating_code_send(application=app)
        context["code_sent"] = True
    except FieldError as exc:
        context["error"], status = str(exc.errors[0][1]), exc.status
        context["code_sent"] = exc.field == "code"  # sent a moment ago: the form stays
    context["tracking"] = tracking_view(app)
    return _track_page(request, context, status)


@require_POST
def track_rate(request: HttpRequest) -> HttpResponse:
    """好差评 on the tracking page with the code sent to the applicant's mobile."""
    app = _tracked(request, request.POST.get("number", ""))
    context: dict[str, Any] = {"number": app.case.number, "error": None, "code_sent": True}
    try:
        services.rating_by_code(application=app, code=request.POST.get("sms_code", ""),
                                level=_int(request.POST.get("level")), comment=request.POST.get("comment", ""))
    except FieldError as exc:
        context["error"], context["tracking"] = str(exc.errors[0][1]), tracking_view(app)
        return _track_page(request, context, exc.status)
    context["rated"], context["tracking"] = True, tracking_view(app)
    return _track_page(request, context)


def _int(raw: Any) -> int:
    try:
        return int(str(raw))
    except ValueError:
        return 0


# ---------------------------------------------------------------- the signed SMS link

@require_http_methods(["GET", "POST"])
def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """好差评 from the link in the SMS sent at 出件: no login, once."""
    context: dict[str, Any] = {"token": token, "levels": RatingLevel.choices, "error": None}
    try:
        app = ratings.rating_link_application(token)
    except FieldError as exc:
        context["error"] = str(exc.errors[0][1])
        return render(request, "services/public/rate.html", context, status=exc.status)
    context.update({"app": app, "applicant": mask_name(app.applicant_name), "open": ratings.rateable(app)})
    status = 200
    if request.method == "POST":
        try:
            services.rating_by_link(token=token, level=_int(request.POST.get("level")),
                                    comment=request.POST.get("comment", ""))
            context["rated"], context["open"] = True, False
        except FieldError as exc:
            context["error"], status = str(exc.errors[0][1]), exc.status
    return render(request, "services/public/rate.html", context, status=status)


# ---------------------------------------------------------------- the window's rating pad

@require_http_methods(["GET", "POST"])
def pad(request: HttpRequest, token: str) -> HttpResponse:
    """窗口评价器, the tablet facing the applicant: idle (refreshing itself) until the clerk opens a case,
    then five levels to tap."""
    try:
        the_pad = ratings.rating_pad_get(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context: dict[str, Any] = {"levels": RatingLevel.choices, "error": None, "pad": the_pad}
    status = 200
    if request.method == "POST":
        try:
            services.rating_pad_rate(token=token, number=request.POST.get("number", ""),
                                     level=_int(request.POST.get("level")), comment=request.POST.get("comment", ""))
            context["thanks"] = True
        except FieldError as exc:
            context["error"], status = str(exc.errors[0][1]), exc.status
    app = ratings.rating_pad_case(the_pad)
    context.update({"app": app, "applicant": mask_name(app.applicant_name) if app else ""})
    return render(request, "services/public/pad.html", context, status=status)


urlpatterns = [
    path("guide/", guide_list, name="guide"),
    path("guide/<str:code>/", guide_item, name="guide_item"),
    path("track/", track, name="track"),
    path("track/rating-code/", track_rating_code, name="track_rating_code"),
    path("track/rate/", track_rate, name="track_rate"),
    path("rate/<str:token>/", rate_link, name="rate"),
    path("pad/<str:token>/", pad, name="pad"),
]
