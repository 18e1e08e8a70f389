"""Supervision over ``Case``, for every kind: 催办 (automatic at yellow and red, and by hand), 督办 by a
leader (flag, priority, reminders), overdue and at-risk lists, and the daily statistics summary.

Definitions (any kind, from the kernel's columns only):

- *live*: the case has a deadline that is not stopped (``deadline_due_at`` set, ``deadline_stopped_at``
  empty); a terminal or ``stops_clock`` state stops it, so finished cases are never live.
- *overdue*: live and past its due time — or paused while red (a paused clock keeps its light).
- *at risk*: live, not overdue, and yellow (the light the tick refreshed last).
- *finished*: the clock was stopped; *on time*: stopped at or before the due time.

Labels come from the kind registry (``kinds.kind_get``), never from a kind code typed here. A pillar
that urges its own cases (the service hall, with its own notion of 在办 and its own text) says so with
``urges_by_pillar(code)``; the kernel's tick step then leaves its cases alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case as Choose
from django.db.models import Count, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, restrict, scope_prefix
from zhenwu.casework import kinds
from zhenwu.casework.choices import Light, SupervisionPriority, UrgeLevel
from zhenwu.casework.models import Case, CaseDayStat, CaseSupervision, CaseUrge
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _

SUPERVISION_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.ADMIN)  # lists, statistics, 催办 by hand
LEADER_ROLES = (Role.LEADER, Role.ADMIN)  # 督办
TOWN_CODE_LENGTH = 9
MAX_PERIOD_DAYS = 3660
MAX_NOTE = 500

_PILLAR_URGED: set[str] = set()
Recipient = Callable[[Case], "User | None"]
_RECIPIENTS: dict[str, Recipient] = {}


def urges_by_pillar(code: str) -> None:
    """A pillar urges its own cases (from its ``ready()``); the kernel's tick step skips the kind."""
    _PILLAR_URGED.add(code)


def urge_recipient_register(code: str, fn: Recipient) -> None:
    """Who receives the reminders of a kind's cases (default: the case's handler, else the staff member
    who filed it)."""
    _RECIPIENTS[code] = fn


def urge_recipient(case: Case) -> User | None:
    fn = _RECIPIENTS.get(case.kind)
    if fn is not None:
        return fn(case)
    if case.handler_id is not None:
        return case.handler
    user = case.created_by
    return user if user is not None and user.kind == UserKind.STAFF else None


# ---------------------------------------------------------------- who may

def supervision_check(user: User, roles: tuple[Role, ...] = SUPERVISION_ROLES) -> str:
    """The scope prefix of a supervisor, leader or administrator; anyone else is refused (403)."""
    prefix = scope_prefix(user)
    if prefix is None or not user.has_role(*roles):
        raise Forbidden(_("Only supervisors, leaders and administrators may use supervision."))
    return prefix


def case_finished(case: Case) -> bool:
    """Ended (a terminal state) or its clock stopped for good (办结 waiting only for 出件)."""
    if case.deadline_stopped_at is not None:
        return True
    state = process_get(case.process).states.get(case.status)
    return state is not None and (state.terminal or state.stops_clock)


# ---------------------------------------------------------------- lights as filters

def live_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}deadline_due_at__isnull": False, f"{prefix}deadline_stopped_at__isnull": True})


def overdue_q(now: dt.datetime, prefix: str = "") -> Q:
    running = Q(**{f"{prefix}paused_at__isnull": True, f"{prefix}deadline_due_at__lt": now})
    paused_red = Q(**{f"{prefix}paused_at__isnull": False, f"{prefix}light": Light.RED})
    return live_q(prefix) & (running | paused_red)


def at_risk_q(now: dt.datetime, prefix: str = "") -> Q:
    return live_q(prefix) & Q(**{f"{prefix}light": Light.YELLOW}) & ~overdue_q(now, prefix)


# ---------------------------------------------------------------- lists (scoped, every kind)

def supervised_cases(*, user: User) -> QuerySet[Case]:
    supervision_check(user)
    return kinds.cases_readable(restrict(Case.objects.all(), user), user).select_related("supervision")


def _with_kind(qs: QuerySet[Case], kind: str) -> QuerySet[Case]:
    if not kind:
        return qs
    if kinds.kind_get(kind) is None:
        raise FieldError("kind", _("No such case kind."))
    return qs.filter(kind=kind)


def overdue_list(*, user: User, kind: str = "", now: dt.datetime | None = None) -> QuerySet[Case]:
    """Cases of every kind (or one) past their due time, the most overdue first."""
    now = now or timezone.now()
    return _with_kind(supervised_cases(user=user), kind).filter(overdue_q(now)).order_by("deadline_due_at", "pk")


def at_risk_list(*, user: User, kind: str = "", now: dt.datetime | None = None) -> QuerySet[Case]:
    """Cases of every kind (or one) close to their due time (yellow), the soonest due first."""
    now = now or timezone.now()
    return _with_kind(supervised_cases(user=user), kind).filter(at_risk_q(now)).order_by("deadline_due_at", "pk")


def flagged_list(*, user: User, kind: str = "") -> QuerySet[Case]:
    """Cases under 督办 now, the most urgent priority first."""
    order = {SupervisionPriority.URGENT: 0, SupervisionPriority.HIGH: 1, SupervisionPriority.NORMAL: 2}
    rank = Choose(*(When(supervision__priority=p, then=Value(n)) for p, n in order.items()),
                 default=Value(3), output_field=IntegerField())
    return (_with_kind(supervised_cases(user=user), kind)
            .filter(supervision__isnull=False, supervision__ended_at__isnull=True)
            .annotate(priority_rank=rank).order_by("priority_rank", F("deadline_due_at").asc(nulls_last=True), "pk"))


# ---------------------------------------------------------------- 催办

def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def urge_text(case: Case, level: str, note: str = "") -> str:
    params = {"number": case.number, "kind": kinds.kind_label(case.kind), "title": case.title,
              "due": _local(case.deadline_due_at)}
    if level == UrgeLevel.RED:
        return _("Reminder: %(kind)s %(number)s (%(title)s) is overdue since %(due)s; please finish it now.") % params
    if level == UrgeLevel.YELLOW:
        return _("Reminder: %(kind)s %(number)s (%(title)s) is due at %(due)s; please finish it in time.") % params
    text = _("Reminder from supervision: please speed up %(kind)s %(number)s (%(title)s).") % params
    return f"{text} {note}" if note else text


def _send(case: Case, recipient: User | None, body: str, payload: dict[str, Any]) -> None:
    from zhenwu.casework.services.outbox import notification_enqueue

    if recipient is not None and recipient.mobile:
        notification_enqueue(channel="sms", recipient=recipient.mobile, body=body,
                             payload={"case": case.number, **payload})


def _urge_auto(case: Case, level: str, now: dt.datetime) -> bool:
    recipient = urge_recipient(case)
    try:
        with transaction.atomic():
            CaseUrge.objects.create(case=case, level=level, recipient=recipient, sent_at=now)
            _send(case, recipient, urge_text(case, level), {"urge": level})
    except IntegrityError:
        return False  # another tick recorded this level first
    return True


def urge_due(*, now: dt.datetime | None = None) -> int:
    """The tick's automatic 催办 (after the lights are refreshed): one reminder when a case turns yellow
    and one when it turns red, each once per case, for every kind a pillar does not urge itself."""
    now = now or timezone.now()
    sent = 0
    for level, q in ((UrgeLevel.YELLOW, at_risk_q(now)), (UrgeLevel.RED, overdue_q(now))):
        done = CaseUrge.objects.filter(case=OuterRef("pk"), level=level)
        due = (Case.objects.filter(q).exclude(kind__in=_PILLAR_URGED).exclude(Exists(done))
               .select_related("created_by", "handler").order_by("pk"))
        sent += sum(_urge_auto(case, level, now) for case in due.iterator(chunk_size=500))
    return sent


def case_urge(*, actor: User, case: Case, note: str = "", request_id: str = "") -> CaseUrge:
    """催办 by hand: a supervisor, leader or administrator reminds the case's holder. Out of scope 404,
    without the role 403, a finished case 400 (field ``number``) — nothing recorded or sent."""
    from zhenwu.casework.services.audit import audit_record

    if not in_scope(actor, case.area_code):
        raise NotFound(_("No such case."), field="number")
    supervision_check(actor)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise FieldError("note", _("Ensure this value has at most %(max)d characters.") % {"max": MAX_NOTE})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case_finished(case):
            raise FieldError("number", _("The case %(number)s is already finished, so there is nothing to urge.")
                             % {"number": case.number})
        now = timezone.now()
        recipient = urge_recipient(case)
        urge = CaseUrge.objects.create(case=case, level=UrgeLevel.MANUAL, recipient=recipient, urged_by=actor,
                                       note=note, sent_at=now)
        _send(case, recipient, urge_text(case, UrgeLevel.MANUAL, note), {"urge": UrgeLevel.MANUAL.value})
        audit_record(subject=case.number, actor=actor, action="urge", reason=note, request_id=request_id,
                     data={"urge": UrgeLevel.MANUAL.value})
    return urge


# ---------------------------------------------------------------- 督办

def case_supervise(*, actor: User, case: Case, priority: str = SupervisionPriority.NORMAL, note: str = "",
                   remind_hours: int = 24, request_id: str = "") -> CaseSupervision:
    """督办: a leader flags a running case (or changes the flag's priority, note and reminder interval)."""
    from zhenwu.casework.services.audit import audit_record

    if not in_scope(actor, case.area_code):
        raise NotFound(_("No such case."), field="number")
    if scope_prefix(actor) is None or not actor.has_role(*LEADER_ROLES):
        raise Forbidden(_("Only leaders and administrators may flag a case for supervision."))
    if priority not in SupervisionPriority.values:
        raise FieldError("priority", _("Choose one of the allowed values."))
    if not 1 <= remind_hours <= 24 * 30:
        raise FieldError("remind_hours", _("Enter a number of hours from 1 to 720."))
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise FieldError("note", _("Ensure this value has at most %(max)d characters.") % {"max": MAX_NOTE})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case_finished(case):
            raise FieldError("number", _("The case %(number)s is already finished, so it cannot be put under "
                                         "supervision.") % {"number": case.number})
        row, _created = CaseSupervision.objects.update_or_create(
            case=case, defaults={"leader": actor, "priority": priority, "note": note, "remind_hours": remind_hours,
                                 "started_at": timezone.now(), "ended_at": None, "last_reminded_at": None})
        audit_record(subject=case.number, actor=actor, action="supervise", reason=note, request_id=request_id,
                     data={"priority": priority, "remind_hours": remind_hours})
    return row


def case_unsupervise(*, actor: User, case: Case, request_id: str = "") -> None:
    """Lift the 督办 flag (leaders and administrators)."""
    from zhenwu.casework.services.audit import audit_record

    if not in_scope(actor, case.area_code):
        raise NotFound(_("No such case."), field="number")
    if scope_prefix(actor) is None or not actor.has_role(*LEADER_ROLES):
        raise Forbidden(_("Only leaders and administrators may flag a case for supervision."))
    with transaction.atomic():
        if not CaseSupervision.objects.filter(case=case, ended_at__isnull=True).update(ended_at=timezone.now()):
            raise FieldError("number", _("The case is not under supervision."))
        audit_record(subject=case.number, actor=actor, action="unsupervise", request_id=request_id)


def supervision_remind(*, now: dt.datetime | None = None) -> int:
    """The tick's 督办 reminders: each flagged, unfinished case's holder is reminded every ``remind_hours``;
    the flag ends by itself when the case is finished."""
    now = now or timezone.now()
    sent = 0
    rows = (CaseSupervision.objects.filter(ended_at__isnull=True)
            .select_related("case", "case__created_by", "case__handler"))
    for row in rows.iterator(chunk_size=500):
        if case_finished(row.case):
            CaseSupervision.objects.filter(pk=row.pk).update(ended_at=now)
            continue
        if row.last_reminded_at is not None and now - row.last_reminded_at < dt.timedelta(hours=row.remind_hours):
            continue
        with transaction.atomic():
            if not CaseSupervision.objects.filter(pk=row.pk, last_reminded_at=row.last_reminded_at).update(
                    last_reminded_at=now, reminders=F("reminders") + 1):
                continue  # another tick reminded first
            text = _("Supervised by a leader (%(priority)s): %(kind)s %(number)s (%(title)s) is due at %(due)s.") % {
                "priority": row.get_priority_display(), "kind": kinds.kind_label(row.case.kind),
                "number": row.case.number, "title": row.case.title, "due": _local(row.case.deadline_due_at)}
            _send(row.case, urge_recipient(row.case), text, {"supervision": row.priority})
        sent += 1
    return sent


# ---------------------------------------------------------------- daily statistics summary

Key = tuple[str, dt.date, str]  # (town, day, kind)


def _day_counts(qs: QuerySet[Case], start: dt.datetime | None, end: dt.datetime) -> dict[Key, dict[str, int]]:
    """Filed, finished and on-time counts per (town, local day, kind) of events in [start, end)."""
    sums: dict[Key, dict[str, int]] = defaultdict(lambda: {"filed": 0, "finished": 0, "on_time": 0})
    filed = qs.filter(created_at__lt=end)
    stopped = qs.filter(deadline_stopped_at__isnull=False, deadline_stopped_at__lt=end)
    if start is not None:
        filed = filed.filter(created_at__gte=start)
        stopped = stopped.filter(deadline_stopped_at__gte=start)
    for r in filed.order_by().values("town_code", "kind", d=TruncDate("created_at")).annotate(n=Count("pk")):
        sums[(r["town_code"], r["d"], r["kind"])]["filed"] += r["n"]
    on_time = Q(deadline_due_at__isnull=True) | Q(deadline_stopped_at__lte=F("deadline_due_at"))
    rows = (stopped.order_by().values("town_code", "kind", d=TruncDate("deadline_stopped_at"))
            .annotate(n=Count("pk"), ok=Count("pk", filter=on_time)))
    for r in rows:
        counts = sums[(r["town_code"], r["d"], r["kind"])]
        counts["finished"] += r["n"]
        counts["on_time"] += r["ok"]
    return sums


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), timezone.get_current_timezone())


def summary_through() -> dt.date | None:
    """The last day the summary covers (every day up to it is summed; later days are read live)."""
    return CaseDayStat.objects.aggregate(d=Max("day"))["d"]


@transaction.atomic
def case_stats_refresh(*, now: dt.datetime | None = None) -> int:
    """Sum the days that are over and not summed yet (the tick calls it; the first run sums history)."""
    today = timezone.localdate(now or timezone.now())
    last = summary_through()
    if last is not None and last >= today - dt.timedelta(days=1):
        return 0
    start = _midnight(last + dt.timedelta(days=1)) if last is not None else None
    sums = _day_counts(Case.objects.all(), start, _midnight(today))
    # A marker row (no town, no kind) says the summary covers yesterday even if nothing happened then.
    sums[("", today - dt.timedelta(days=1), "")] = {"filed": 0, "finished": 0, "on_time": 0}
    CaseDayStat.objects.bulk_create([CaseDayStat(town_code=t, day=d, kind=k, **v) for (t, d, k), v in sums.items()],
                                    batch_size=2000, ignore_conflicts=True)  # a concurrent tick wrote the same
    return len(sums)


@transaction.atomic
def case_stats_rebuild(*, now: dt.datetime | None = None) -> int:
    """Drop and recompute the whole summary (after bulk loads or a calendar change)."""
    CaseDayStat.objects.all().delete()
    return case_stats_refresh(now=now)


@dataclass
class KindStats:
    kind: str
    label: str
    filed: int = 0
    finished: int = 0
    on_time: int = 0
    overdue: int = 0
    at_risk: int = 0
    flagged: int = 0
    urged: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.finished, 4) if self.finished else None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "filed": self.filed, "finished": self.finished,
                "on_time": self.on_time, "on_time_rate": self.on_time_rate, "overdue": self.overdue,
                "at_risk": self.at_risk, "flagged": self.flagged, "urged": self.urged}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def period_clean(*, date_from: str = "", date_to: str = "", today: dt.date | None = None) -> Period:
    """The period asked for (inclusive local dates); empty values default to this month."""
    today = today or timezone.localdate()

    def parse(name: str, raw: str) -> dt.date:
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            raise FieldError(name, _("Enter a valid date (YYYY-MM-DD).")) from None

    start = parse("from", date_from) if date_from else today.replace(day=1)
    end = parse("to", date_to) if date_to else today
    if end < start:
        raise FieldError("to", _("The end date must not be before the start date."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise FieldError("to", _("The period may be at most ten years long."))
    return Period(start, end)


@dataclass
class StatsResult:
    period: Period
    rows: list[KindStats] = field(default_factory=list)

    @property
    def total(self) -> KindStats:
        total = KindStats("", str(_("Total")))
        for r in self.rows:
            for name in ("filed", "finished", "on_time", "overdue", "at_risk", "flagged", "urged"):
                setattr(total, name, getattr(total, name) + getattr(r, name))
        return total


def case_stats(*, user: User, period: Period, now: dt.datetime | None = None) -> StatsResult:
    """Statistics per kind, in the user's scope: filed, finished and finished on time in the period (the
    summary for summed days of a town or wider scope, the cases themselves for the rest), and now:
    overdue, at risk, under 督办; and the reminders (催办) sent in the period."""
    now = now or timezone.now()
    prefix = supervision_check(user)
    rows: dict[str, KindStats] = {}

    def row(code: str) -> KindStats:
        return rows.setdefault(code, KindStats(code, kinds.kind_label(code)))

    start, end = _midnight(period.start), _midnight(period.end + dt.timedelta(days=1))
    scoped = restrict(Case.objects.all(), user)
    through = summary_through() if len(prefix) <= TOWN_CODE_LENGTH else None
    live_from = start
    if through is not None and through >= period.start:
        summed = (CaseDayStat.objects.filter(town_code__startswith=prefix, day__gte=period.start,
                                             day__lte=min(through, period.end)).exclude(kind="")
                  .order_by().values("kind").annotate(f=Sum("filed"), d=Sum("finished"),
                                                      o=Sum("on_time")))
        for r in summed:
            k = row(r["kind"])
            k.filed, k.finished, k.on_time = k.filed + r["f"], k.finished + r["d"], k.on_time + r["o"]
        live_from = max(start, _midnight(through + dt.timedelta(days=1)))
    if live_from < end:
        for (_town, _day, code), counts in _day_counts(scoped, live_from, end).items():
            k = row(code)
            k.filed, k.finished, k.on_time = (k.filed + counts["filed"], k.finished + counts["finished"],
                                              k.on_time + counts["on_time"])
    now_counts = (scoped.filter(live_q()).order_by().values("kind")
                  .annotate(over=Count("pk", filter=overdue_q(now)), risk=Count("pk", filter=at_risk_q(now))))
    for c in now_counts:
        k = row(c["kind"])
        k.overdue, k.at_risk = c["over"], c["risk"]
    flagged = (restrict(CaseSupervision.objects.filter(ended_at__isnull=True), user, field="case__area_code")
               .order_by().values("case__kind").annotate(n=Count("pk")))
    for f in flagged:
        row(f["case__kind"]).flagged = f["n"]
    urged = (restrict(CaseUrge.objects.filter(sent_at__gte=start, sent_at__lt=end), user, field="case__area_code")
             .order_by().values("case__kind").annotate(n=Count("pk")))
    for u in urged:
        row(u["case__kind"]).urged = u["n"]
    return StatsResult(period, sorted(rows.values(), key=lambda k: k.kind))


