"""Registry pages: lists with filters and search, detail, create and edit, and the grid file (一格一档).

Thin views: selectors read (scoped; out of scope → 404), services write (FieldError → the form is
shown again with the message). One list view answers both the page and, for htmx, the table alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, re_path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.forms import as_form_error
from zhenwu.accounts.http import request_id as _request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.selectors import scope_prefix
from zhenwu.areas.choices import GRID_LEVELS, AreaLevel
from zhenwu.areas.models import Area
from zhenwu.errors import FieldError, NotFound
from zhenwu.registry import display, policy, selectors, services
from zhenwu.registry import forms as rforms
from zhenwu.registry.choices import CareTag, HouseholdKind, OperatingStatus, PlaceKind, ResidentStatus, RiskLevel
from zhenwu.registry.searches import search_recall, search_remember


@dataclass(frozen=True)
class PageKind:
    """What the pages of one kind show: columns of the list, rows of the detail, filters, form."""

    slug: str
    title: Any
    kind: services.Kind
    select: Callable[..., Any]
    row: Callable[..., dict[str, Any]]
    form: type[rforms.RecordForm]
    columns: list[tuple[Any, str]]
    details: list[tuple[Any, str]]
    filters: list[tuple[str, Any, list[tuple[str, Any]]]] = field(default_factory=list)
    search_hint: Any = ""


_GRID = (_("grid"), "grid")
KINDS: dict[str, PageKind] = {k.slug: k for k in (
    PageKind("residents", _("Residents"), services.RESIDENT, selectors.resident_list, display.resident_row,
             rforms.ResidentForm,
             [(_("name"), "name"), (_("ID number"), "id_number"), (_("mobile"), "mobile"), (_("sex"), "sex_label"),
              (_("age"), "age"), (_("residence status"), "status_label"), _GRID],
             [(_("name"), "name"), (_("ID number"), "id_number"), (_("birth date"), "birth_date"),
              (_("sex"), "sex_label"), (_("age"), "age"), (_("mobile"), "mobile"),
              (_("residence status"), "status_label"), (_("relation to head"), "relation_label"),
              (_("arrival date"), "arrival_date"), (_("place of origin"), "origin"), _GRID],
             [("status", _("residence status"), ResidentStatus.choices), ("tag", _("care group"), CareTag.choices)],
             _("Full ID number, 11-digit mobile, or the start of a name")),
    PageKind("households", _("Households"), services.HOUSEHOLD, selectors.household_list, display.household_row,
             rforms.HouseholdForm,
             [(_("address"), "address"), (_("household number"), "number"), (_("household type"), "kind_label"),
              _GRID],
             [(_("household number"), "number"), (_("address"), "address"),
              (_("household type"), "kind_label"), _GRID],
             [("kind", _("household type"), HouseholdKind.choices)],
             _("Household number, or the start of an address")),
    PageKind("enterprises", _("Enterprises"), services.ENTERPRISE, selectors.enterprise_list,
             display.enterprise_row, rforms.EnterpriseForm,
             [(_("name"), "name"), (_("unified social credit code"), "uscc"), (_("operating status"),
              "operating_status_label"), (_("risk level"), "risk_level_label"), (_("complaints"), "complaint_count"),
              _GRID],
             [(_("name"), "name"), (_("unified social credit code"), "uscc"),
              (_("legal representative"), "legal_representative"), (_("industry"), "industry"),
              (_("address"), "address"), (_("operating status"), "operating_status_label"),
              (_("risk level"), "risk_level_label"), (_("listed for abnormal operation"), "abnormal_listed"),
              (_("complaints"), "complaint_count"), (_("contact mobile"), "mobile"), _GRID],
             [("operating_status", _("operating status"), OperatingStatus.choices),
              ("risk_level", _("risk level"), RiskLevel.choices)],
             _("Full USCC, 11-digit mobile, or the start of a name or address")),
    PageKind("places", _("Places"), services.PLACE, selectors.place_list, display.place_row, rforms.PlaceForm,
             [(_("name"), "name"), (_("kind"), "kind_label"), (_("address"), "address"), _GRID],
             [(_("name"), "name"), (_("kind"), "kind_label"), (_("address"), "address"),
              (_("contact"), "contact_name"), (_("contact mobile"), "contact_mobile"), _GRID],
             [("kind", _("kind"), PlaceKind.choices)],
             _("The start of a name or an address")),
    PageKind("cameras", _("Cameras"), services.CAMERA, selectors.camera_list, display.camera_row, rforms.CameraForm,
             [(_("camera code"), "code"), (_("name"), "name"), (_("source system"), "source_system"), _GRID],
             [(_("camera code"), "code"), (_("name"), "name"), (_("source system"), "source_system"),
              (_("stream URL"), "stream_url"), _GRID],
             [], _("Camera code, or the start of a name")),
)}




def _kind(slug: str) -> PageKind:
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


def _get(pk: PageKind, request: HttpRequest, row_id: int) -> Any:
    try:
        return selectors.record_get(pk.kind.model, user=_user(request), pk=int(row_id))
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _cells(pk: PageKind, row: dict[str, Any], keys: list[tuple[Any, str]],
           names: dict[str, str] | None = None) -> list[tuple[Any, Any]]:
    """The row's values for ``keys``; the grid by its name first, its code second and smaller."""
    cells = [(label, row.get(key)) for label, key in keys]
    if names is not None:
        cells = [(label, area_label(value, names) if key == "grid" else value)
                 for (label, value), (_label, key) in zip(cells, keys, strict=True)]
    return cells


def area_label(code: str | None, names: dict[str, str]) -> Any:
    if not code:
        return None
    return format_html('{} <span class="code">{}</span>', names.get(code, ""), code) if code in names else code


def _area_names(codes: set[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}


def _grid_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """Villages and grids in scope for the list's area filter, by name (a searchable select)."""
    prefix = scope_prefix(_user(request))
    if prefix is None:
        return []
    areas = Area.objects.filter(code__startswith=prefix, level__in=(AreaLevel.VILLAGE, *GRID_LEVELS))
    return [(code, f"{name}（{code}）") for code, name in areas.order_by("code").values_list("code", "name")]


def _links(query: QueryDict, page: selectors.Page) -> dict[str, str | None]:
    """Next-page and first-page links keeping every filter of the current query string."""
    query = query.copy()
    after = query.pop("after", None)
    first = "?" + query.urlencode() if after else None
    if page.next_after is None:
        return {"next_url": None, "first_url": first}
    query["after"] = str(page.next_after)
    return {"next_url": "?" + query.urlencode(), "first_url": first}


def list_context(request: HttpRequest, pk: PageKind, *, grid: str | None = None,
                 query: QueryDict | None = None) -> dict[str, Any]:
    """The table of one kind: filters from the query string, the search text from the session (``s``),
    a keyset page, masked rows."""
    query = request.GET if query is None else query
    params = {name: query.get(name) or None for name, _label, _choices in pk.filters}
    q, error = "", None
    error_text: Any = None
    sid = query.get("s") or ""
    if sid:
        q = search_recall(request, slug=pk.slug, sid=sid) or ""
        error_text = None if q else _("This search has expired; search again.")
    grid = grid or query.get("grid") or None
    try:
        if error_text:  # an unknown search id: no rows rather than the whole list looking like an answer
            raise FieldError("s", error_text)
        qs = pk.select(user=_user(request), grid=grid, q=q or None, **params)
        page = selectors.page_of(qs, after=_int(query.get("after")))
    except FieldError as exc:
        error, page = str(exc.errors[0][1]), selectors.Page([], None, 0, False)
    shown = [pk.row(r) for r in page.items]
    names = _area_names({row["grid"] for row in shown if row.get("grid")})
    rows = [(row["id"], _cells(pk, row, pk.columns, names)) for row in shown]
    return {"pk": pk, "rows": rows, "page": page, "q": q, "grid": grid or "", "params": params, "error": error,
            "columns": [label for label, _key in pk.columns], "can_edit": policy.can_edit_registry(_user(request)),
            "export_query": query.urlencode(), **_links(query, page)}


@login_required
def record_list(request: HttpRequest, slug: str) -> HttpResponse:
    """List page with filters and search; for an htmx request, the table fragment only.

    A search is posted (or, from an old link, sent as ``?q=``) and answered with an address that
    holds an opaque search id instead of the text (``searches``)."""
    pk = _kind(slug)
    if request.method == "POST" or "q" in request.GET:
        return _search(request, pk)
    return _list(request, pk, request.GET)


def _list(request: HttpRequest, pk: PageKind, query: QueryDict) -> HttpResponse:
    try:
        context = list_context(request, pk, query=query)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    if request.headers.get("HX-Request"):
        return render(request, "registry/_table.html", {**context, "show_export": True})
    return render(request, "registry/list.html", {**context, "kinds": KINDS.values(), "show_export": True,
                                                  "grid_choices": _grid_choices(request)})


def _search(request: HttpRequest, pk: PageKind) -> HttpResponse:
    """Keep the search text in the session; the address gets the filters and the search id only."""
    source = request.POST if request.method == "POST" else request.GET
    query = QueryDict(mutable=True)
    for name in ("grid", *(name for name, _label, _choices in pk.filters)):
        if source.get(name):
            query[name] = source[name]
    q = source.get("q", "").strip()
    if q:
        query["s"] = search_remember(request, slug=pk.slug, q=q)
    url = request.path + ("?" + query.urlencode() if query else "")
    if request.method == "POST" and request.headers.get("HX-Request"):
        response = _list(request, pk, query)
        response["HX-Push-Url"] = url
        return response
    return HttpResponseRedirect(url, status=303)


def _detail(request: HttpRequest, pk: PageKind, row: Any, *, unmasked: bool = False) -> HttpResponse:
    shown = pk.row(row, unmasked=unmasked)
    names = _area_names({shown["grid"]} if shown.get("grid") else set())
    context: dict[str, Any] = {"pk": pk, "obj": row, "shown": shown, "cells": _cells(pk, shown, pk.details, names),
                               "unmasked": unmasked, "kinds": KINDS.values(),
                               "can_reveal": pk.kind is services.RESIDENT and policy.can_view_unmasked(_user(request)),
                               "can_edit": policy.can_edit_registry(_user(request))}
    if pk.kind is services.HOUSEHOLD:
        context["members"] = [display.resident_row(m) for m in row.members.order_by("id").prefetch_related("tags")]
    if pk.kind is services.ENTERPRISE:
        context["places"] = [display.place_row(p) for p in row.places.order_by("id")]
    if pk.kind is services.RESIDENT:
        context["tags"] = [CareTag(t).label for t in shown["tags"]]
    return render(request, "registry/detail.html", context)


@login_required
def record_detail(request: HttpRequest, slug: str, row_id: int) -> HttpResponse:
    pk = _kind(slug)
    return _detail(request, pk, _get(pk, request, row_id))


@login_required
@require_POST
def resident_reveal(request: HttpRequest, row_id: int) -> HttpResponse:
    """显示完整信息: an audited look at one resident's full values (403 for roles without the right)."""
    pk = KINDS["residents"]
    row = _get(pk, request, row_id)
    try:
        services.resident_reveal(actor=_user(request), resident=row, request_id=_request_id(request))
    except FieldError as exc:
        messages.error(request, str(exc.errors[0][1]))
        return _detail(request, pk, row) if exc.status != 403 else _forbidden(request, pk, row)
    return _detail(request, pk, row, unmasked=True)


def _forbidden(request: HttpRequest, pk: PageKind, row: Any) -> HttpResponse:
    response = _detail(request, pk, row)
    response.status_code = 403
    return response


def _grids(request: HttpRequest) -> list[Any]:
    return sorted(selectors.grids_in_scope(user=_user(request)).values(), key=lambda a: a.code)


def _render_form(request: HttpRequest, pk: PageKind, form: forms.Form, row: Any, status: int) -> HttpResponse:
    return render(request, "registry/form.html", {"pk": pk, "form": form, "obj": row, "kinds": KINDS.values()},
                  status=status)


def _save(request: HttpRequest, pk: PageKind, row: Any) -> HttpResponse:
    """Create (row None) or update through the service; errors go back onto the form."""
    form = pk.form(request.POST, grids=_grids(request))
    if form.is_valid():
        request_id = _request_id(request)
        try:
            if row is None:
                row = services.record_create(pk.kind, actor=_user(request), data=form.changes(editing=False),
                                             request_id=request_id)
            else:
                row = services.record_update(pk.kind, actor=_user(request), row=row,
                                             changes=form.changes(editing=True), request_id=request_id)
        except FieldError as exc:
            if exc.status == 404:
                raise Http404(str(exc)) from exc
            as_form_error(form, exc)
        else:
            messages.success(request, _g("Saved."))
            return redirect("registry:detail", slug=pk.slug, row_id=row.pk)
    return _render_form(request, pk, form, row, 400)


@login_required
def record_create(request: HttpRequest, slug: str) -> HttpResponse:
    pk = _kind(slug)
    if not _may_edit(request):
        return _no_edit(request, pk)
    if request.method == "POST":
        return _save(request, pk, None)
    return _render_form(request, pk, pk.form(grids=_grids(request)), None, 200)


@login_required
def record_edit(request: HttpRequest, slug: str, row_id: int) -> HttpResponse:
    pk = _kind(slug)
    row = _get(pk, request, row_id)
    if not _may_edit(request):
        return _no_edit(request, pk)
    if request.method == "POST":
        return _save(request, pk, row)
    initial = services.record_values(pk.kind, row)
    shown = pk.row(row)
    masked = {name: shown.get(name, "") for name in rforms.KEEP_IF_EMPTY}
    for name in rforms.KEEP_IF_EMPTY:
        initial.pop(name, None)  # never put full personal values into an edit form
    return _render_form(request, pk, pk.form(initial=initial, grids=_grids(request), masked=masked), row, 200)


def _may_edit(request: HttpRequest) -> bool:
    if _user(request).kind != UserKind.STAFF:
        raise Http404  # citizens never learn the registry pages exist
    return policy.can_edit_registry(_user(request))


def _no_edit(request: HttpRequest, pk: PageKind) -> HttpResponse:
    return render(request, "registry/forbidden.html", {"pk": pk, "kinds": KINDS.values()}, status=403)


@login_required
def grid_file(request: HttpRequest, code: str) -> HttpResponse:
    """一格一档: the grid on a map, its staff with history, counts, and one tab of its records."""
    try:
        gf = selectors.grid_file(user=_user(request), code=code)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    tab = request.GET.get("tab") or "residents"
    tab = tab if tab in KINDS else "residents"
    table = list_context(request, KINDS[tab], grid=gf.grid.code)
    if request.headers.get("HX-Request"):
        return render(request, "registry/_table.html", table)
    tabs = [(slug, k.title, gf.counts.get(slug, 0)) for slug, k in KINDS.items()]
    tag_counts = [(CareTag(t).label, n) for t, n in sorted(gf.residents_by_tag.items())]
    status_counts = [(ResidentStatus(s).label, n) for s, n in gf.residents_by_status.items()]
    return render(request, "registry/grid_file.html", {
        "gf": gf, "tab": tab, "tabs": tabs, "table": table, "kinds": KINDS.values(), "grid_levels": GRID_LEVELS,
        "tag_counts": tag_counts, "status_counts": status_counts,
        "current": [display.assignment_row(a) for a in gf.current_staff],
        "past": [display.assignment_row(a) for a in gf.past_staff],
        "map_config": {"geojson": reverse("api:areas_geojson") + f"?under={gf.grid.code}", "code": gf.grid.code,
                       "credit": _g("Map drawn with Leaflet")},
    })


# Only the five kinds: the import and export pages (views_io) live beside these under /registry/.
_SLUGS = "|".join(KINDS)
urlpatterns: list[URLPattern] = [
    path("grids/<str:code>/", grid_file, name="grid_file"),
    path("residents/<int:row_id>/reveal/", resident_reveal, name="resident_reveal"),
    re_path(rf"^(?P<slug>{_SLUGS})/$", record_list, name="list"),
    re_path(rf"^(?P<slug>{_SLUGS})/new/$", record_create, name="create"),
    re_path(rf"^(?P<slug>{_SLUGS})/(?P<row_id>[0-9]+)/$", record_detail, name="detail"),
    re_path(rf"^(?P<slug>{_SLUGS})/(?P<row_id>[0-9]+)/edit/$", record_edit, name="edit"),
]
