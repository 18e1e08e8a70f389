"""电子监察 pages: ``/services/supervision/`` (lights, overdue and at-risk lists, statistics over a
period) and ``/services/supervision/ledger.xlsx`` (the masked ledger of the same period)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from zhenwu.accounts.models import User
from zhenwu.casework.choices import Light
from zhenwu.charts import Chart
from zhenwu.errors import FieldError, Forbidden
from zhenwu.services import charts
from zhenwu.services import supervision as sv
from zhenwu.services.choices import RatingLevel, Status
from zhenwu.services.lights import live_light
from zhenwu.services.models import Application
from zhenwu.services.services.ratings import BAD_LEVELS

LIST_ROWS = 50  # per list on the page; the ledger export and the API give the rest
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _supervisor(request: HttpRequest) -> User:
    user = request.user
    try:
        sv.supervision_scope(user=user)  # type: ignore[arg-type]
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    assert isinstance(user, User)
    return user


def _case_rows(apps: Iterable[Application]) -> list[dict[str, Any]]:
    statuses, lights = dict(Status.choices), dict(Light.choices)
    return [{"number": a.case.number, "item": a.item_version.name, "channel": a.get_channel_display(),
             "status": statuses.get(a.case.status, a.case.status), "light": live_light(a.case),
             "light_label": lights.get(live_light(a.case), ""),
             "handler": a.handler or a.first_contact or "", "due_at": a.case.deadline_due_at} for a in apps]


@login_required
def supervision_page(request: HttpRequest) -> HttpResponse:
    """The 电子监察 page; a bad date or group shows the form again with the error (400)."""
    user = _supervisor(request)
    raw = {"from": request.GET.get("from", ""), "to": request.GET.get("to", ""), "group": request.GET.get("group", "")}
    lights = sv.light_counts(user=user)
    levels = [RatingLevel(level).label for level in sv.LEVELS]  # 非常满意 … 非常不满意 over the columns, not 5 … 1
    context: dict[str, object] = {"raw": raw, "groups": sv.GROUPS, "levels": levels, "lights": lights,
                                  "overdue": _case_rows(sv.overdue_list(user=user)[:LIST_ROWS]),
                                  "at_risk": _case_rows(sv.at_risk_list(user=user)[:LIST_ROWS]),
                                  "running": _case_rows(sv.running_list(user=user)[:LIST_ROWS])}
    try:
        latest = None if raw["from"] or raw["to"] else sv.latest_filing_day(user=user)
        period = sv.period_clean(date_from=raw["from"], date_to=raw["to"], latest=latest)
        group = sv.group_clean(raw["group"])
    except FieldError as exc:
        context["errors"] = exc.errors
        return render(request, "services/supervision/page.html", context, status=400)
    rows = sv.supervision_stats(user=user, period=period, group=group)
    context.update({"period": period, "group": group, "rows": rows, "total": sv.stats_total(rows),
                    "raw": {"from": period.start.isoformat(), "to": period.end.isoformat(), "group": group},
                    "charts": _charts(user, period, lights)})
    return render(request, "services/supervision/page.html", context)


def _rate_rows(rows: list[sv.StatRow], group: str) -> list[charts.RateRow]:
    """电子监察's statistics rows as the charts' rows (satisfied: every rating but the two bad levels)."""
    out = []
    for r in rows:
        satisfied = sum(n for level, n in r.ratings.items() if level not in BAD_LEVELS)
        out.append(charts.RateRow(r.key, r.label, charts.queue_url(**{group: r.key}), finished=r.finished,
                                  on_time=r.on_time, rated=r.rated, satisfied=satisfied))
    return out


def _daily(user: User, period: sv.Period) -> charts.Daily:
    """Per filing day: the services' daily summary for a town or wider (as the statistics), else live."""
    scope = sv.supervision_scope(user=user)
    if len(scope) <= len("321181102"):
        return charts.daily_summary(scope, period.start, period.end)
    return charts.daily_live(sv.supervised(user=user), period.start, period.end)


def _charts(user: User, period: sv.Period, lights: dict[str, int]) -> list[Chart]:
    """Trend of the period, lights, on-time and satisfaction rates per item and department, top overdue."""
    by_item = _rate_rows(sv.supervision_stats(user=user, period=period, group="item"), "item")
    by_department = _rate_rows(sv.supervision_stats(user=user, period=period, group="department"), "department")
    labels = charts.group_labels()
    return [
        charts.lights_chart(lights),
        charts.trend_chart(_daily(user, period), period.start, period.end),
        charts.overdue_chart(charts.overdue_first(sv.running_list(user=user))),
        charts.on_time_chart(by_item, group_label=labels["item"], key="on-time-item"),
        charts.on_time_chart(by_department, group_label=labels["department"], key="on-time-department"),
        charts.satisfaction_chart(by_item, group_label=labels["item"], key="satisfaction-item"),
        charts.satisfaction_chart(by_department, group_label=labels["department"], key="satisfaction-department"),
    ]


@login_required
def supervision_ledger(request: HttpRequest) -> HttpResponse:
    """台账 export of the period's applications (masked) as xlsx."""
    user = _supervisor(request)
    try:
        period = sv.period_clean(date_from=request.GET.get("from", ""), date_to=request.GET.get("to", ""))
    except FieldError as exc:
        context = {"raw": dict(request.GET.items()), "groups": sv.GROUPS, "errors": exc.errors,
                   "lights": sv.light_counts(user=user)}
        return render(request, "services/supervision/page.html", context, status=400)
    response = HttpResponse(sv.ledger_xlsx(user=user, period=period), content_type=XLSX_TYPE)
    name = f"ledger-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns: list[URLPattern] = [
    path("supervision/", supervision_page, name="supervision"),
    path("supervision/ledger.xlsx", supervision_ledger, name="supervision_ledger"),
]
