"""Staff pages of 积分 and the indicators: ``/grid/scores/`` (the month's ranking per town and per grid; a grid
worker sees their own ledger there), ``/grid/scores/workers/<id>/`` (a ledger, each line linked to its source),
``/grid/scores/ranking.xlsx`` and ``/grid/indicators/`` (charts with their tables one click away)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhenwu.accounts.http import request_user
from zhenwu.charts import Chart, Series
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.grid import policy_scoring as policy
from zhenwu.grid import selectors_scoring as selectors
from zhenwu.grid.api_scoring import XLSX_TYPE, indicator_defs, rules
from zhenwu.grid.scoring_export import ranking_xlsx

LEVEL_LABELS = {"town": gettext_lazy("Town"), "village": gettext_lazy("Village"), "grid": gettext_lazy("Grid")}
FINER = {"town": "village", "village": "grid"}


def _checked(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """A selector's refusal as the page's answer: 404 outside the scope, 403 without the role."""
    try:
        return fn(*args, **kwargs)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc


def _months(month: dt.date | None) -> dict[str, str]:
    current = month or timezone.localtime().date().replace(day=1)
    before = (current - dt.timedelta(days=1)).replace(day=1)
    after = (current + dt.timedelta(days=32)).replace(day=1)
    return {"month": f"{current:%Y-%m}", "previous": f"{before:%Y-%m}", "next": f"{after:%Y-%m}"}


@login_required
def scores_page(request: HttpRequest) -> HttpResponse:
    """Readers of a scope: the ranking; a grid worker: their own ledger; a bad month or area: 400."""
    user = request_user(request)
    raw = {"month": request.GET.get("month", "")[:7], "area": request.GET.get("area", "")[:24]}
    if not policy.reads_scope(user):
        if policy.earns(user):
            return _ledger_page(request, user.pk, raw["month"])
        _checked(policy.check_reader, user)
    try:
        month, area = selectors.month_clean(raw["month"]), selectors.area_clean(raw["area"])
    except FieldError as exc:
        return render(request, "grid/scoring/scores.html", {"raw": raw, "errors": exc.errors, **_months(None)},
                      status=400)
    rows = _checked(selectors.ranking, user=user, month=month, area=area)
    return render(request, "grid/scoring/scores.html", {
        "raw": raw, "rows": rows, "grids": selectors.ranking_by_grid(rows), "rules": rules(), **_months(month),
        "no_points": bool(rows) and not any(r.total for r in rows)})


@login_required
def worker_ledger(request: HttpRequest, worker_id: int) -> HttpResponse:
    return _ledger_page(request, worker_id, request.GET.get("month", "")[:7])


def _ledger_page(request: HttpRequest, worker_id: int, raw_month: str) -> HttpResponse:
    user = request_user(request)
    try:
        month = selectors.month_clean(raw_month)
    except FieldError as exc:
        _checked(selectors.worker_get, user=user, worker_id=worker_id)
        return render(request, "grid/scoring/ledger.html", {"errors": exc.errors, **_months(None)}, status=400)
    found = _checked(selectors.ledger, user=user, worker_id=worker_id, month=month)
    return render(request, "grid/scoring/ledger.html", {"ledger": found, "own": found.worker.pk == user.pk,
                                                        "reader": policy.reads_scope(user), **_months(month)})


@login_required
def scores_xlsx(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    try:
        month = selectors.month_clean(request.GET.get("month", "")[:7])
        area = selectors.area_clean(request.GET.get("area", "")[:24])
    except FieldError:
        _checked(policy.check_reader, user)
        return HttpResponse(_("Give the month as year and month, e.g. 2025-10."), status=400,
                            content_type="text/plain; charset=utf-8")
    rows = _checked(selectors.ranking, user=user, month=month, area=area)
    response = HttpResponse(ranking_xlsx(rows, month), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="points-{month:%Y-%m}.xlsx"'
    return response


@login_required
def indicators_page(request: HttpRequest) -> HttpResponse:
    """The month's indicators per grid, village or town: the charts (each with its table), then every count."""
    user = request_user(request)
    _checked(policy.check_reader, user)
    raw = {"month": request.GET.get("month", "")[:7], "level": request.GET.get("level", "")[:10],
           "area": request.GET.get("area", "")[:24]}
    context: dict[str, Any] = {"raw": raw, "levels": LEVEL_LABELS}
    try:
        month, level = selectors.month_clean(raw["month"]), selectors.level_clean(raw["level"])
        area = selectors.area_clean(raw["area"])
    except FieldError as exc:
        return render(request, "grid/scoring/indicators.html", {**context, "errors": exc.errors, **_months(None)},
                      status=400)
    rows, total = selectors.indicators(user=user, month=month, level=level, area=area)
    defs = indicator_defs()
    context.update({"rows": rows, "total": total, "defs": defs, "level": level, **_months(month),
                    "count_names": [(name, selectors.COUNT_LABELS[name]) for name in selectors.COUNTS],
                    "charts": _charts(rows, defs, month, level)})
    return render(request, "grid/scoring/indicators.html", context)


def _drill(row: selectors.IndicatorRow, month: dt.date, level: str) -> str:
    if level in FINER:
        return f"?month={month:%Y-%m}&level={FINER[level]}&area={row.code}"
    return f"/grid/scores/?month={month:%Y-%m}&area={row.code}"


def _charts(rows: list[selectors.IndicatorRow], defs: list[dict[str, str]], month: dt.date, level: str) -> list[Chart]:
    """One chart per indicator (five rates side by side for a dozen groups cannot be read), each with its
    table one click away; the rates first, in the order of the settings."""
    names, links = [r.name for r in rows], [_drill(r, month, level) for r in rows]
    kind = "hbar" if len(rows) > 8 else "bar"
    ordered = [d for d in defs if d["unit"] == "%"] + [d for d in defs if d["unit"] != "%"]
    charts = []
    for d in ordered:
        charts.append(Chart(d["key"], d["label"], kind, names,
                            [Series(d["label"], [r.values.get(d["key"]) for r in rows], unit=d["unit"])],
                            links, note=f'{d["formula_text"]} · {_("Click a group to see it in detail.")}'))
    return charts
