"""Staff pages of 巡查记录: ``/grid/patrols/`` (the patrols of my scope with filters — worker, grid, date range —
their time and distance, totals, paging), ``/grid/patrols/export.xlsx`` (every row of the filter) and
``/grid/patrols/<id>/`` (one patrol: its simplified track, start, end and check-ins on a map).

Who: grid leaders, dispatchers, supervisors, leaders and administrators see the patrols of their scope; a
grid worker sees their own (``selectors_patrols.patrols_visible``, the API's rule). Other staff 403, citizens
and patrols outside the scope 404.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import User
from zhenwu.areas.index import area_names
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _e
from zhenwu.grid import selectors_patrols as selectors
from zhenwu.grid.models import Patrol
from zhenwu.grid.policy_patrols import patrol_may_record, patrol_reads_scope
from zhenwu.grid.services.patrols import patrol_duration_s
from zhenwu.grid.views_incidents import _grid_choices, _outlines
from zhenwu.sheets import safe_row

PAGE_SIZE = 25
EXPORT_MAX = 20000
DEFAULT_DAYS = 30
FILTERS = ("worker", "grid", "since", "until")
EXPORT_COLUMNS = (_("Grid worker"), _("Grid"), _("Started"), _("Ended"), _("Duration (minutes)"),
                  _("Distance (km)"), _("GPS points"), _("Check-ins"))


def _reader(request: HttpRequest) -> User:
    """Readers of a scope and the workers themselves; other staff 403, citizens and anyone else 404."""
    user = request.user
    if not isinstance(user, User) or user.kind != "staff":
        raise Http404
    if not (patrol_reads_scope(user) or patrol_may_record(user)):
        raise PermissionDenied(_g("Your roles do not allow this action."))
    return user


def _params(query: QueryDict) -> dict[str, str]:
    return {k: query.get(k, "").strip()[:24] for k in FILTERS}


def _date(raw: str, field: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise FieldError(field, _e("Enter a date as YYYY-MM-DD.")) from None


def _worker(raw: str) -> int | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise FieldError("worker", _e("Choose a worker from the list."))
    return int(raw)


def _filtered(user: User, params: dict[str, str]) -> Any:
    """The patrols of the filter; without dates, the last ``DEFAULT_DAYS`` days."""
    since, until = _date(params["since"], "since"), _date(params["until"], "until")
    if since is None and until is None:
        until = timezone.localdate()
        since = until - dt.timedelta(days=DEFAULT_DAYS - 1)
        params.update(since=since.isoformat(), until=until.isoformat())
    return selectors.patrol_search(user, worker=_worker(params["worker"]), grid=params["grid"], since=since,
                                   until=until)


def _row(patrol: Patrol, names: dict[str, str], now: dt.datetime) -> dict[str, Any]:
    seconds = patrol_duration_s(patrol, now)
    return {"id": patrol.pk, "worker": patrol.worker.full_name or patrol.worker.username,
            "grid": names.get(patrol.area_code, patrol.area_code), "started_at": patrol.started_at,
            "ended_at": patrol.ended_at, "minutes": round(seconds / 60), "km": round(patrol.distance_m / 1000, 2),
            "points": patrol.point_count, "checkins": getattr(patrol, "checkin_count", 0),
            "url": reverse("grid_patrols:patrol", kwargs={"patrol_id": patrol.pk})}


def _query(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if value:
            query[key] = value
    return query.urlencode()


@login_required
def patrol_list(request: HttpRequest) -> HttpResponse:
    """巡查记录: the patrols of my scope (or my own) with time and distance, filtered, 25 a page."""
    user = _reader(request)
    params = _params(request.GET)
    context: dict[str, Any] = {"params": params, "rows": [], "page": None, "totals": None, "error": None}
    status = 200
    try:
        qs = _filtered(user, params)
        page = Paginator(selectors.with_checkin_counts(qs), PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        names = area_names(p.area_code for p in page)
        totals = selectors.patrol_totals(qs, now)
        context.update(page=page, rows=[_row(p, names, now) for p in page],
                       totals={"patrols": totals["patrols"], "km": round(totals["distance_m"] / 1000, 1),
                               "hours": round(totals["duration_s"] / 3600, 1)})
    except FieldError as exc:
        context["error"], status = f"{exc.errors[0][0]}: {exc.errors[0][1]}", exc.status
    context.update(query=_query(params), grids=_grid_choices(user), workers=selectors.patrol_workers(user),
                   scope_reader=patrol_reads_scope(user))
    return render(request, "grid/patrols/list.html", context, status=status)


@login_required
def patrol_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as xlsx (every row of the filter, at most ``EXPORT_MAX``); strings stay text."""
    from openpyxl import Workbook

    user = _reader(request)
    params = _params(request.GET)
    try:
        qs = selectors.with_checkin_counts(_filtered(user, params))
    except FieldError as exc:
        return HttpResponse(exc.text(), status=exc.status, content_type="text/plain; charset=utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_g("Patrol records"))
    sheet.append([str(c) for c in EXPORT_COLUMNS])
    now = timezone.now()
    rows = list(qs[:EXPORT_MAX])
    names = area_names(p.area_code for p in rows)
    for patrol in rows:
        r = _row(patrol, names, now)
        sheet.append(safe_row(sheet, [r["worker"], r["grid"], _local(r["started_at"]), _local(r["ended_at"]),
                                      r["minutes"], r["km"], r["points"], r["checkins"]]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="patrols-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
def patrol_page(request: HttpRequest, patrol_id: int) -> HttpResponse:
    """One patrol: facts and its track on a map (start, end, check-ins; the grid outlines behind)."""
    user = _reader(request)
    try:
        patrol = selectors.patrol_get(user, patrol_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    checkins = list(selectors.patrol_checkins(patrol))
    row = _row(patrol, area_names([patrol.area_code]), timezone.now())
    row["checkins"] = len(checkins)
    config = {"track": patrol.track, "checkins": [{"lng": c.lng, "lat": c.lat, "name": c.place.name,
                                                   "at": _local(c.at)} for c in checkins],
              "outlines": _outlines(patrol.area_code), "tileUrl": settings.MAP_TILE_URL,
              "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
              "text": {"credit": _g("Map drawn with Leaflet"), "start": _g("Start"), "end": _g("End"),
                       "checkin": _g("Check-in")}}
    return render(request, "grid/patrols/patrol.html", {"patrol": patrol, "row": row, "checkins": checkins,
                                                        "map_config": config})
