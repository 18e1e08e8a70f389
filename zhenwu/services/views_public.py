"""Pages without login (namespace ``public``): the service guide (办事指南) and case tracking (办件查询).

Thin views over ``selectors``: the catalogue is public; tracking asks for the case number and the last
four digits of the applicant's mobile, and the selector limits wrong attempts (429).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from zhenwu.errors import FieldError, NotFound
from zhenwu.services import selectors
from zhenwu.services.choices import DeliveryMode, ItemKind, MaterialForm
from zhenwu.services.models import ServiceItem
from zhenwu.services.qr import qr_svg

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


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """办件查询: number + last four mobile digits (POST, so the digits stay out of logs) → timeline."""
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()
    context: dict[str, Any] = {"number": number, "error": None, "tracking": None}
    if request.method != "POST":
        return render(request, "services/public/track.html", context)
    try:
        context["tracking"] = selectors.tracking_get(number=number, digits=request.POST.get("digits", "").strip())
    except FieldError as exc:
        context["error"] = str(exc.errors[0][1])
        return render(request, "services/public/track.html", context, status=exc.status)
    return render(request, "services/public/track.html", context)


urlpatterns = [
    path("guide/", guide_list, name="guide"),
    path("guide/<str:code>/", guide_item, name="guide_item"),
    path("track/", track, name="track"),
]
