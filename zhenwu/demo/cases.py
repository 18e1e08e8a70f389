"""The demo hall's last eight months of 办件, up to the moment of the run: 20,000 applications per town at
scale 1, items in a township's proportions (``demand``), ~97% decided on time.

Everything is drawn from ``random.Random("zhenwu-demo/<seed>/cases-<town>")``. The cases go through the
kernel's ``cases_bulk_write`` (numbers ``SQ-<town>-<yyyymmdd>-<seq>`` with their per-day counters, the
deadline moved by the kernel's own clock, hand-overs, and every case's audit chain as ``transition()``
writes it, so ``zhenwu audit verify`` holds); applications and ratings follow with the same fast bulk
insert. Nothing happens after the moment of the run (``now``): a case whose next step would come later is
still in progress, and its light is computed against ``now``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenwu.accounts.models import User
from zhenwu.casework.models import AuditEntry, Case, CaseAttachment, CaseCounter, CasePause
from zhenwu.casework.services import CaseDraft, StepDraft, audit_maintenance, cases_bulk_write
from zhenwu.casework.supervision import case_stats_rebuild
from zhenwu.casework.workcal import WorkCalendar, calendar_current
from zhenwu.demo import bulk, demand, identity, names
from zhenwu.services.models import (
    Application,
    Rating,
    RectificationTask,
    ServiceItemVersion,
    SupervisionTask,
)
from zhenwu.services.process import KIND, handling_states, process_key
from zhenwu.services.stats import stats_rebuild, stats_wipe
from zhenwu.services.task_process import RECTIFY_KIND

MONTHS = 8  # this month and the seven before it
FULL_COUNT = 20_000
LATE_SHARE = 0.06  # of cases with a time limit, decided 1–8 working days late: ~98% on time overall
BATCH = 2000
RATING_WEIGHTS = ((5, 80), (4, 12), (3, 5), (2, 2), (1, 1))
RATING_CHANNELS = {"window": "window", "online": "online", "proxy": "proxy", "kiosk": "kiosk"}


@dataclass
class Staff:
    """Who acts in the generated cases (the town's demo logins)."""

    clerk: User
    reviewer: User | None
    leader: User | None
    village: User | None


@dataclass
class Draft:
    """One generated application before it is written: the case with its history, the application, and
    the state the history has reached so far."""

    case: CaseDraft
    app: Application
    status: str
    rating: tuple[int, dt.datetime] | None = None

    @property
    def last_at(self) -> dt.datetime:
        return self.case.steps[-1].at if self.case.steps else self.case.created_at


def _local(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


class Generator:
    """Draws the applications of one town, day by day, deterministically from the seed."""

    def __init__(self, *, town_code: str, seed: int, staff: Staff, versions: list[ServiceItemVersion],
                 now: dt.datetime, seat_village: str) -> None:
        self.rng = random.Random(f"zhenwu-demo/{seed}/cases-{town_code}")
        self.town, self.staff, self.now, self.seat = town_code, staff, now, seat_village
        self.cal: WorkCalendar = calendar_current()
        self.versions = versions
        self.cum_weights = list(itertools.accumulate(demand.weight(v.item.name) for v in versions))
        self.first, self.today = window(now)

    def days(self, count: int) -> Iterator[tuple[dt.date, int]]:
        """(day, how many filed that day): working days carry the hall, weekends a trickle online; today
        has at least one, so every default view (this month, today's queue) has data."""
        span = [self.first + dt.timedelta(days=i) for i in range((self.today - self.first).days + 1)]
        weights = [1.0 if self.cal.is_workday(d) else 0.06 for d in span]
        per_day = Counter(self.rng.choices(range(len(span)), weights=weights, k=count - 1))
        per_day[len(span) - 1] += 1
        for i, day in enumerate(span):
            if per_day[i]:
                yield day, per_day[i]

    def _filed_at(self, day: dt.date) -> dt.datetime:
        filed = _local(day, self.rng.randint(8 * 60 + 30, 17 * 60))
        if filed < self.now:
            return filed
        return max(_local(day, 0), self.now - dt.timedelta(minutes=self.rng.randint(1, 120)))

    def draft(self, day: dt.date) -> Draft:
        version = self.rng.choices(self.versions, cum_weights=self.cum_weights)[0]
        channel = self._channel(version, day)
        filed = self._filed_at(day)
        pre = channel in ("online", "kiosk")
        filer = {"window": self.staff.clerk, "proxy": self.staff.village}.get(channel)
        area = self.seat if channel == "proxy" else self.town
        case = CaseDraft(kind=KIND, process=process_key(version.item.code, version.number, channel),
                         area_code=area, town_code=self.town, title=version.name, actor=filer, created_at=filed)
        app = Application(item_version=version, channel=channel, filed_by=filer, created_at=filed,
                          materials=[{"name": m["name"], "required": m["required"], "provided": True,
                                      "attachments": []} for m in version.materials],
                          **self._applicant(version, channel))
        if channel == "proxy":
            app.consent_by, app.consent_method, app.consent_at = app.applicant_name, "书面委托签字", filed
        draft = Draft(case, app, "precheck" if pre else "submitted")
        self._history(draft, version, pre)
        return draft

    def _channel(self, version: ServiceItemVersion, day: dt.date) -> str:
        if not self.cal.is_workday(day) and version.online:
            return "online"
        options = [("window", 50)] + ([("online", 28), ("kiosk", 7)] if version.online else []) + (
            [("proxy", 15)] if version.proxy and self.staff.village else [])
        return self.rng.choices([c for c, _w in options], weights=[w for _c, w in options])[0]

    def _applicant(self, version: ServiceItemVersion, channel: str) -> dict[str, Any]:
        mobile = "1" + self.rng.choice("35789") + "".join(self.rng.choices("0123456789", k=9))
        firm = version.applicant == "enterprise" or (version.applicant == "both" and self.rng.random() < 0.2)
        if firm:
            return {"applicant_kind": "enterprise", "applicant_name": names.firm_name(self.rng, "丹湖"),
                    "applicant_uscc": identity.credit_code(self.rng, region=names.COUNTY_CODE,
                                                            kind=self.rng.choice(("91", "92"))),
                    "applicant_mobile": mobile}
        return {"applicant_kind": "person", "applicant_name": names.person_name(self.rng),
                "applicant_id_number": identity.id_number(self.rng, region=names.COUNTY_CODE, born_from=1989,
                                                          born_to=2007),
                "applicant_mobile": mobile}

    # ------------------------------------------------------------ what happened to it

    def _at(self, start: dt.datetime, workdays: int) -> dt.datetime:
        day = self.cal.add(timezone.localtime(start).date(), workdays) if workdays else timezone.localtime(start).date()
        moment = _local(day, self.rng.randint(9 * 60, 17 * 60))
        return max(moment, start + dt.timedelta(minutes=5))

    def _history(self, d: Draft, version: ServiceItemVersion, pre: bool) -> None:
        filed, fate = d.case.created_at, self.rng.random()
        clerk = self.staff.clerk
        if fate < 0.02:
            self._step(d, "reject", "rejected", self._at(filed, 1) if pre else filed + dt.timedelta(minutes=20), clerk)
        elif pre and not self._step(d, "precheck_pass", "submitted", self._at(filed, self.rng.randint(0, 1)), clerk):
            return  # still in 预审
        elif fate < 0.035:
            self._step(d, "withdraw", "withdrawn", self._at(d.last_at, 1), clerk)
        else:
            self._accept(d, version)

    def _accept(self, d: Draft, version: ServiceItemVersion) -> None:
        accepted = d.last_at + dt.timedelta(minutes=self.rng.randint(5, 90))
        handling = handling_states(version.chain, version.promised_limit_days)
        if not self._step(d, "accept", handling[0] if handling else "finished", accepted, self.staff.clerk):
            return None  # 待受理 now
        d.app.first_contact = self.staff.clerk
        if not handling:  # 即办件: finished on the spot
            return self._decide(d, accepted, approve=True)
        self._walk(d, handling, accepted, self._days_used(version.promised_limit_days))
        return None

    def _days_used(self, promised: int) -> int:
        if self.rng.random() < LATE_SHARE:
            return promised + self.rng.randint(1, 8)
        return self.rng.randint(max(0, promised // 3), promised)

    def _walk(self, d: Draft, handling: list[str], accepted: dt.datetime, used: int) -> None:
        """Forward along the chain, then decide; a case stops where ``now`` finds it (still in progress)."""
        decided = self._at(accepted, used)
        moments = sorted(accepted + (decided - accepted) * self.rng.random() for _ in handling[1:])
        for state, at in zip(handling[1:], moments, strict=True):
            actor = self.staff.leader if state == "approval" else self.staff.reviewer
            opinion = {"opinion": "同意", "approve": True}  # as the review step records it
            if not self._step(d, f"forward_{d.status}", state, at, actor, reason="同意", fields=opinion):
                break
        if decided > self.now:
            return  # still in progress: the kernel lights it against ``now``
        self._decide(d, decided, approve=self.rng.random() > 0.04)

    def _decide(self, d: Draft, at: dt.datetime, *, approve: bool) -> None:
        app = d.app
        reason = "" if approve else "申请材料不符合法定条件"
        if d.status != "finished":
            self._step(d, "approve" if approve else "deny", "finished" if approve else "denied", at,
                       self.staff.leader or self.staff.clerk, reason=reason,
                       fields={"opinion": reason, "approve": approve})
        last = d.case.steps[-1]
        assert isinstance(last, StepDraft)  # the hall writes no notes
        last.handler = self.staff.clerk  # 综窗出件: the window hands out the result (a hand-over)
        app.result, app.decided_at = ("approved" if approve else "denied"), at
        if not approve:
            app.result_reason = reason
        if self.rng.random() < 0.92:
            delivered = at + dt.timedelta(hours=self.rng.randint(1, 72))
            if delivered < self.now:
                self._deliver(d, delivered)
        if self.rng.random() < 0.75:
            level = self.rng.choices([lv for lv, _w in RATING_WEIGHTS], weights=[w for _l, w in RATING_WEIGHTS])[0]
            rated = at + dt.timedelta(hours=self.rng.randint(1, 48))
            if rated <= self.now:
                d.rating = (level, rated)

    def _deliver(self, d: Draft, at: dt.datetime) -> None:
        app = d.app
        modes = [m for m in ("window", "express", "electronic") if m in app.item_version.delivery] or ["window"]
        app.delivery_mode, app.delivered_at = self.rng.choice(modes), at
        if app.delivery_mode == "express":
            app.tracking_number = f"SF{self.rng.randint(10**11, 10**12 - 1)}"
        elif app.delivery_mode == "window":
            app.pickup_signature = app.applicant_name
        self._step(d, "deliver", "delivered", at, self.staff.clerk)

    def _step(self, d: Draft, action: str, to_state: str, at: dt.datetime, actor: User | None, reason: str = "",
              fields: dict[str, Any] | None = None) -> bool:
        """Record the step if it has happened by ``now``; False (nothing recorded) if it lies ahead."""
        if at > self.now:
            return False
        d.case.steps.append(StepDraft(action, at, actor, reason=reason, fields=fields))
        d.status = to_state
        return True


# ---------------------------------------------------------------- writing


def _write(drafts: list[Draft], now: dt.datetime) -> None:
    cases = cases_bulk_write([d.case for d in drafts], now=now)  # numbers, counters, clock, audit chains
    for d, case in zip(drafts, cases, strict=True):
        d.app.case = case
    with bulk.explicit_timestamps((Application, "created_at"), (Rating, "created_at")):
        bulk.insert(Application, [d.app for d in drafts])
        bulk.insert(Rating, [Rating(application=d.app, level=d.rating[0], created_at=d.rating[1],
                                    channel=RATING_CHANNELS[d.app.channel]) for d in drafts if d.rating])


def _staff(town_code: str) -> Staff:
    def first(role: str) -> User | None:
        return (User.objects.filter(role_assignments__role=role, scope_area__code__startswith=town_code,
                                    is_active=True).order_by("scope_area__code", "pk").first())

    clerk = first("window_clerk")
    if clerk is None:
        raise LookupError(f"town {town_code} has no window clerk")
    return Staff(clerk, first("reviewer"), first("leader"), first("village_staff"))


def window(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last day of the generated filings: the first of the month ``MONTHS − 1`` months
    before ``now``'s, and ``now``'s own day."""
    today = timezone.localdate(now)
    month = today.year * 12 + today.month - 1 - (MONTHS - 1)
    return dt.date(month // 12, month % 12 + 1, 1), today


def cases_exist(town_code: str, now: dt.datetime) -> bool:
    first, last = window(now)
    start = _local(first, 0)
    end = _local(last + dt.timedelta(days=1), 0)
    return Case.objects.filter(kind=KIND, town_code=town_code, created_at__gte=start, created_at__lt=end).exists()


@transaction.atomic
def cases_generate(*, town_code: str, seed: int, count: int, now: dt.datetime | None = None,
                   progress: Callable[[int], None] | None = None) -> int:
    """Write ``count`` applications of 2026-03 … 2026-10 for the town (catalogue loaded first);
    returns how many were written (0 when the town already has cases in that period: kept)."""
    from zhenwu.services.services import catalogue_load

    catalogue_load()
    now = now or timezone.now()
    if cases_exist(town_code, now):
        return 0
    staff = _staff(town_code)
    versions = list(ServiceItemVersion.objects.filter(item__active=True, item__current_version_id=models.F("pk"))
                    .select_related("item").order_by("item__code"))
    seat = staff.village.scope_code if staff.village and staff.village.scope_code else town_code
    gen = Generator(town_code=town_code, seed=seed, staff=staff, versions=versions, now=now,
                    seat_village=seat)
    batch: list[Draft] = []
    written = 0
    for day, n in gen.days(count):
        batch += [gen.draft(day) for _i in range(n)]
        if len(batch) >= BATCH * 2:
            _write(batch, now)
            written += len(batch)
            batch = []
            if progress:
                progress(written)
    _write(batch, now)
    _rectifications(town_code, now)
    stats_rebuild(town_prefix=town_code)  # bulk rows bypass the services that keep the summary
    case_stats_rebuild()  # and the kernel's daily summary of every kind
    return written + len(batch)


RECTIFY_RECENT_DAYS = 30  # the bad ratings whose 差评整改 is still open in the demo


def _rectifications(town_code: str, now: dt.datetime) -> int:
    """The bad ratings (不满意, 非常不满意) of the last ``RECTIFY_RECENT_DAYS`` open their 差评整改 tasks, as a
    rating made through the services does (older complaints would be dealt with by now)."""
    from zhenwu.services.services.feedback import rectification_open
    from zhenwu.services.services.ratings import BAD_LEVELS

    bad = (Rating.objects.filter(application__case__town_code=town_code, level__in=BAD_LEVELS,
                                 created_at__gte=now - dt.timedelta(days=RECTIFY_RECENT_DAYS))
           .select_related("application__case").order_by("created_at", "pk"))
    opened = 0
    for rating in bad:
        rectification_open(rating)
        opened += 1
    return opened


def cases_wipe(area_prefix: str) -> int:
    """Delete every 一窗受理 case under ``area_prefix`` with its applications, ratings, tasks, reminders,
    pauses, audit chains and counters (the demo reset; the kernel keeps cases otherwise)."""
    cases = Case.objects.filter(kind=KIND, town_code__startswith=area_prefix[:9])
    apps = Application.objects.filter(case__in=cases)
    stats_wipe(town_prefix=area_prefix[:9])
    task_cases = list(RectificationTask.objects.filter(application__in=apps).values_list("case_id", flat=True))
    for model in (RectificationTask, SupervisionTask, Rating):  # reminders go with their cases (CASCADE)
        model.objects.filter(application__in=apps).delete()  # type: ignore[attr-defined]
    cases = cases | Case.objects.filter(pk__in=task_cases)  # the 差评整改 tasks' own cases (kind ZG)
    apps.delete()
    with audit_maintenance(reason="the demo reset deletes the demo's own chains"):  # lifts the PG trigger
        AuditEntry.objects.filter(case__in=cases).delete()
    CasePause.objects.filter(case__in=cases).delete()
    CaseAttachment.objects.filter(case__in=cases).delete()
    count = cases.delete()[0]
    CaseCounter.objects.filter(kind__in=[KIND, RECTIFY_KIND], town_code__startswith=area_prefix[:9]).delete()
    return count


def cases_build(*, town_code: str, seed: int, scale: float, progress: Callable[..., None]) -> int:
    """The demo step: FULL_COUNT × scale applications for the town up to now, or keep the ones already there."""
    now = timezone.now()
    written = cases_generate(town_code=town_code, seed=seed, count=max(1, round(FULL_COUNT * scale)), now=now)
    if written:
        first, last = window(now)
        progress(_("Town %(code)s: %(cases)d service applications filed from %(first)s to %(last)s written "
                   "(%(seconds).1f s)"), code=town_code, cases=written, first=first, last=last)
    else:
        progress(_("Town %(code)s: service applications already there, kept (%(seconds).1f s)"), code=town_code)
    return written
