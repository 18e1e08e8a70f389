"""Reads of 积分 and the 一网治理 indicators, each starting from the scope rule (``accounts.scope.restrict``).

- ``ranking``: the grid workers of the scope with their month's points, ranked per town and per grid
  (one aggregate query; workers without a point in the month are listed with 0);
- ``ledger``: one worker's lines of a month, each with a link to the incident, visit or patrol behind it;
- ``indicators``: the month's counts per grid, village or town (aggregate queries over incidents and their
  audit trail, grid workers and patrols), and each indicator of ``settings.GRID_INDICATORS`` evaluated on
  them.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import StaffRole, User
from zhenwu.accounts.scope import restrict
from zhenwu.areas.index import area_names
from zhenwu.casework.models import AuditEntry
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import policy_scoring as policy
from zhenwu.grid.choices_points import PointRule, PointSource
from zhenwu.grid.models import Incident, Patrol, PointEntry, Visit
from zhenwu.grid.services.points import month_bounds

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LEVELS = {"town": 9, "village": 12, "grid": 0}  # code prefix length of a level (0: the incident's own grid)
CLOSED_STATES = ("closed", "evaluated")
NOT_DUE_STATES = ("rejected", "merged")


# ---------------------------------------------------------------- input

def month_clean(raw: str | None, *, now: dt.datetime | None = None) -> dt.date:
    """``YYYY-MM`` (empty: this month) → the month's first day; anything else a FieldError on ``month``."""
    if not raw:
        return timezone.localtime(now or timezone.now()).date().replace(day=1)
    found = _MONTH.match(raw.strip())
    year, month = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    if not found or not 1 <= month <= 12 or year < 2000:
        raise FieldError("month", _("Give the month as year and month, e.g. 2025-10."))
    return dt.date(year, month, 1)


def level_clean(raw: str | None, default: str = "village") -> str:
    level = (raw or default).strip()
    if level not in LEVELS:
        raise FieldError("level", _("Choose grid, village or town."))
    return level


def area_clean(raw: str | None) -> str:
    area = (raw or "").strip()
    if area and not area.isdigit():
        raise FieldError("area", _("Give an area code (digits)."))
    return area[:24]


# ---------------------------------------------------------------- ranking and ledger

@dataclass
class RankRow:
    worker_id: int
    name: str
    grid_code: str
    grid_name: str
    town_code: str
    town_name: str
    total: int
    by_rule: dict[str, int]
    town_rank: int = 0
    grid_rank: int = 0


def _earners(user: User) -> QuerySet[User]:
    roles = StaffRole.objects.filter(user=OuterRef("pk"), role__in=policy.EARNER_ROLES)
    return restrict(User.objects.filter(Exists(roles), kind=UserKind.STAFF, scope_area__isnull=False), user,
                    field="scope_area__code")


def _rank(rows: list[RankRow], key: Callable[[RankRow], str], attr: str) -> None:
    """Competition ranking (1, 2, 2, 4) by total within each group of ``key``."""
    last: dict[str, tuple[int, int, int]] = {}  # group → (seen, previous total, previous rank)
    for row in sorted(rows, key=lambda r: (key(r), -r.total, r.name)):
        seen, total, rank = last.get(key(row), (0, 0, 0))
        rank = rank if seen and row.total == total else seen + 1
        setattr(row, attr, rank)
        last[key(row)] = (seen + 1, row.total, rank)


def ranking(*, user: Any, month: dt.date, area: str = "") -> list[RankRow]:
    """积分排名 of the month: the scope's grid workers and leaders, each ranked in their town and their grid;
    ordered by town, then points (highest first)."""
    policy.check_reader(user)
    in_month = Q(point_entries__month=month)
    sums = {f"r_{rule}": Coalesce(Sum("point_entries__points", filter=in_month & Q(point_entries__rule=rule)), 0)
            for rule in PointRule.values}
    qs = _earners(user)
    if area:
        qs = qs.filter(scope_area__code__startswith=area)
    rows = list(qs.annotate(total=Coalesce(Sum("point_entries__points", filter=in_month), 0), **sums)
                .values("pk", "full_name", "username", "scope_area__code", "total", *sums))
    codes = {r["scope_area__code"] for r in rows}
    names = area_names(codes | {c[:9] for c in codes})
    out = [RankRow(r["pk"], r["full_name"] or r["username"], r["scope_area__code"],
                   names.get(r["scope_area__code"], ""), r["scope_area__code"][:9],
                   names.get(r["scope_area__code"][:9], ""), r["total"],
                   {rule: r[f"r_{rule}"] for rule in PointRule.values}) for r in rows]
    _rank(out, lambda r: r.town_code, "town_rank")
    _rank(out, lambda r: r.grid_code, "grid_rank")
    return sorted(out, key=lambda r: (r.town_code, r.town_rank, r.name))


def ranking_by_grid(rows: list[RankRow]) -> list[tuple[str, str, list[RankRow]]]:
    """The ranking split per grid: (grid code, grid name, its rows by rank)."""
    grids: dict[str, list[RankRow]] = {}
    for row in sorted(rows, key=lambda r: (r.grid_code, r.grid_rank, r.name)):
        grids.setdefault(row.grid_code, []).append(row)
    return [(code, rows_[0].grid_name, rows_) for code, rows_ in grids.items()]


def worker_get(*, user: Any, worker_id: int | None) -> User:
    """The worker whose ledger ``user`` asks for (none: their own)."""
    wanted = worker_id if worker_id is not None else getattr(user, "pk", 0)
    worker = User.objects.select_related("scope_area").filter(pk=wanted or 0, kind=UserKind.STAFF).first()
    policy.check_ledger(user, worker)
    if worker is None or not _earners(user).filter(pk=worker.pk).exists() and worker.pk != user.pk:
        raise NotFound(_("No such grid worker."), field="worker")
    return worker


@dataclass
class LedgerLine:
    entry: PointEntry
    rule_label: str
    source_label: str
    link: str


@dataclass
class Ledger:
    worker: User
    month: dt.date
    lines: list[LedgerLine]
    total: int
    by_rule: list[tuple[str, str, int, int]] = field(default_factory=list)  # rule, label, lines, points


def ledger(*, user: Any, worker_id: int | None, month: dt.date) -> Ledger:
    """One worker's points of the month, newest first, each line linked to its source."""
    worker = worker_get(user=user, worker_id=worker_id)
    entries = list(PointEntry.objects.filter(worker=worker, month=month).order_by("-at", "-pk"))
    links = source_links(entries)
    labels = dict(PointRule.choices)
    lines = [LedgerLine(e, str(labels.get(e.rule, e.rule)), _source_label(e),
                        links.get((e.source_kind, e.source_id), "")) for e in entries]
    summary: dict[str, list[int]] = {}
    for e in entries:
        summary.setdefault(e.rule, [0, 0])
        summary[e.rule][0] += 1
        summary[e.rule][1] += e.points
    by_rule = [(rule, str(labels.get(rule, rule)), n, pts) for rule, (n, pts) in summary.items()]
    return Ledger(worker, month, lines, sum(e.points for e in entries), by_rule)


def _source_label(entry: PointEntry) -> str:
    if entry.source_kind == PointSource.INCIDENT:
        return entry.source_id
    kind = dict(PointSource.choices).get(entry.source_kind, entry.source_kind)
    return f"{kind} #{entry.source_id}"


def _reverse(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def source_links(entries: Iterable[PointEntry]) -> dict[tuple[str, str], str]:
    """The page behind each line: the incident's page (its API detail until the page exists), the visited
    household's visit history (else the visit's API detail), the patrol's API detail."""
    from zhenwu.grid.process import incident_page

    links: dict[tuple[str, str], str] = {}
    visits = [int(e.source_id) for e in entries if e.source_kind == PointSource.VISIT]
    homes = dict(Visit.objects.filter(pk__in=visits).values_list("pk", "household_id"))
    for e in entries:
        key = (e.source_kind, e.source_id)
        if e.source_kind == PointSource.INCIDENT:
            links[key] = incident_page(_Numbered(e.source_id))
        elif e.source_kind == PointSource.VISIT:
            home = homes.get(int(e.source_id))
            links[key] = (_reverse("grid_disputes:household_visits", household_id=home) if home else ""
                          ) or f"/api/v1/grid/visits/{e.source_id}"
        else:
            links[key] = f"/api/v1/grid/patrols/{e.source_id}"
    return links


@dataclass
class _Numbered:
    number: str


# ---------------------------------------------------------------- indicators

COUNTS = ("reported", "registered", "due", "closed", "closed_on_time", "reworked", "dispatched",
          "dispatched_on_time", "returned", "worker_reports", "workers", "worker_days", "patrols",
          "patrol_seconds", "patrol_meters")
LABELS = {
    "closure_rate": gettext_lazy("Closure rate"), "on_time_closure_rate": gettext_lazy("On-time closure rate"),
    "rework_rate": gettext_lazy("Rework rate"), "on_time_dispatch_rate": gettext_lazy("On-time dispatch rate"),
    "accurate_dispatch_rate": gettext_lazy("Accurate dispatch rate"),
    "reports_per_worker_day": gettext_lazy("Reports per grid worker per day"),
    "patrol_hours": gettext_lazy("Patrol hours"), "patrol_km": gettext_lazy("Patrol distance (km)"),
}
COUNT_LABELS = {
    "reported": gettext_lazy("Reported"), "registered": gettext_lazy("Registered"),
    "due": gettext_lazy("Due to close"), "closed": gettext_lazy("Closed"),
    "closed_on_time": gettext_lazy("Closed on time"), "reworked": gettext_lazy("Reworked"),
    "dispatched": gettext_lazy("Dispatched"), "dispatched_on_time": gettext_lazy("Dispatched on time"),
    "returned": gettext_lazy("Returned"), "worker_reports": gettext_lazy("Grid workers' reports"),
    "workers": gettext_lazy("Grid workers"), "worker_days": gettext_lazy("Grid worker days"),
    "patrols": gettext_lazy("Patrols"), "patrol_seconds": gettext_lazy("Patrol seconds"),
    "patrol_meters": gettext_lazy("Patrol metres"),
}
_OPS: dict[type, Callable[[float, float], float]] = {ast.Add: operator.add, ast.Sub: operator.sub,
                                                      ast.Mult: operator.mul, ast.Div: operator.truediv}


def formula_eval(formula: str, counts: dict[str, int | float]) -> float | None:
    """A formula of ``GRID_INDICATORS`` on the counts: names of ``COUNTS``, numbers, + - * / and brackets.
    None when it divides by zero; a ValueError for anything else (a setting to fix)."""
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in COUNTS:
            return float(counts.get(node.id, 0))
        raise ValueError(f"GRID_INDICATORS: {formula!r} may use only {', '.join(COUNTS)}, numbers and + - * /")
    try:
        return walk(ast.parse(formula, mode="eval"))
    except ZeroDivisionError:
        return None
    except SyntaxError as exc:
        raise ValueError(f"GRID_INDICATORS: {formula!r} is not a formula") from exc


def indicator_value(key: str, counts: dict[str, int | float]) -> float | None:
    spec = settings.GRID_INDICATORS[key]
    value = formula_eval(spec["formula"], counts)
    if value is None:
        return None
    return round(100 * value, 1) if spec.get("unit") == "%" else round(value, 2)


@dataclass
class IndicatorRow:
    code: str
    name: str
    counts: dict[str, int | float]
    values: dict[str, float | None] = field(default_factory=dict)


def _group(expr: str, level: str) -> Any:
    size = LEVELS[level]
    return F(expr) if not size else Substr(expr, 1, size)


def _step(action: str, **extra: Any) -> Exists:
    return Exists(AuditEntry.objects.filter(case_id=OuterRef("case_id"), action=action, **extra))


def _incident_counts(user: User, level: str, area: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    in_month = {"created_at__gte": start, "created_at__lt": end}
    dispatch_by = ExpressionWrapper(OuterRef("case__created_at")
                                    + Value(dt.timedelta(hours=settings.GRID_DISPATCH_LIMIT_HOURS)),
                                    output_field=DateTimeField())
    by_worker = StaffRole.objects.filter(user=OuterRef("reporter_id"), role=Role.GRID_WORKER)
    qs = restrict(Incident.objects.all(), user, field="case__area_code")
    if area:
        qs = qs.filter(case__area_code__startswith=area)
    qs = qs.annotate(
        key=_group("case__area_code", level), reg=_step("register", **in_month), disp=_step("dispatch", **in_month),
        disp_on_time=_step("dispatch", created_at__lte=dispatch_by, **in_month),
        ever_disp=_step("dispatch"), ever_ret=_step("return"), by_worker=Exists(by_worker),
        rep=Q(case__created_at__gte=start, case__created_at__lt=end),
        due_m=Q(case__deadline_due_at__gte=start, case__deadline_due_at__lt=end),
    )
    due = Q(ever_disp=True, due_m=True) & ~Q(case__status__in=NOT_DUE_STATES)
    closed = due & Q(case__status__in=CLOSED_STATES)
    counts = {
        "reported": Count("pk", filter=Q(rep=True)),
        "registered": Count("pk", filter=Q(reg=True)),
        "due": Count("pk", filter=due),
        "closed": Count("pk", filter=closed),
        "closed_on_time": Count("pk", filter=closed & Q(case__deadline_stopped_at__lte=F("case__deadline_due_at"))),
        "reworked": Count("pk", filter=Q(reg=True, rework_count__gt=0)),
        "dispatched": Count("pk", filter=Q(disp=True)),
        "dispatched_on_time": Count("pk", filter=Q(disp_on_time=True)),
        "returned": Count("pk", filter=Q(disp=True, ever_ret=True)),
        "worker_reports": Count("pk", filter=Q(rep=True, by_worker=True)),
    }
    touched = Q(rep=True) | Q(reg=True) | Q(disp=True) | Q(due_m=True)
    return [dict(r) for r in qs.filter(touched).values("key").annotate(**counts).order_by("key")]


def _worker_counts(user: User, level: str, area: str) -> list[dict[str, Any]]:
    workers = StaffRole.objects.filter(user=OuterRef("pk"), role=Role.GRID_WORKER)
    qs = restrict(User.objects.filter(Exists(workers), kind=UserKind.STAFF, scope_area__isnull=False,
                                      is_active=True), user, field="scope_area__code")
    if area:
        qs = qs.filter(scope_area__code__startswith=area)
    return [dict(r) for r in qs.annotate(key=_group("scope_area__code", level)).values("key")
            .annotate(workers=Count("pk")).order_by("key")]


def _patrol_counts(user: User, level: str, area: str, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    qs = restrict(Patrol.objects.filter(started_at__gte=start, started_at__lt=end, ended_at__isnull=False), user)
    if area:
        qs = qs.filter(area_code__startswith=area)
    length = ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
    return [dict(r) for r in qs.annotate(key=_group("area_code", level)).values("key")
            .annotate(patrols=Count("pk"), patrol_time=Sum(length), patrol_meters=Sum("distance_m"))
            .order_by("key")]


def _days(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> int:
    """Days of the month counted for 'per day': the whole month once over, else the days begun so far."""
    if now >= end:
        return (end - start).days
    return max(0, (timezone.localtime(now).date() - timezone.localtime(start).date()).days + 1)


def indicators(*, user: Any, month: dt.date, level: str = "village", area: str = "",
               now: dt.datetime | None = None) -> tuple[list[IndicatorRow], IndicatorRow]:
    """The month's indicators per ``level`` group of the scope (optionally under ``area``) and in total."""
    user = policy.check_reader(user)
    start, end = month_bounds(month)
    groups: dict[str, dict[str, int | float]] = {}
    for row in _incident_counts(user, level, area, start, end):
        groups.setdefault(row.pop("key"), {}).update(row)
    for row in _worker_counts(user, level, area):
        groups.setdefault(row.pop("key"), {}).update(row)
    for row in _patrol_counts(user, level, area, start, end):
        key, seconds = row.pop("key"), row.pop("patrol_time")
        groups.setdefault(key, {}).update(row, patrol_seconds=int(seconds.total_seconds()) if seconds else 0)
    days = _days(start, end, now or timezone.now())
    names = area_names(groups)
    rows = []
    for code in sorted(groups):
        counts = {name: groups[code].get(name) or 0 for name in COUNTS}
        counts["worker_days"] = counts["workers"] * days
        counts["patrol_meters"] = round(float(counts["patrol_meters"]), 1)
        rows.append(IndicatorRow(code, names.get(code, code), counts))
    total = IndicatorRow("", str(_("Total")), {name: sum(r.counts[name] for r in rows) for name in COUNTS})
    for out in [*rows, total]:
        out.values = {key: indicator_value(key, out.counts) for key in settings.GRID_INDICATORS}
    return rows, total


def formula_text(formula: str) -> str:
    """A formula with the counts' names in the reader's language (``closed / due`` → 结案数 / 应结案数)."""
    return re.sub(r"[A-Za-z_]+", lambda m: str(COUNT_LABELS.get(m.group(0), m.group(0))), formula)


def indicator_label(key: str) -> str:
    return str(LABELS.get(key, key))


def indicator_unit(key: str) -> str:
    return str(settings.GRID_INDICATORS[key].get("unit", ""))
