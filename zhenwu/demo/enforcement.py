"""The demo town's year of 一队执法: the squad and its officers with certificates, and about 100 penalty cases
at scale 1 (three in four by the summary procedure, the rest general, a few after a hearing), up to the
moment of the run.

Officers: the ``officer`` login and five squad members (``zf<town>-<n>``), one of them with a certificate that
ran out last month and one whose certificate ends in three weeks (the officers' page marks both); the ``legal``
login holds a certificate too (legal reviewers are certified officers; the guard keeps them from reviewing a
case they investigated). Cases go through the kernel's ``cases_bulk_write`` with the steps, fields and actors
the services write, so ``zhenwu audit verify`` holds; their ``PenaltyCase`` rows follow. Parties are the
town's residents and enterprises from the registry. Nothing happens after ``now``: a general case opened
recently is still running, with its 90-day clock computed against ``now``. Everything is drawn from
``random.Random("zhenwu-demo/<seed>/enforcement-<town>")``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import Department, User
from zhenwu.areas.choices import GRID_LEVELS
from zhenwu.areas.models import Area
from zhenwu.casework.models import AuditEntry, Case, CaseAttachment, CaseCounter, CaseHandoff, CasePause
from zhenwu.casework.services import CaseDraft, NoteDraft, StepDraft, audit_maintenance, cases_bulk_write
from zhenwu.casework.workcal import calendar_current
from zhenwu.demo import people
from zhenwu.demo.inspections import on_day
from zhenwu.demo.tree import TownPlan
from zhenwu.enforcement import process as zp
from zhenwu.enforcement.choices import CaseSource, Parties, PenaltyKind, Procedure
from zhenwu.enforcement.guards import add_working_days
from zhenwu.enforcement.models import DiscretionBand, Officer, PenaltyCase, PenaltyPower, Squad
from zhenwu.enforcement.services.publicity import publication_publish, publication_schedule
from zhenwu.registry.models import Enterprise, Resident

FULL_CASES = 100
GENERAL_SHARE = 0.25
HEARING_SHARE = 0.2  # of the general cases
SQUAD_MEMBERS = 5
SOURCES = [CaseSource.PATROL] * 6 + [CaseSource.COMPLAINT] * 2 + [CaseSource.HOTLINE] * 2 + [
    CaseSource.GRID_INCIDENT, CaseSource.TRANSFER]
# Powers a town squad uses most: urban management first, then market, safety, ecology, housing.
DEPARTMENT_WEIGHTS = {"urban": 8, "market": 3, "safety": 2, "ecology": 2, "housing": 2, "culture": 1, "health": 1}
FACTS = {
    "urban": ("在{place}占道经营，经劝导后仍未改正", "在{place}乱堆乱放杂物，影响通行", "在{place}擅自设置户外广告"),
    "market": ("在{place}销售过期食品", "在{place}经营场所未公示营业执照"),
    "safety": ("{place}生产场所未按规定设置安全警示标志", "{place}未按规定开展安全生产培训"),
    "ecology": ("在{place}露天焚烧垃圾", "{place}餐饮油烟未经处理直接排放"),
    "housing": ("在{place}未取得施工许可擅自施工", "{place}建筑工地未采取扬尘防治措施"),
    "culture": ("{place}经营场所超时营业",), "health": ("{place}公共场所未按规定公示卫生许可证",),
}
PLACES = ("东街菜市场门口", "人民路与建设路交叉口", "镇中心小学门前", "工业园区三号路", "老街石桥旁", "汽车站广场",
          "滨河路步行道", "农贸市场东侧")


def _local(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


@dataclass
class Staff:
    officers: list[Officer]  # certified and valid all year, the ``officer`` login first
    legal: User
    leader: User


@dataclass
class Draft:
    case: CaseDraft
    row: PenaltyCase
    investigators: list[Officer] = field(default_factory=list)


# ---------------------------------------------------------------- officers


def officers_build(plan: TownPlan, writer: people.AccountWriter, now: dt.datetime) -> Staff:
    """The squad over the town with its members' certificates (kept when they are already there)."""
    town = Area.objects.get(code=plan.code)
    prefix = people.username_prefix(plan)
    department = Department.objects.filter(area=town, name=people.ENFORCEMENT_SQUAD).first()
    squad, _created = Squad.objects.update_or_create(name=f"{plan.name}综合执法中队",
                                                     defaults={"area": town, "department": department})
    squad.grids.set(Area.objects.filter(code__startswith=plan.code, level__in=GRID_LEVELS[:1]))
    today = timezone.localdate(now)
    users = [User.objects.get(username=f"{prefix}officer")]
    for n in range(1, SQUAD_MEMBERS + 1):
        users.append(writer.staff(f"zf{plan.code}-{n}", ordinal=70_000 + n, roles=[Role.ENFORCEMENT_OFFICER],
                                  scope=town, department=department or writer.departments[people.ENFORCEMENT_SQUAD]))
    legal = User.objects.get(username=f"{prefix}legal")
    officers = []
    for i, user in enumerate([*users, legal]):
        until = dt.date(today.year + 3, 12, 31)
        if i == SQUAD_MEMBERS - 1:
            until = today - dt.timedelta(days=20)  # lapsed: marked on the officers' page, cannot act
        elif i == SQUAD_MEMBERS:
            until = today + dt.timedelta(days=21)  # ends soon: marked
        officer, _c = Officer.objects.update_or_create(user=user, defaults={
            "certificate_number": f"3211{plan.number:03d}{i + 1:05d}",
            "certificate_valid_from": dt.date(today.year - 3, 1, 1), "certificate_valid_until": until,
            "squad": squad, "area_code": town.code})
        officers.append(officer)
    leader = (User.objects.filter(role_assignments__role=Role.LEADER, scope_area__code__startswith=plan.code)
              .order_by("pk").first() or users[0])
    valid = [o for o in officers[:-1] if o.certificate_valid_until > today + dt.timedelta(days=60)]
    return Staff(officers=valid, legal=legal, leader=leader)


# ---------------------------------------------------------------- cases


@dataclass
class Generator:
    plan: TownPlan
    rng: random.Random
    staff: Staff
    now: dt.datetime
    grids: list[str]
    residents: list[tuple[str, str, Any]]
    enterprises: list[tuple[str, str, Any]]
    bands: dict[str, list[DiscretionBand]]  # department → bands of its powers (with their version)

    def moment(self, day: dt.date) -> dt.datetime:
        return _local(day, self.rng.randint(8 * 60 + 30, 17 * 60))

    def later(self, at: dt.datetime, days: int, spread: int = 0) -> dt.datetime:
        return at + dt.timedelta(days=days + self.rng.randint(0, spread), minutes=self.rng.randint(20, 300))

    def party(self, organisation: bool) -> tuple[str, str, str, Any, Any]:
        """(name, id number, uscc, resident, enterprise)."""
        if organisation and self.enterprises:
            name, uscc, e = self.rng.choice(self.enterprises)
            return name, "", uscc, None, e
        name, number, r = self.rng.choice(self.residents)
        return name, number, "", r, None

    def band(self, *, organisation: bool, limit: Decimal | None = None,
             at_least: Decimal | None = None) -> DiscretionBand | None:
        weights = [(d, w) for d, w in DEPARTMENT_WEIGHTS.items() if self.bands.get(d)]
        for _try in range(40):
            department = self.rng.choices([d for d, _w in weights], [w for _d, w in weights])[0]
            b = self.rng.choice(self.bands[department])
            parties = b.version.parties
            if parties == (Parties.CITIZEN if organisation else Parties.ORGANISATION):
                continue
            if b.fine_min is None or b.fine_max is None:
                continue
            if limit is not None and b.fine_min > limit:
                continue
            if at_least is not None and b.fine_max < at_least:
                continue
            return b
        return None

    def fine_in(self, b: DiscretionBand, limit: Decimal | None = None, at_least: Decimal | None = None) -> Decimal:
        lo = max(b.fine_min or Decimal(0), at_least or Decimal(0), Decimal(20))
        hi = min(b.fine_max or lo, limit) if limit is not None else (b.fine_max or lo)
        hi = max(hi, lo)
        step = Decimal(50) if hi - lo >= 100 else Decimal(10)
        n = int((hi - lo) // step)
        return lo + step * self.rng.randint(0, max(n, 0))

    def facts(self, department: str) -> str:
        return self.rng.choice(FACTS.get(department, FACTS["urban"])).format(place=self.rng.choice(PLACES))

    def base(self, *, procedure: str, b: DiscretionBand, organisation: bool, created: dt.datetime,
             actor: Officer) -> Draft:
        name, number, uscc, resident, enterprise = self.party(organisation)
        v = b.version
        title = f"{v.name} · {name}"
        case = CaseDraft(kind=zp.KIND, process=zp.SUMMARY if procedure == Procedure.SUMMARY else zp.GENERAL,
                         area_code=self.rng.choice(self.grids), title=title, created_at=created, actor=actor.user,
                         town_code=self.plan.code)
        row = PenaltyCase(procedure=procedure, source=self.rng.choice(SOURCES), power_version=v,
                          party_is_organisation=bool(uscc), party_name=name, party_id_number=number, party_uscc=uscc,
                          resident=resident, enterprise=enterprise, facts=self.facts(v.department))
        return Draft(case=case, row=row)

    def summary(self, day: dt.date) -> Draft | None:
        organisation = self.rng.random() < 0.3
        limit = Decimal(settings.ENFORCEMENT_SUMMARY_MAX_ORGANISATION if organisation
                        else settings.ENFORCEMENT_SUMMARY_MAX_CITIZEN)
        b = self.band(organisation=organisation, limit=limit)
        if b is None:
            return None
        officer = self.rng.choice(self.staff.officers)
        created = self.moment(day)
        d = self.base(procedure=Procedure.SUMMARY, b=b, organisation=organisation, created=created, actor=officer)
        r = d.row
        if self.rng.random() < 0.2:
            r.penalty_kind, r.fine = PenaltyKind.WARNING, None
        else:
            r.penalty_kind, r.fine = PenaltyKind.FINE, self.fine_in(b, limit)
            r.cash_on_spot = r.fine <= settings.ENFORCEMENT_CASH_ON_SPOT_MAX and self.rng.random() < 0.5
        r.band, r.decided_on = b.level, day
        r.served_on = day
        if r.cash_on_spot:
            r.paid_on = day
        d.investigators = [officer]
        filed = self.later(created, 0, 1)
        if filed < self.now:
            d.case.steps.append(StepDraft("file", filed, officer.user))
        return d

    def general(self, day: dt.date, hearing: bool) -> Draft | None:
        organisation = self.rng.random() < 0.5
        threshold = Decimal(settings.ENFORCEMENT_HEARING_FINE_ORGANISATION if organisation
                            else settings.ENFORCEMENT_HEARING_FINE_CITIZEN)
        b = self.band(organisation=organisation, at_least=threshold if hearing else None)
        if b is None:
            return None
        pair = self.rng.sample(self.staff.officers, 2)
        created = self.moment(day)
        d = self.base(procedure=Procedure.GENERAL, b=b, organisation=organisation, created=created, actor=pair[0])
        d.investigators = pair
        r = d.row
        fine = self.fine_in(b, at_least=threshold if hearing else None)
        cal = calendar_current()
        steps: list[StepDraft | NoteDraft] = []

        def step(action: str, at: dt.datetime, actor: User, **fields: Any) -> bool:
            if at >= self.now:
                return False
            steps.append(StepDraft(action, at, actor, fields={k: str(v) for k, v in fields.items()}))
            return True

        a, leader, legal = pair[0].user, self.staff.leader, self.staff.legal
        d.case.steps = steps
        at = self.later(created, 1, 2)
        if not step("approve_filing", at, leader, opinion="事实基本清楚，同意立案"):
            return d
        if self.rng.random() < 0.06:  # the investigation finds no violation to punish
            step("drop", self.later(at, 10, 20), leader, reason="经调查违法事实不能成立，撤销立案")
            return d
        at = self.later(at, 12, 25)
        if not step("finish_investigation", at, a, report="经现场检查和询问，违法事实清楚，证据确凿"):
            return d
        at = self.later(at, 1, 3)
        if not step("legal_review", at, legal, opinion="主体适格，事实清楚，适用依据正确，程序合法"):
            return d
        r.legal_reviewer, r.legal_reviewed_at = legal, at
        at = self.later(at, 1, 3)
        if not step("notify", at, a, penalty=PenaltyKind.FINE, fine=fine, band=b.level):
            return d
        noticed = timezone.localdate(at)
        r.noticed_penalty_kind, r.noticed_fine, r.noticed_on = PenaltyKind.FINE, fine, noticed
        r.defence_until = cal.add(noticed, settings.ENFORCEMENT_DEFENCE_WORKING_DAYS)
        r.hearing_right = hearing or fine >= threshold
        r.hearing_request_until = (cal.add(noticed, settings.ENFORCEMENT_HEARING_REQUEST_WORKING_DAYS)
                                   if r.hearing_right else None)
        r.major = hearing
        decided_fine = fine
        if hearing:
            hearing_day = cal.add(noticed, settings.ENFORCEMENT_HEARING_NOTICE_WORKING_DAYS + 2)
            if not step("hold_hearing", self.later(at, 3, 1), a, requested_on=cal.add(noticed, 2).isoformat(),
                        hearing_at=hearing_day.isoformat()):
                return d
            at = _local(hearing_day, 16 * 60)
            if not step("resume", at, leader):
                return d
            r.hearing_held, r.hearing_ended_at = True, at
            at = self.later(at, 1, 2)
            if not step("legal_review_after_hearing", at, legal, opinion="听证后复核，同意拟处罚意见"):
                return d
            r.legal_reviewed_at = at
            decided_fine = max(b.fine_min or fine, (fine * Decimal("0.8")).quantize(Decimal(1)))  # after the defence
        at = max(self.later(at, 2, 3), _local(r.defence_until + dt.timedelta(days=1), 9 * 60))
        defence = "当事人陈述已及时改正" if hearing or self.rng.random() < 0.3 else ""
        if not step("decide", at, leader, penalty=PenaltyKind.FINE, fine=decided_fine, band=b.level,
                    **({"defence": defence} if defence else {})):
            return d
        r.penalty_kind, r.fine, r.band, r.defended = PenaltyKind.FINE, decided_fine, b.level, bool(defence)
        r.decided_on = timezone.localdate(at)
        at = self.later(at, 1, 3)
        if not step("serve", at, a, method="直接送达", served_on=timezone.localdate(at).isoformat()):
            return d
        r.served_on = timezone.localdate(at)
        late = self.rng.random() < 0.1
        at = self.later(at, 20 if late else 3, 8 if late else 10)
        if not step("pay", at, a, paid_on=timezone.localdate(at).isoformat()):
            return d
        from zhenwu.enforcement.services.cases import late_fee

        r.paid_on = timezone.localdate(at)
        r.late_fee = late_fee(fine=decided_fine, served_on=r.served_on, paid_on=r.paid_on)
        step("close", self.later(at, 2, 5), leader, report="当事人已履行处罚决定，案件办结")
        return d


def _numbers(d: Draft, case: Case) -> None:
    r = d.row
    r.case, r.area_code, r.status = case, case.area_code, case.status
    if r.decided_on:
        r.decision_number = f"{case.number}-{'简' if r.procedure == Procedure.SUMMARY else '决'}"


def enforcement_exists(town_code: str) -> bool:
    return Case.objects.filter(kind=zp.KIND, town_code=town_code).exists()


@transaction.atomic
def enforcement_generate(*, plan: TownPlan, writer: people.AccountWriter, seed: int, scale: float,
                         now: dt.datetime | None = None) -> dict[str, int]:
    """The squad, its officers, and a year of penalty cases for the town (nothing when it has some: kept)."""
    now = now or timezone.now()
    staff = officers_build(plan, writer, now)
    if enforcement_exists(plan.code) or len(staff.officers) < 2:
        return {}
    rng = random.Random(f"zhenwu-demo/{seed}/enforcement-{plan.index}")
    grids = list(Area.objects.filter(code__startswith=plan.code, level__in=GRID_LEVELS).values_list("code", flat=True))
    residents = list(Resident.objects.filter(area_code__startswith=plan.code).order_by("pk")
                     .values_list("name", "id_number", "pk")[:400])
    enterprises = list(Enterprise.objects.filter(area_code__startswith=plan.code).order_by("pk")
                       .values_list("name", "uscc", "pk")[:200])
    if not grids or not residents:
        return {}
    bands: dict[str, list[DiscretionBand]] = {}
    current = PenaltyPower.objects.filter(active=True).values_list("current_version_id", flat=True)
    for b in DiscretionBand.objects.filter(version_id__in=current).select_related("version", "version__power"):
        bands.setdefault(b.version.department, []).append(b)
    gen = Generator(plan=plan, rng=rng, staff=staff, now=now, grids=grids,
                    residents=[(n, i, Resident(pk=pk)) for n, i, pk in residents],
                    enterprises=[(n, u, Enterprise(pk=pk)) for n, u, pk in enterprises], bands=bands)
    count = max(12, round(FULL_CASES * scale))
    today = timezone.localdate(now)
    days = sorted(today - dt.timedelta(days=rng.randint(0, 364)) for _i in range(count))
    drafts: list[Draft] = []
    n_general = max(3, round(count * GENERAL_SHARE))
    general_at = set(rng.sample(range(count), n_general))
    hearings = set(rng.sample(sorted(general_at), max(1, round(n_general * HEARING_SHARE))))
    for i, day in enumerate(days):
        d = gen.general(day, hearing=i in hearings) if i in general_at else gen.summary(day)
        if d is not None:
            drafts.append(d)
    cases = cases_bulk_write([d.case for d in drafts], now=now)
    for d, case in zip(drafts, cases, strict=True):
        _numbers(d, case)
    PenaltyCase.objects.bulk_create([d.row for d in drafts])
    through = PenaltyCase.investigators.through
    through.objects.bulk_create([through(penaltycase_id=d.row.pk, officer_id=o.pk)  # type: ignore[misc]
                                 for d in drafts for o in d.investigators])
    general = sum(d.row.procedure == Procedure.GENERAL for d in drafts)
    return {"cases": len(drafts), "general": general, "summary": len(drafts) - general,
            "hearings": sum(d.row.hearing_held for d in drafts), "officers": len(staff.officers),
            "published": _publish(plan, [d.row for d in drafts], today)}


def _publish(plan: TownPlan, rows: list[PenaltyCase], today: dt.date) -> int:
    """行政处罚决定公开: every general decision published by the town's ``leader`` two working days after it was
    made (``publicity.publication_publish``, on its own day), so the public page has the year's decisions."""
    leader = User.objects.filter(username=f"{people.username_prefix(plan)}leader").first()
    if leader is None:
        return 0
    published = 0
    for row in rows:
        pub = publication_schedule(row)
        if pub is None:
            continue
        with on_day(min(add_working_days(pub.decided_on, 2), today), 11):
            publication_publish(actor=leader, pub_id=pub.pk)
        published += 1
    return published


def enforcement_wipe(area_prefix: str) -> int:
    """Delete the demo's penalty cases under ``area_prefix`` with their chains and counters (the demo reset),
    and the squads and officer records there."""
    prefix = area_prefix[:9]
    cases = Case.objects.filter(kind=zp.KIND, town_code__startswith=prefix)
    PenaltyCase.objects.filter(case__in=cases).delete()
    with audit_maintenance(reason="the demo reset deletes the demo's own chains"):
        AuditEntry.objects.filter(case__in=cases).delete()
    for model in (CasePause, CaseHandoff, CaseAttachment):
        model.objects.filter(case__in=cases).delete()  # type: ignore[attr-defined]
    count = cases.delete()[0]
    CaseCounter.objects.filter(kind=zp.KIND, town_code__startswith=prefix).delete()
    Officer.objects.filter(area_code__startswith=prefix).delete()
    Squad.objects.filter(area__code__startswith=prefix).delete()
    return count


def enforcement_build(*, plan: TownPlan, writer: people.AccountWriter, seed: int, scale: float,
                      progress: Callable[..., None]) -> dict[str, int]:
    """The demo step (after the grid's year)."""
    counts = enforcement_generate(plan=plan, writer=writer, seed=seed, scale=scale)
    if counts:
        progress(_("Town %(code)s: %(cases)d penalty cases (%(summary)d summary, %(general)d general, %(hearings)d "
                   "after a hearing, %(published)d decisions published) and %(officers)d certified officers written "
                   "(%(seconds).1f s)"),
                 code=plan.code, **counts)
    else:
        progress(_("Town %(code)s: penalty cases already there, kept (%(seconds).1f s)"), code=plan.code)
    return counts
