"""The service hall's figures as charts (home pages and 电子监察): trend per day, lights, on-time and
satisfaction rates per item or department, the longest overdue cases. Every bar and point links to
the queue filtered to its cases (``/services/?tab=all&…``) or to the case itself.

Builders take querysets the caller has already scoped (``selectors.application_scope`` or
``supervision.supervised``) and return ``zhenwu.charts.Chart``; nothing here widens what a user sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zhenwu.casework.filing_stats import filing_stat_daily
from zhenwu.casework.workcal import calendar_current
from zhenwu.charts import LIGHT_COLOURS, Chart, Series, rate
from zhenwu.services.models import Application
from zhenwu.services.process import KIND
from zhenwu.services.services.ratings import BAD_LEVELS

TOP_N = 10  # bars in a ranking; the table under the chart lists the same


def queue_url(**filters: str) -> str:
    """The queue's "all" tab filtered to a chart's category."""
    return reverse("services:queue") + "?" + urlencode({"tab": "all", **filters})


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


Daily = dict[dt.date, tuple[int, int]]  # filing day → (filed, of them finished)


def daily_live(qs: QuerySet[Application], start: dt.date, end: dt.date) -> Daily:
    """Applications filed per local day and how many of them are finished, grouping the applications."""
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time(), tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz)
    rows = (qs.filter(created_at__gte=lo, created_at__lt=hi).order_by().values(day=TruncDate("created_at"))
            .annotate(n=Count("pk"), done=Count("pk", filter=Q(decided_at__isnull=False))))
    return {r["day"]: (r["n"], r["done"]) for r in rows}


def daily_summary(town_prefix: str, start: dt.date, end: dt.date) -> Daily:
    """The same figures from the daily summary the services keep in the kernel (a town or wider: a few rows
    per day)."""
    return filing_stat_daily(kind=KIND, town_prefix=town_prefix, start=start, end=end)


def trend_chart(daily: Daily, start: dt.date, end: dt.date) -> Chart:
    """Applications filed per day and how many of them are finished; a day opens the cases filed that day."""
    days = _days(start, end)
    return Chart("trend", _("Applications per day"), "line", [d.strftime("%m-%d") for d in days],
                 [Series(pgettext("chart", "Filed"), [daily.get(d, (0, 0))[0] for d in days], "#1565c0"),
                  Series(pgettext("chart", "Finished"), [daily.get(d, (0, 0))[1] for d in days], "#2e7d32")],
                 links=[queue_url(filed=d.isoformat()) for d in days],
                 note=_("%(start)s to %(end)s; click a day for the cases filed that day.")
                 % {"start": start.isoformat(), "end": end.isoformat()})


def lights_chart(lights: dict[str, int]) -> Chart:
    """Running cases by light, in the light's colour; a bar opens the cases of that light."""
    keys = ("green", "yellow", "red")
    labels = {"green": _("Green: on track"), "yellow": _("Yellow: due soon"), "red": _("Red: overdue")}
    return Chart("lights", _("Running cases by deadline light"), "bar", [labels[k] for k in keys],
                 [Series(_("Cases"), [lights.get(k, 0) for k in keys], colours=[LIGHT_COLOURS[k] for k in keys])],
                 links=[queue_url(light=k) for k in keys])


@dataclass
class RateRow:
    """One item or department: how many were decided and on time, rated and satisfied."""

    key: str
    label: str
    link: str
    finished: int = 0
    on_time: int = 0
    rated: int = 0
    satisfied: int = 0


def rate_rows(qs: QuerySet[Application], group: str, since: dt.datetime) -> list[RateRow]:
    """Per item (``item``) or department (``department``), over the cases decided since ``since``."""
    column = "item_version__item__code" if group == "item" else "item_version__department"
    label = "item_version__name" if group == "item" else "item_version__department"
    on_time = Q(case__deadline_due_at__isnull=True) | Q(decided_at__lte=F("case__deadline_due_at"))
    rated = Q(rating__isnull=False)
    rows = (qs.filter(decided_at__gte=since).order_by().values(column, label)
            .annotate(finished=Count("pk"), on_time=Count("pk", filter=on_time), rated=Count("pk", filter=rated),
                      satisfied=Count("pk", filter=rated & ~Q(rating__level__in=BAD_LEVELS))))
    out: dict[str, RateRow] = {}
    for r in rows:  # an item renamed in a later version: one row per code, the newest name wins
        row = out.setdefault(r[column], RateRow(r[column], r[label], queue_url(**{group: r[column]})))
        row.finished += r["finished"]
        row.on_time += r["on_time"]
        row.rated += r["rated"]
        row.satisfied += r["satisfied"]
    return sorted(out.values(), key=lambda x: (-x.finished, x.key))


def on_time_chart(rows: Sequence[RateRow], *, group_label: str, key: str) -> Chart:
    """On-time rate of the busiest items or departments (%), a bar opening their cases."""
    top = [r for r in rows if r.finished][:TOP_N]
    return Chart(key, _("On-time rate by %(group)s") % {"group": group_label}, "hbar", [r.label for r in top],
                 [Series(pgettext("chart", "On time"), [rate(r.on_time, r.finished) for r in top], "#2e7d32", unit="%"),
                  Series(_("Decided"), [r.finished for r in top], table_only=True)],
                 links=[r.link for r in top],
                 note=_("The %(n)d with the most decided cases.") % {"n": TOP_N})


def satisfaction_chart(rows: Sequence[RateRow], *, group_label: str, key: str) -> Chart:
    """Share of ratings that are not 不满意/非常不满意 (%), for the most rated items or departments."""
    top = sorted((r for r in rows if r.rated), key=lambda r: (-r.rated, r.key))[:TOP_N]
    return Chart(key, _("Satisfaction rate by %(group)s") % {"group": group_label}, "hbar",
                 [r.label for r in top],
                 [Series(pgettext("chart", "Satisfied"), [rate(r.satisfied, r.rated) for r in top], "#1565c0",
                         unit="%"),
                  Series(_("Ratings"), [r.rated for r in top], table_only=True)],
                 links=[r.link for r in top],
                 note=_("Satisfied: every rating but dissatisfied and very dissatisfied."))


def overdue_chart(apps: Iterable[Application], today: dt.date | None = None) -> Chart:
    """The running cases longest past their due date, in working days; a bar opens the case."""
    today = today or timezone.localdate()
    cal = calendar_current()
    rows: list[tuple[Application, int]] = []
    for app in apps:
        due = app.case.deadline_due_at
        if due is not None:
            rows.append((app, max(cal.between(timezone.localdate(due), today), 0)))
    rows = rows[:TOP_N]
    return Chart("overdue", _("Longest overdue cases"), "hbar",
                 [f"{app.item_version.name}（{app.case.number[-13:]}）" for app, _days in rows],
                 [Series(_("Working days overdue"), [n for _app, n in rows], LIGHT_COLOURS["red"])],
                 links=[reverse("services:case", kwargs={"number": app.case.number}) for app, _days in rows])


def overdue_first(qs: QuerySet[Application]) -> QuerySet[Application]:
    """The red cases of ``qs`` whose deadline runs, the longest overdue first."""
    now = timezone.now()
    return (qs.filter(case__deadline_due_at__lt=now, case__deadline_stopped_at__isnull=True,
                      case__paused_at__isnull=True)
            .select_related("case", "item_version").order_by("case__deadline_due_at", "pk")[:TOP_N])


def group_labels() -> dict[str, Any]:
    return {"item": _("service item"), "department": _("department")}
