"""电子监察: running cases with their lights, overdue and at-risk lists, statistics by item,
department and channel, the ledger export, and the automatic 催办 step of the kernel's tick.

Statistics are three aggregate queries grouped by (item version, channel) over the period's
applications in the user's area prefix; item, department and channel totals are sums of those few
rows, so the database does the heavy work once whatever the grouping. Working days used are
``promised + rank(decided day) − rank(due day)`` (the due day already carries every pause's
extension), so only per-day counts are read and ranked with the working-day calendar.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_name, mask_uscc
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict, scope_prefix
from zhenwu.casework.choices import Light
from zhenwu.casework.models import Case, CaseUrge
from zhenwu.casework.services import notification_enqueue
from zhenwu.casework.workcal import calendar_current
from zhenwu.errors import FieldError, Forbidden
from zhenwu.errors import gettext as _
from zhenwu.services import lights
from zhenwu.services.choices import ApplicationChannel, RatingLevel, Status
from zhenwu.services.lights import IN_PROGRESS, light_q, live_light
from zhenwu.services.models import Application, ServiceItemVersion
from zhenwu.services.policy import SUPERVISION_ROLES
from zhenwu.services.stats import summary_by_version
from zhenwu.sheets import safe_row

GROUPS = ("item", "department", "channel")
LEVELS = tuple(int(v) for v in sorted(RatingLevel.values, reverse=True))
MAX_PERIOD_DAYS = 3660
LIGHT_LABELS = {k: v for k, v in Light.choices if k}


# ---------------------------------------------------------------- scope and input

def supervision_scope(*, user: User) -> str:
    """The area prefix a supervisor, leader or admin oversees; anyone else is refused (403)."""
    scope = scope_prefix(user)
    if scope is None or not user.has_role(*SUPERVISION_ROLES):
        raise Forbidden(_("Only supervisors, leaders and administrators may use the supervision pages."))
    return scope


def supervised(*, user: User) -> QuerySet[Application]:
    supervision_scope(user=user)  # 403 for anyone the supervision pages do not serve
    return restrict(Application.objects.all(), user, field="case__area_code")


@dataclass(frozen=True)
class Period:
    """An inclusive range of local dates (filing date of the application)."""

    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_current_timezone()
        return (dt.datetime.combine(self.start, dt.time(), tz),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tz))


def _parse_date(name: str, raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise FieldError(name, _("Enter a valid date (YYYY-MM-DD).")) from None


def latest_filing_day(*, user: User) -> dt.date | None:
    """The local day of the latest application filed in the user's scope (None when there is none)."""
    moment = supervised(user=user).order_by("-created_at").values_list("created_at", flat=True).first()
    return timezone.localdate(moment) if moment else None


def period_clean(*, date_from: str = "", date_to: str = "", today: dt.date | None = None,
                 latest: dt.date | None = None) -> Period:
    """The period asked for; empty values default to this month, or to the month of ``latest`` (the last
    filing day) when nothing was filed since. Bad dates → FieldError ``from``/``to``."""
    today = today or timezone.localdate()
    if latest is not None and not date_from and not date_to and latest < today.replace(day=1):
        today = latest
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    start = _parse_date("from", date_from) if date_from else first
    end = _parse_date("to", date_to) if date_to else last
    if end < start:
        raise FieldError("to", _("The end date must not be before the start date."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise FieldError("to", _("The period may be at most ten years long."))
    return Period(start, end)


def group_clean(group: str) -> str:
    group = group or "item"
    if group not in GROUPS:
        raise FieldError("group", _("Choose one of the allowed values."))
    return group


# ---------------------------------------------------------------- running, overdue, at risk

def running_list(*, user: User) -> QuerySet[Application]:
    """Every application in progress in scope (``lights.IN_PROGRESS``), the most urgent first."""
    return (supervised(user=user).filter(case__status__in=IN_PROGRESS)
            .select_related("case__handler", "item_version", "first_contact")
            .order_by(F("case__deadline_due_at").asc(nulls_last=True), "pk"))


def overdue_list(*, user: User, now: dt.datetime | None = None) -> QuerySet[Application]:
    """Applications in progress whose light is red now (past their due time)."""
    return running_list(user=user).filter(light_q(Light.RED, now=now))


def at_risk_list(*, user: User, now: dt.datetime | None = None) -> QuerySet[Application]:
    """Applications in progress whose light is yellow now (close to their due time)."""
    return running_list(user=user).filter(light_q(Light.YELLOW, now=now))


def light_counts(*, user: User, now: dt.datetime | None = None) -> dict[str, int]:
    """Applications in progress per light now, and those without a live deadline (``none``)."""
    return lights.light_counts(supervised(user=user), now=now)


# ---------------------------------------------------------------- statistics

@dataclass
class StatRow:
    """One line of the statistics: cases filed in the period and how they were handled."""

    key: str
    label: str
    cases: int = 0
    finished: int = 0
    on_time: int = 0
    promised_days: int = 0
    used_days: int = 0
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    def add(self, other: StatRow) -> None:
        for name in ("cases", "finished", "on_time", "promised_days", "used_days"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for level, n in other.ratings.items():
            self.ratings[level] += n

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.finished, 4) if self.finished else None

    @property
    def avg_used_days(self) -> float | None:
        return round(self.used_days / self.finished, 2) if self.finished else None

    @property
    def avg_promised_days(self) -> float | None:
        return round(self.promised_days / self.finished, 2) if self.finished else None

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "cases": self.cases, "finished": self.finished,
                "on_time": self.on_time, "on_time_rate": self.on_time_rate, "avg_used_days": self.avg_used_days,
                "avg_promised_days": self.avg_promised_days, "rated": self.rated,
                "ratings": {str(k): v for k, v in self.ratings.items()}}


Key = tuple[int, str]  # (item version id, channel)


def _filed(user: User, period: Period) -> QuerySet[Application]:
    start, end = period.bounds()
    return supervised(user=user).filter(created_at__gte=start, created_at__lt=end).order_by()


def _base_counts(qs: QuerySet[Application]) -> dict[Key, StatRow]:
    decided = Q(decided_at__isnull=False)
    on_time = decided & (Q(case__deadline_due_at__isnull=True) | Q(decided_at__lte=F("case__deadline_due_at")))
    ratings = {f"r{level}": Count("pk", filter=Q(rating__level=level)) for level in LEVELS}
    rows = qs.values("item_version_id", "channel").annotate(
        cases=Count("pk"), finished=Count("pk", filter=decided), on_time=Count("pk", filter=on_time), **ratings)
    result: dict[Key, StatRow] = {}
    for values in rows.iterator():
        r: dict[str, Any] = dict(values)  # plain dict: the rating keys are built at run time
        row = StatRow("", "", cases=r["cases"], finished=r["finished"], on_time=r["on_time"],
                      ratings={level: r[f"r{level}"] for level in LEVELS})
        result[(r["item_version_id"], r["channel"])] = row
    return result


def _rank_sums(qs: QuerySet[Application], column: str) -> dict[Key, int]:
    """Σ rank(local day of ``column``) per key, over decided cases with a deadline."""
    cal = calendar_current()
    rows = (qs.filter(decided_at__isnull=False, case__deadline_due_at__isnull=False)
            .values("item_version_id", "channel", day=TruncDate(column)).annotate(n=Count("pk")))
    sums: dict[Key, int] = defaultdict(int)
    for r in rows:
        sums[(r["item_version_id"], r["channel"])] += cal.rank(r["day"].toordinal()) * r["n"]
    return sums


def _from_summary(scope: str, period: Period) -> dict[Key, StatRow]:
    """The same figures as the live queries, read from the daily summary rows (stats.py)."""
    result: dict[Key, StatRow] = {}
    for r in summary_by_version(town_prefix=scope, start=period.start, end=period.end):
        result[(r["item_version_id"], r["channel"])] = StatRow(
            "", "", cases=r["s_cases"], finished=r["s_finished"], on_time=r["s_on_time"],
            promised_days=r["s_promised_days"], used_days=max(0, r["s_used_raw"]),
            ratings={level: r[f"s_r{level}"] for level in LEVELS})
    return result


def _by_version(user: User, period: Period) -> dict[Key, StatRow]:
    scope = supervision_scope(user=user)
    if len(scope) <= len("321181102"):  # a town or wider: the summary is kept per town
        return _from_summary(scope, period)
    return _live_by_version(user, period)


def _live_by_version(user: User, period: Period) -> dict[Key, StatRow]:
    """Grouping the applications themselves: for scopes narrower than a town (the summary is per town)."""
    qs = _filed(user, period)
    rows = _base_counts(qs)
    if not rows:
        return rows
    decided_ranks, due_ranks = _rank_sums(qs, "decided_at"), _rank_sums(qs, "case__deadline_due_at")
    promised = dict(ServiceItemVersion.objects.filter(pk__in={k[0] for k in rows})
                    .values_list("pk", "promised_limit_days"))
    for key, row in rows.items():
        row.promised_days = promised[key[0]] * row.finished
        # Only cases with a deadline have ranks; 即办件 (promised 0) used 0 days.
        with_deadline = promised[key[0]] * row.finished if promised[key[0]] else 0
        row.used_days = max(0, with_deadline + decided_ranks.get(key, 0) - due_ranks.get(key, 0))
    return rows


def _labels(group: str, version_ids: set[int]) -> dict[int, tuple[str, str]]:
    versions = ServiceItemVersion.objects.filter(pk__in=version_ids).select_related("item")
    if group == "item":
        return {v.pk: (v.item.code, v.item.name) for v in versions}
    return {v.pk: (v.department, v.department) for v in versions}


def supervision_stats(*, user: User, period: Period, group: str = "item") -> list[StatRow]:
    """Statistics of the applications filed in ``period`` in the user's scope, by item, department or channel."""
    group = group_clean(group)
    rows = _by_version(user, period)
    labels = _labels(group, {k[0] for k in rows}) if group != "channel" else {}
    channel_labels = dict(ApplicationChannel.choices)
    totals: dict[str, StatRow] = {}
    for (version_id, channel), row in rows.items():
        if group != "channel" and version_id not in labels:
            continue  # a summary row whose item version was deleted by hand: nothing left to name it by
        key, label = labels[version_id] if group != "channel" else (channel, str(channel_labels.get(channel, channel)))
        totals.setdefault(key, StatRow(key, label)).add(row)
    return sorted(totals.values(), key=lambda r: (-r.cases, r.key))


def stats_total(rows: list[StatRow]) -> StatRow:
    total = StatRow("", _("Total"))
    for row in rows:
        total.add(row)
    return total


# ---------------------------------------------------------------- ledger export

LEDGER_COLUMNS = (
    gettext_lazy("Case number"), gettext_lazy("Item"), gettext_lazy("Department"), gettext_lazy("Channel"),
    gettext_lazy("Applicant"), gettext_lazy("ID number / USCC"), gettext_lazy("Mobile"), gettext_lazy("Status"),
    gettext_lazy("Filed at"), gettext_lazy("Accepted at"), gettext_lazy("Due at"), gettext_lazy("Decided at"),
    gettext_lazy("On time"), gettext_lazy("Light"), gettext_lazy("Rating"))


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _ledger_row(app: Application, statuses: dict[str, str], channels: dict[str, str]) -> list[Any]:
    case = app.case
    identity = mask_id_number(app.applicant_id_number) if app.applicant_id_number else mask_uscc(app.applicant_uscc)
    on_time = ""
    if app.decided_at:
        on_time = _("yes") if case.deadline_due_at is None or app.decided_at <= case.deadline_due_at else _("no")
    rating = getattr(app, "rating", None)
    return [case.number, app.item_version.name, app.item_version.department, channels.get(app.channel, app.channel),
            mask_name(app.applicant_name), identity, mask_mobile(app.applicant_mobile),
            statuses.get(case.status, case.status), _local(app.created_at), _local(case.deadline_started_at),
            _local(case.deadline_due_at), _local(app.decided_at), on_time, str(LIGHT_LABELS.get(live_light(case), "")),
            rating.get_level_display() if rating else ""]


def ledger_xlsx(*, user: User, period: Period) -> bytes:
    """台账: every application filed in the period in scope, applicant data masked, as xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Ledger"))
    sheet.append([str(c) for c in LEDGER_COLUMNS])
    statuses, channels = {k: str(v) for k, v in Status.choices}, {k: str(v) for k, v in ApplicationChannel.choices}
    qs = _filed(user, period).select_related("case", "item_version", "rating").order_by("created_at", "pk")
    for app in qs.iterator(chunk_size=2000):
        sheet.append(safe_row(sheet, _ledger_row(app, statuses, channels)))  # strings as text, never formulas
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- 催办

def _urge_text(app: Application, level: str) -> str:
    params = {"number": app.case.number, "item": app.item_version.name,
              "due": _local(app.case.deadline_due_at)}
    if level == Light.RED:
        return _("Reminder: case %(number)s (%(item)s) is overdue since %(due)s; please finish it now.") % params
    return _("Reminder: case %(number)s (%(item)s) is due at %(due)s; please finish it in time.") % params


def urge_recipient(case: Case) -> User | None:
    """Who a reminder of a hall case goes to (also for 催办 by hand): the handler, else the accepting clerk."""
    app = Application.objects.filter(case=case).select_related("case__handler", "first_contact").first()
    return (app.handler or app.first_contact) if app is not None else None


def _urge_one(app: Application, level: str, now: dt.datetime) -> bool:
    recipient = app.handler or app.first_contact
    try:
        with transaction.atomic():
            CaseUrge.objects.create(case=app.case, level=level, recipient=recipient, sent_at=now)
            if recipient is not None and recipient.mobile:
                notification_enqueue(channel="sms", recipient=recipient.mobile, body=_urge_text(app, level),
                                     payload={"case": app.case.number, "urge": level})
    except IntegrityError:
        return False  # another tick recorded this level first
    return True


def supervision_urge(*, now: dt.datetime | None = None) -> int:
    """催办 (run by the kernel's tick after the lights are refreshed): one SMS to the handler, else the
    accepting clerk, when a running case is yellow and one when it is red
    (``SERVICES_URGE_YELLOW`` / ``SERVICES_URGE_RED``); each level is recorded once per case in the
    kernel's ``CaseUrge`` (the hall tells the kernel's own step to leave its cases to this one)."""
    now = now or timezone.now()
    sent = 0
    for level, enabled in ((Light.YELLOW, settings.SERVICES_URGE_YELLOW), (Light.RED, settings.SERVICES_URGE_RED)):
        if not enabled:
            continue
        due = (Application.objects.filter(light_q(level, now=now))
               .exclude(case__urges__level=level)
               .select_related("case__handler", "item_version", "first_contact"))
        sent += sum(_urge_one(app, level, now) for app in due.iterator(chunk_size=500))
    return sent
