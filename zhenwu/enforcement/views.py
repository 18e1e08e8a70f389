"""Pages of 一队执法. Public: the power list (权责清单) with search, department filter and paging, and one
power with its discretion bands and responsibilities (Administrative Penalty Law Art. 39: publicity)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from zhenwu.enforcement import selectors
from zhenwu.enforcement.choices import OriginDepartment
from zhenwu.errors import FieldError, NotFound

PAGE_SIZE = 30


def power_list(request: HttpRequest) -> HttpResponse:
    q, department = request.GET.get("q", "")[:100], request.GET.get("department", "")
    if department not in OriginDepartment.values:
        department = ""  # an unknown department in a hand-edited address shows the whole list
    try:
        powers = selectors.power_list(q=q, department=department)
    except FieldError as exc:  # pragma: no cover - the department was checked above
        raise Http404(str(exc)) from exc
    page = Paginator(powers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "department": department, "departments": OriginDepartment.choices}
    return render(request, "enforcement/power_list.html", context)


def power_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        power = selectors.power_get(code=code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    v = power.current_version
    assert v is not None
    return render(request, "enforcement/power_detail.html",
                  {"power": power, "v": v, "bands": v.bands.all(), "duties": v.responsibilities.all()})


app_name = "enforcement_public"
urlpatterns = [
    path("powers/", power_list, name="powers"),
    path("powers/<str:code>/", power_detail, name="power"),
]
