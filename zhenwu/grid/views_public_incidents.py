"""Public pages of 一网治理 (namespace ``grid_public``, under /public/grid/): a citizen reports an incident
with a map pin and photos — signed in or anonymous, throttled per client address — and gets its number
and 查询码; anyone tracks an incident by its number and that code (or the last 4 digits of the mobile
given), seeing the status and the outcome only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from zhenwu.accounts.models import User
from zhenwu.accounts.throttle import throttle
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _g
from zhenwu.grid import policy
from zhenwu.grid.choices import Source
from zhenwu.grid.services.incidents import coordinate_parse, incident_report
from zhenwu.grid.tracking import tracking_code, tracking_find, tracking_view
from zhenwu.grid.views_incidents import category_groups, read_photos

REPORT_KEYS = ("category", "lng", "lat", "address", "description", "reporter_name", "reporter_mobile")


def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "-")


def _background() -> dict[str, Any]:
    """Town and village outlines as the map's background (public geography: names and shapes)."""
    rows = Area.objects.filter(level__in=(AreaLevel.TOWN, AreaLevel.VILLAGE)).only("geometry", "name", "level")[:200]
    features = [{"type": "Feature", "geometry": a.geometry, "properties": {"name": a.name, "level": a.level}}
                for a in rows if a.geometry]
    return {"type": "FeatureCollection", "features": features}


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """群众上报: category, a pin on the map, a description and photos; the answer is the number and the
    查询码. Every attempt counts against the client address's allowance (``grid_report_ip``)."""
    user = request.user if isinstance(request.user, User) and policy.is_public_account(request.user) else None
    values = {k: request.POST.get(k, "").strip() for k in REPORT_KEYS}
    errors: dict[str, str] = {}
    error, status, filed = "", 200, None
    if request.method == "POST":
        try:
            throttle(scope="grid_report_ip", key=_ip(request))
            if user is not None:
                throttle(scope="grid_report_user", key=f"user:{user.pk}")
            lng, lat = coordinate_parse(values["lng"], "lng"), coordinate_parse(values["lat"], "lat")
            if lng is None or lat is None:
                raise FieldError("lng", _g("Put the pin on the map where the problem is."))
            filed = incident_report(actor=user, category=values["category"], lng=lng, lat=lat,
                                    address=values["address"], description=values["description"],
                                    source=Source.CITIZEN, photos=read_photos(request),
                                    reporter_name=values["reporter_name"], reporter_mobile=values["reporter_mobile"])
        except FieldError as exc:
            status = exc.status
            for field, message in exc.errors:
                head = (field or "").split(".")[0]
                if head in REPORT_KEYS or head == "photos":
                    errors.setdefault(head, str(message))
                else:
                    error = str(message)
    if filed is not None:
        return render(request, "grid/public/reported.html", {
            "number": filed.case.number, "code": tracking_code(filed.case.number),
            "category": filed.category_version.name, "has_mobile": bool(filed.reporter_mobile)})
    context = {"values": values, "errors": errors, "error": error, "groups": category_groups(user),
               "signed_in": user is not None, "max_photos": settings.GRID_MAX_PHOTOS,
               "map_config": {"tileUrl": settings.MAP_TILE_URL, "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
                              "outlines": _background(), "bbox": _town_bbox(),
                              "text": {"credit": _g("Map drawn with Leaflet")}}}
    return render(request, "grid/public/report.html", context, status=status)


def _town_bbox() -> list[float] | None:
    town = Area.objects.filter(level=AreaLevel.TOWN).only("bbox").order_by("code").first()
    return town.bbox if town is not None else None


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """事件查询: number + 查询码 (or the last 4 digits of the mobile), POSTed → status and outcome."""
    number = (request.POST.get("number") or request.GET.get("number") or "").strip()[:64]
    context: dict[str, Any] = {"number": number, "error": None, "tracking": None}
    if request.method != "POST":
        return render(request, "grid/public/track.html", context)
    try:
        incident = tracking_find(number=number, secret=request.POST.get("code", ""), ip=_ip(request))
    except FieldError as exc:
        context["error"] = str(exc.errors[0][1])
        return render(request, "grid/public/track.html", context, status=exc.status)
    context["tracking"] = tracking_view(incident)
    return render(request, "grid/public/track.html", context)


app_name = "grid_public"
urlpatterns = [
    path("report/", report, name="report"),
    path("track/", track, name="track"),
]
