"""积分: the grid workers' points, computed from what the incidents, visits and patrols record.

Nothing here is typed in: every line of the ledger (``PointEntry``) is derived from a source by a rule of
``settings.GRID_POINTS`` (docs/grid-scoring.md), and is unique per (rule, source), so computing again
updates lines instead of adding them. Three ways in:

- ``points_recompute(month=…)``: the month's lines, from scratch (the daily tick step, the command
  ``grid_points``); lines of the month no source backs any more are dropped;
- ``points_for_incidents`` / ``points_for_visits`` / ``points_for_patrols``: the lines of a few sources,
  every month (the incremental path);
- ``points_tick(now=…)``: the tick step — the sources that moved since the last run (read by id, with the
  run before's mark for transactions that committed late), and once a day the current and the previous
  month in full.

From the incidents (the case's audit trail, through the kernel's ``AuditEntry`` rows of kind SJ):
``register`` or ``self_close`` → valid report (the reporter); ``self_close`` → self-closure (who closed it);
``reject`` → invalid report (the reporter); ``verify_pass`` → verified closure (the reporter); each
``handle`` (the case enters 待核查) opens a verification round due ``GRID_POINTS_VERIFY_HOURS`` later:
answered by then → on-time verification (the verifier), later → overdue verification (the verifier),
not at all and past due → overdue verification (the reporter, who is asked to verify). Only staff holding
a grid role (grid worker, grid leader) earn points; a citizen's report earns none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.casework.models import AuditEntry
from zhenwu.grid.choices_points import PointRule, PointSource
from zhenwu.grid.models import Incident, Patrol, PointCursor, PointEntry, Visit
from zhenwu.grid.process import KIND

EARNER_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER)
STEPS = ("register", "reject", "self_close", "handle", "verify_pass", "verify_fail")
VERIFY_STEPS = ("verify_pass", "verify_fail")
CURSOR = "points"


@dataclass(frozen=True)
class Line:
    """One ledger line as computed (``PointEntry`` without its bookkeeping)."""

    worker_id: int
    area_code: str
    month: dt.date
    rule: str
    points: int
    quantity: int
    source_kind: str
    source_id: str
    source_seq: int
    at: dt.datetime

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.rule, self.source_kind, self.source_id, self.source_seq)


def rule_points(rule: str) -> int:
    return int(settings.GRID_POINTS.get(rule, 0))


def month_of(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date().replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local month starting ``month`` as [first moment, first moment of the next month)."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(following, dt.time.min)))


def _earners(ids: Iterable[int | None]) -> dict[int, str]:
    """Of ``ids``: the staff holding a grid role → their scope's area code ("" without a scope)."""
    wanted = {i for i in ids if i is not None}
    rows = (User.objects.filter(pk__in=wanted, kind=UserKind.STAFF, role_assignments__role__in=EARNER_ROLES)
            .values_list("pk", "scope_area__code").distinct())
    return {pk: code or "" for pk, code in rows}


class _Lines:
    """Collects lines for earners only, skipping rules worth nothing."""

    def __init__(self, earners: dict[int, str]) -> None:
        self.earners = earners
        self.out: list[Line] = []

    def add(self, worker: int | None, rule: str, kind: str, source: str, at: dt.datetime, *,
            seq: int = 0, quantity: int = 1, area: str = "") -> None:
        value = rule_points(rule) * quantity
        if worker is None or worker not in self.earners or not value:
            return
        self.out.append(Line(worker, self.earners[worker] or area, month_of(at), rule, value, quantity,
                             kind, source, seq, at))


# ---------------------------------------------------------------- the sources

def _incident_lines(case_ids: Iterable[int], now: dt.datetime) -> list[Line]:
    """Every line of the incidents of ``case_ids``, from their whole audit trails."""
    incidents = {i.case_id: i for i in Incident.objects.filter(case_id__in=set(case_ids)).select_related("case")}
    steps: dict[int, list[AuditEntry]] = {}
    for entry in (AuditEntry.objects.filter(case_id__in=incidents, action__in=STEPS)
                  .only("case_id", "seq", "action", "actor_id", "created_at").order_by("case_id", "seq")):
        steps.setdefault(entry.case_id, []).append(entry)  # type: ignore[arg-type]
    people = {i.reporter_id for i in incidents.values()} | {e.actor_id for es in steps.values() for e in es}
    lines = _Lines(_earners(people))
    for case_id, entries in steps.items():
        _one_incident(lines, incidents[case_id], entries, now)
    return lines.out


def _one_incident(lines: _Lines, incident: Incident, entries: list[AuditEntry], now: dt.datetime) -> None:
    number, area, reporter = incident.case.number, incident.case.area_code, incident.reporter_id
    src = PointSource.INCIDENT
    accepted = next((e for e in entries if e.action in ("register", "self_close")), None)
    if accepted is not None:
        lines.add(reporter, PointRule.VALID_REPORT, src, number, accepted.created_at, area=area)
    for e in entries:
        if e.action == "self_close":
            lines.add(e.actor_id, PointRule.SELF_CLOSURE, src, number, e.created_at, area=area)
        elif e.action == "reject":
            lines.add(reporter, PointRule.INVALID_REPORT, src, number, e.created_at, area=area)
        elif e.action == "verify_pass":
            lines.add(reporter, PointRule.VERIFIED_CLOSURE, src, number, e.created_at, area=area)
    limit = dt.timedelta(hours=settings.GRID_POINTS_VERIFY_HOURS)
    for i, handled in enumerate(entries):
        if handled.action != "handle":
            continue
        due = handled.created_at + limit
        answer = next((e for e in entries[i + 1:] if e.action in VERIFY_STEPS), None)
        if answer is not None and answer.created_at <= due:
            lines.add(answer.actor_id, PointRule.ON_TIME_VERIFICATION, src, number, answer.created_at,
                      seq=handled.seq, area=area)
        elif answer is not None:
            lines.add(answer.actor_id, PointRule.OVERDUE_VERIFICATION, src, number, due, seq=handled.seq, area=area)
        elif now > due and incident.case.status == "fed_back":
            lines.add(reporter, PointRule.OVERDUE_VERIFICATION, src, number, due, seq=handled.seq, area=area)


def _visit_lines(visits: QuerySet[Visit]) -> list[Line]:
    rows = list(visits.values_list("pk", "worker_id", "visited_at", "area_code"))
    lines = _Lines(_earners(r[1] for r in rows))
    for pk, worker, at, area in rows:
        lines.add(worker, PointRule.VISIT, PointSource.VISIT, str(pk), at, area=area)
    return lines.out


def _patrol_lines(patrols: QuerySet[Patrol]) -> list[Line]:
    rows = list(patrols.filter(ended_at__isnull=False)
                .values_list("pk", "worker_id", "started_at", "ended_at", "area_code"))
    lines = _Lines(_earners(r[1] for r in rows))
    top = settings.GRID_POINTS_PATROL_MAX_HOURS
    for pk, worker, started, ended, area in rows:
        hours = min(int((ended - started).total_seconds() // 3600), top) if ended else 0
        if hours > 0:
            lines.add(worker, PointRule.PATROL_HOUR, PointSource.PATROL, str(pk), started, quantity=hours, area=area)
    return lines.out


# ---------------------------------------------------------------- writing the ledger

_COMPARED = [f.name for f in fields(Line) if f.name not in ("rule", "source_kind", "source_id", "source_seq")]


def _sync(domain: QuerySet[PointEntry], lines: list[Line]) -> int:
    """Make the ledger's lines within ``domain`` exactly ``lines``: create, update, drop. Writers queue on the
    cursor's row lock, so two runs never race to create the same line. Returns how many lines changed."""
    PointCursor.objects.select_for_update().get_or_create(name=CURSOR)
    existing = {(e.rule, e.source_kind, e.source_id, e.source_seq): e for e in domain}
    wanted = {line.key: line for line in lines}
    new, changed = [], []
    for key, line in wanted.items():
        entry = existing.get(key)
        if entry is None:
            new.append(PointEntry(**{f.name: getattr(line, f.name) for f in fields(Line)}))
        elif any(getattr(entry, name) != getattr(line, name) for name in _COMPARED):
            for name in _COMPARED:
                setattr(entry, name, getattr(line, name))
            entry.updated_at = timezone.now()
            changed.append(entry)
    stale = [e.pk for key, e in existing.items() if key not in wanted]
    PointEntry.objects.bulk_create(new, batch_size=1000)
    PointEntry.objects.bulk_update(changed, [*_COMPARED, "updated_at"], batch_size=1000)
    PointEntry.objects.filter(pk__in=stale).delete()
    return len(new) + len(changed) + len(stale)


def _source_domain(kind: str, ids: Iterable[str]) -> QuerySet[PointEntry]:
    return PointEntry.objects.filter(source_kind=kind, source_id__in=list(ids))


@transaction.atomic
def points_for_incidents(*, case_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """The lines of these incidents (by case id), every month; returns how many lines changed."""
    ids = set(case_ids)
    numbers = Incident.objects.filter(case_id__in=ids).values_list("case__number", flat=True)
    return _sync(_source_domain(PointSource.INCIDENT, numbers), _incident_lines(ids, now or timezone.now()))


@transaction.atomic
def points_for_visits(*, visit_ids: Iterable[int]) -> int:
    ids = set(visit_ids)
    return _sync(_source_domain(PointSource.VISIT, map(str, ids)), _visit_lines(Visit.objects.filter(pk__in=ids)))


@transaction.atomic
def points_for_patrols(*, patrol_ids: Iterable[int]) -> int:
    ids = set(patrol_ids)
    return _sync(_source_domain(PointSource.PATROL, map(str, ids)), _patrol_lines(Patrol.objects.filter(pk__in=ids)))


@transaction.atomic
def points_recompute(*, month: dt.date, now: dt.datetime | None = None) -> int:
    """积分 of one month from scratch (idempotent): every line whose event falls in the month, and no other
    line of that month. Returns how many lines changed (0 when run again on unchanged data)."""
    month = month.replace(day=1)
    start, end = month_bounds(month)
    look_back = start - dt.timedelta(hours=settings.GRID_POINTS_VERIFY_HOURS)  # rounds falling due this month
    case_ids = (AuditEntry.objects.filter(case__kind=KIND, action__in=STEPS, created_at__gte=look_back,
                                          created_at__lt=end).values_list("case_id", flat=True).distinct())
    lines = [*_incident_lines(set(case_ids), now or timezone.now()),
             *_visit_lines(Visit.objects.filter(visited_at__gte=start, visited_at__lt=end)),
             *_patrol_lines(Patrol.objects.filter(started_at__gte=start, started_at__lt=end))]
    return _sync(PointEntry.objects.filter(month=month), [line for line in lines if line.month == month])


def _previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def points_tick(*, now: dt.datetime) -> int:
    """The tick step: what moved since the last run; on the first run of a day also this month and the last
    one in full (a rule changed in the settings, anything the incremental path missed). Returns how many
    lines changed.

    The incremental path reads by primary key, never by scanning times: audit steps and visits with ids
    after the mark of the run before the last (``PointCursor``), incidents waiting for verification (the
    kernel's (kind, status) index) whose round fell due since the last run, and patrols started in the last
    two days."""
    with transaction.atomic():
        cursor, _new = PointCursor.objects.select_for_update().get_or_create(name=CURSOR)
        since, today = cursor.ran_at, timezone.localtime(now).date()
        audit_top = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        visit_top = Visit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        changed = 0
        if since is None or cursor.full_day != today:
            changed += points_recompute(month=_previous_month(today), now=now)
            changed += points_recompute(month=today.replace(day=1), now=now)
        else:
            changed += _points_since(cursor, since, now)
        PointCursor.objects.filter(pk=cursor.pk).update(
            ran_at=now, full_day=today, audit_seen=audit_top, audit_seen_before=cursor.audit_seen,
            visit_seen=visit_top, visit_seen_before=cursor.visit_seen)
    return changed


def _points_since(cursor: PointCursor, since: dt.datetime, now: dt.datetime) -> int:
    limit = dt.timedelta(hours=settings.GRID_POINTS_VERIFY_HOURS)
    stepped = AuditEntry.objects.filter(pk__gt=cursor.audit_seen_before, case__kind=KIND, action__in=STEPS)
    waiting = Incident.objects.filter(case__kind=KIND, case__status="fed_back", case__updated_at__gte=since - limit,
                                      case__updated_at__lt=now - limit)
    case_ids = {*stepped.values_list("case_id", flat=True), *waiting.values_list("case_id", flat=True)}
    visits = Visit.objects.filter(pk__gt=cursor.visit_seen_before).values_list("pk", flat=True)
    patrols = Patrol.objects.filter(ended_at__isnull=False, started_at__gte=now - dt.timedelta(days=2))
    return (points_for_incidents(case_ids=case_ids, now=now) + points_for_visits(visit_ids=list(visits))
            + points_for_patrols(patrol_ids=list(patrols.values_list("pk", flat=True))))
