"""The demo town's 社会救助 (social assistance): household files, grants, payment lists, applications at
every early step, early warnings from imported settlements, and a 福村宝 mutual-aid year per village.

Only the first town gets it. Everything goes through the app's services with the demo's logins (``civil``
for civil affairs, ``village`` and the grid workers for the village), so the audit chains are the ones
real work writes and ``zhenwu audit verify`` holds:

- the seed rule set (``rules_seed``), effective from 1 January of the current year;
- household files for about 2 % of every village's households (at least 10 in each of the four largest villages,
  the seat village first; 280 in a full-size town): 低保 most, then 特困, 低保边缘 and 支出型困难, each member's
  profile (disability, health, work capacity, schooling), incomes, a few rigid expenditures with a generated
  receipt image as evidence, and needs matched to the town's resources;
- a grant for every 低保 / 特困 household from January (or the month after its status began), its bank account,
  and a payment list a month per village: the past months' approved by the town, this month's a draft;
- five applications of the seat village filed by the ``village`` login on the family's behalf and left at
  successive steps (submitted, accepted, checked, surveyed with a photo, appraised and in publicity);
- a year of medical-insurance settlements, imported monthly: the heads of about 12 % of the files cross their
  status's threshold, each in its month, and raise a warning; those raised more than a week ago were visited
  within a week (no need, or referred); of the recent ones, one is visited today and its grid worker files a
  临时救助 application (the visit's outcome: application opened), the others wait for their visit;
- a mutual-aid year per village: two disease groups, 20 enrolments, village money and a donation,
  three claims of which two are paid.

Nothing is written when the town has assistance files already (a second build keeps them). Everything is
drawn from ``random.Random("zhenwu-demo/<seed>/assistance-<town>")``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from zhenwu.accounts.models import User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.assistance import process as jz
from zhenwu.assistance import warning_process as yj
from zhenwu.assistance.choices import AssistanceStatus, NeedKind
from zhenwu.assistance.models import AssistanceApplication, AssistanceFile, Resource
from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.models.mutual_aid import Claim, MutualAidYear
from zhenwu.assistance.models.payments import PaymentList
from zhenwu.assistance.models.warnings import EarlyWarning, LifeEvent, Settlement, SettlementImport
from zhenwu.assistance.policy import VILLAGE_CODE_LENGTH
from zhenwu.assistance.services import applications, files, grants, imports, mutual_aid, payments, rules
from zhenwu.assistance.services import warnings as warning_services
from zhenwu.casework.models import AuditEntry, Case, CaseAttachment, CaseCounter, CaseHandoff, CasePause
from zhenwu.casework.services import audit_maintenance
from zhenwu.demo import people
from zhenwu.demo.inspections import on_day
from zhenwu.demo.tree import TownPlan
from zhenwu.registry.models import Enterprise, Household, Resident

SHARE = 0.02  # of a village's households in assistance (the issue: about 2 %, 280 of a town's 14,000)
LEAST_VILLAGES, LEAST_PER_VILLAGE = 4, 10  # a small demo still shows every status in a few villages
HEAVY_SHARE, LIGHT_SHARE = 0.12, 0.3  # of the files whose head's settlements cross their threshold, or stay under
RECENT_DAYS = 7  # warnings raised within it are this week's work: one visited today, the others waiting
REFERRALS = ("县医疗保障局（医疗救助）", "镇慈善工作站", "县残疾人联合会")
# status of the n-th file of a village: 低保 most, then 特困, 低保边缘 and 支出型困难
STATUSES = (AssistanceStatus.DIBAO, AssistanceStatus.DIBAO, AssistanceStatus.TEKUN, AssistanceStatus.DIBAO,
            AssistanceStatus.EDGE, AssistanceStatus.DIBAO, AssistanceStatus.EXPENDITURE, AssistanceStatus.DIBAO,
            AssistanceStatus.DIBAO, AssistanceStatus.EDGE)
GRANTED = (AssistanceStatus.DIBAO, AssistanceStatus.TEKUN)
# the applications of the seat village: (kind, the last step taken, reason)
APPLICATIONS = (
    ("dibao", "", "丈夫务工受伤后失去劳动能力，妻子照顾老人，家庭无稳定收入"),
    ("dibao", "accept", "独自抚养两个孩子，只能打零工，收入不稳定"),
    ("tekun", "check", "老人独居，无劳动能力，无法定赡养人"),
    ("expenditure", "survey", "孩子患白血病住院治疗，自付医疗费用很高"),
    ("dibao", "appraise", "夫妻均患慢性病，常年吃药，只能做些轻活"),
)
STEPS = ("accept", "check", "survey", "appraise")
RESOURCES = (  # (kind, name, needs met, provider)
    ("policy", "医疗救助（一站式结算）", [NeedKind.MEDICAL], "县医疗保障局"),
    ("charity", "春蕾助学金", [NeedKind.SCHOOLING], "县慈善总会"),
    ("volunteer", "邻里守望助老志愿服务队", [NeedKind.CARE], "镇新时代文明实践所"),
    ("policy", "乡村公益性岗位", [NeedKind.JOBS], "镇人力资源和社会保障服务所"),
    ("charity", "危房改造慈善补助", [NeedKind.HOUSING], "县慈善总会"),
)
BANKS = ("农村商业银行", "中国邮政储蓄银行", "中国农业银行")
DONORS = ("本村乡贤", "县慈善总会", "镇商会")
PURPLE, PAPER, INK = (111, 66, 160), (250, 248, 240), (60, 60, 60)


def _png(rng: random.Random, label_lines: int = 6) -> bytes:
    """A small receipt-like picture (PNG), different at every call: evidence and survey photos."""
    image = Image.new("RGB", (96, 128), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 91, 20), fill=PURPLE)
    for i in range(label_lines):
        y = 28 + i * 14
        draw.line((8, y, 8 + rng.randint(40, 80), y), fill=INK, width=2)
    draw.ellipse((60, 96, 88, 124), outline=(200, 30, 30), width=3)  # the seal
    draw.point((rng.randint(10, 85), rng.randint(100, 120)), fill=(rng.randint(0, 255), 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _age(person: Resident, today: dt.date) -> int:
    born = person.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@dataclass
class Staff:
    civil: User
    village: User
    leader: User  # approves the payment lists civil affairs drew up (never the one who drew it up)


@dataclass
class Made:
    files: list[AssistanceFile]
    villages: list[str]


class Generator:
    def __init__(self, *, plan: TownPlan, rng: random.Random, staff: Staff, today: dt.date) -> None:
        self.plan, self.rng, self.staff, self.today = plan, rng, staff, today
        self.month = today.replace(day=1)

    # --- households ------------------------------------------------------------------------------------

    def households(self) -> dict[str, list[Household]]:
        """The town's households with a head, by village; villages with the most households first (the
        seat village always first)."""
        by_village: dict[str, list[Household]] = defaultdict(list)
        for home in (Household.objects.filter(area_code__startswith=self.plan.code, head__isnull=False)
                     .prefetch_related("members").order_by("number")):
            by_village[home.area_code[:VILLAGE_CODE_LENGTH]].append(home)
        order = sorted(by_village, key=lambda v: (v != self.plan.seat_village, -len(by_village[v]), v))
        return {v: by_village[v] for v in order}

    def profile(self, file: AssistanceFile, person: Resident, status: str) -> None:
        age, rng = _age(person, self.today), self.rng
        values: dict[str, object] = {"health": "healthy", "work_capacity": "full", "schooling": "none",
                                     "disability_grade": 0}
        if age < 3:
            values["work_capacity"] = "none"
        elif age < 6:
            values.update(work_capacity="none", schooling="preschool")
        elif age < 16:
            values.update(work_capacity="none", schooling="compulsory")
        elif age < 19 and rng.random() < 0.8:
            values.update(work_capacity="none", schooling="high_school")
        elif age < 23 and rng.random() < 0.3:
            values.update(work_capacity="none", schooling="higher")
        elif age >= 60:
            values.update(work_capacity=rng.choice(["none", "partial"]),
                          health=rng.choice(["chronic", "chronic", "healthy", "serious"]))
        elif status != AssistanceStatus.EDGE and rng.random() < 0.35:
            values.update(work_capacity=rng.choice(["none", "partial"]), health=rng.choice(["chronic", "serious"]))
        if rng.random() < (0.3 if status == AssistanceStatus.TEKUN else 0.12):
            values["disability_grade"] = rng.randint(1, 4)
        files.member_update(actor=self.staff.civil, file_id=file.pk, resident_id=person.pk, **values)  # type: ignore[arg-type]

    def incomes(self, file: AssistanceFile, members: list[Resident], status: str) -> None:
        rng, civil = self.rng, self.staff.civil
        profiles = {p.resident_id: p for p in file.members.all()}
        for person in members:
            p, age = profiles.get(person.pk), _age(person, self.today)
            if p is None:
                continue
            if age >= 60:
                files.income_add(actor=civil, file_id=file.pk, source="pension", member_id=person.pk,
                                 monthly_amount=rng.choice(["180", "195", "210", "230"]),
                                 note="城乡居民基础养老金")
            elif p.work_capacity == "full" and status != AssistanceStatus.TEKUN:
                low, high = {"edge": (1300, 2200), "expenditure": (2200, 3600)}.get(str(status), (300, 900))
                files.income_add(actor=civil, file_id=file.pk, source=rng.choice(["wages", "wages", "business"]),
                                 member_id=person.pk, monthly_amount=str(rng.randrange(low, high, 10)),
                                 note=rng.choice(["打零工", "附近工厂务工", "摆摊", "建筑工地"]))
            elif p.work_capacity == "partial":
                files.income_add(actor=civil, file_id=file.pk, source="farming", member_id=person.pk,
                                 monthly_amount=str(rng.randrange(100, 400, 10)), note="种植蔬菜")
        if status != AssistanceStatus.TEKUN and rng.random() < 0.4:
            files.income_add(actor=civil, file_id=file.pk, source="transfer",
                             monthly_amount=str(rng.randrange(100, 300, 50)), note="在外子女接济")

    def expenditure(self, file: AssistanceFile, person: Resident, kind: str, low: int, high: int) -> None:
        description = {"medical": "住院及门诊自付医疗费用", "education": "高中学杂费及住宿费",
                       "care": "失能老人护理费用"}[kind]
        files.expenditure_add(actor=self.staff.civil, file_id=file.pk, kind=kind, year=self.today.year,
                              yearly_amount=str(self.rng.randrange(low, high, 100)), evidence=_png(self.rng),
                              member_id=person.pk, description=description)

    def open_files(self, villages: dict[str, list[Household]], skip: set[int]) -> Made:
        """About 2 % of every village's households (at least 10 in each of the first four villages)."""
        rng, civil = self.rng, self.staff.civil
        made: list[AssistanceFile] = []
        chosen: list[str] = []
        for i, village in enumerate(villages):
            homes = [h for h in villages[village] if h.pk not in skip]
            want = min(len(homes), max(round(SHARE * len(villages[village])),
                                       LEAST_PER_VILLAGE if i < LEAST_VILLAGES else 0))
            if want:
                chosen.append(village)
            for n, home in enumerate(rng.sample(homes, want)):
                status = STATUSES[n % len(STATUSES)]
                file = files.file_open(actor=civil, household_id=home.pk)
                members = sorted(home.members.all(), key=lambda r: r.pk)
                for person in members:
                    self.profile(file, person, status)
                self.incomes(file, members, status)
                since = self.today - dt.timedelta(days=rng.randint(45, 900))
                with transaction.atomic():
                    locked = AssistanceFile.objects.select_for_update().get(pk=file.pk)
                    files.status_set(file=locked, status=status, on=since, reason="镇民政办审核确认", by=civil)
                    locked.next_review_on = files.review_due(locked, since)
                    while locked.next_review_on < self.today - dt.timedelta(days=30):  # reviewed on time since
                        locked.next_review_on = files.review_due(locked, locked.next_review_on)
                    locked.save(update_fields=["next_review_on", "updated_at"])
                self.extras(locked, members, status)
                made.append(locked)
        return Made(made, chosen)

    def extras(self, file: AssistanceFile, members: list[Resident], status: str) -> None:
        """Rigid expenditures (with evidence) and needs, from the members' profiles."""
        rng, profiles = self.rng, {p.resident_id: p for p in file.members.all()}
        sick = [m for m in members if profiles[m.pk].health == "serious"]
        pupils = [m for m in members if profiles[m.pk].schooling in ("high_school", "higher")]
        if status == AssistanceStatus.EXPENDITURE:
            self.expenditure(file, sick[0] if sick else members[0], "medical", 38_000, 90_000)
        elif sick and rng.random() < 0.5:
            self.expenditure(file, sick[0], "medical", 8_000, 30_000)
        if pupils and rng.random() < 0.5:
            self.expenditure(file, pupils[0], "education", 3_000, 8_000)
        needs: list[tuple[str, Resident | None, str]] = []
        if sick:
            needs.append((NeedKind.MEDICAL, sick[0], "需长期治疗，自付费用负担重"))
        if pupils:
            needs.append((NeedKind.SCHOOLING, pupils[0], "在读学生，学费和生活费有困难"))
        elders = [m for m in members if _age(m, self.today) >= 75 and profiles[m.pk].work_capacity == "none"]
        if elders:
            needs.append((NeedKind.CARE, elders[0], "高龄老人，日常起居需要照料"))
        idle = [m for m in members if profiles[m.pk].work_capacity == "partial" and _age(m, self.today) < 60]
        if idle:
            needs.append((NeedKind.JOBS, idle[0], "能做轻体力活，希望就近就业"))
        if status == AssistanceStatus.TEKUN and rng.random() < 0.5:
            needs.append((NeedKind.HOUSING, None, "老房屋顶漏雨，需要修缮"))
        for kind, member, text in needs:
            files.need_add(actor=self.staff.civil, file_id=file.pk, kind=kind, description=text,
                           member_id=member.pk if member else None,
                           found_on=self.today - dt.timedelta(days=rng.randint(5, 120)))

    def match_needs(self, made: Made) -> int:
        civil = self.staff.civil
        resources: dict[str, Resource] = {}
        for kind, name, needs, provider in RESOURCES:
            resources[needs[0]] = files.resource_create(actor=civil, kind=kind, name=name, need_kinds=list(needs),
                                                        provider=provider, area_code=self.plan.code)
        matched = 0
        for file in made.files:
            for need in file.needs.order_by("pk"):
                if self.rng.random() < 0.6:
                    files.need_match(actor=civil, need_id=need.pk, resource_id=resources[need.kind].pk,
                                     note="已与服务方对接")
                    matched += 1
        return matched

    # --- grants and payments ---------------------------------------------------------------------------

    def grants(self, made: Made) -> tuple[int, int]:
        """A grant for every 低保 / 特困 household from January (or the month after its status began), and a
        payment list a month per village: each past month's drawn up and approved by the town on the 20th, this
        month's a draft for civil affairs to approve."""
        civil, count, year_start = self.staff.civil, 0, dt.date(self.today.year, 1, 1)
        for file in made.files:
            if file.status not in GRANTED:
                continue
            since = file.status_since or year_start
            start = max(year_start, (since.replace(day=1) + dt.timedelta(days=32)).replace(day=1))
            start = min(start, self.month)
            with on_day(start):
                head = file.household.head
                if head is not None and self.rng.random() < 0.9:  # one in ten still has no bank account: held
                    payments.payee_set(actor=civil, file=file, holder_name=head.name,
                                       holder_id_number=head.id_number, bank_name=self.rng.choice(BANKS),
                                       account_number="6228" + "".join(str(self.rng.randint(0, 9))
                                                                       for _i in range(15)))
                grants.grant_open(actor=civil, file=file, kind=file.status, start=start)
            count += 1
        lists = 0
        for m in range(1, self.month.month + 1):
            month = dt.date(self.today.year, m, 1)
            with on_day(month.replace(day=20) if month < self.month else self.today, 9):
                for village in made.villages:
                    plist = payments.payments_draw(actor=civil, village_code=village, month=month)
                    if month < self.month:
                        payments.payments_approve(actor=self.staff.leader, plist=plist)
                    lists += 1
        return count, lists

    # --- applications ----------------------------------------------------------------------------------

    def application(self, home: Household, kind: str, last: str, reason: str) -> AssistanceApplication:
        village, civil, rng = self.staff.village, self.staff.civil, self.rng
        head = home.head
        assert head is not None
        row = applications.application_file(actor=village, kind=kind, applicant_id=head.pk, reason=reason,
                                            consent_method=rng.choice(["signed", "signed", "verbal"]),
                                            consent_by=head.name)
        members = sorted(home.members.all(), key=lambda r: r.pk)
        for person in members:
            age = _age(person, self.today)
            if 18 <= age < 60 and kind != "tekun":
                files.income_add(actor=village, file_id=row.file_id, source="wages", member_id=person.pk,
                                 monthly_amount=str(rng.randrange(200, 800, 10)), note="打零工")
            elif age >= 60:
                files.income_add(actor=village, file_id=row.file_id, source="pension", member_id=person.pk,
                                 monthly_amount="195", note="城乡居民基础养老金")
        number = row.case.number
        if not last:
            return row
        for step in STEPS[:STEPS.index(last) + 1]:
            if step in ("accept", "check"):
                applications.application_act(actor=civil, number=number, action=step)
            elif step == "survey":
                applications.survey_photo_add(actor=village, number=number, data=_png(rng), name="入户调查.png")
                applications.application_act(actor=village, number=number, action="survey", fields={
                    "living_conditions": "砖木结构平房两间，家具陈旧，无大件家电",
                    "findings": "家庭情况与申请所述一致，主要劳动力无法稳定就业",
                    "surveyors": "村民政协理员、驻村干部",
                    "needs": [{"kind": "medical", "description": "需要持续治疗，自付费用高"}]})
            else:
                participants = rng.randint(9, 15)
                against = rng.randint(0, 2)
                applications.application_act(actor=village, number=number, action="appraise", fields={
                    "held_on": self.today.isoformat(), "participants": participants,
                    "votes_for": participants - against, "votes_against": against,
                    "amount": str(rng.randrange(600, 1500, 10)), "minutes": "经民主评议，多数同意纳入"})
        return row

    def open_applications(self, homes: list[Household]) -> int:
        for home, (kind, last, reason) in zip(homes, APPLICATIONS, strict=False):
            self.application(home, kind, last, reason)
        return min(len(homes), len(APPLICATIONS))

    # --- early warnings --------------------------------------------------------------------------------

    def settlements(self, made: Made) -> list[EarlyWarning]:
        """A year of medical-insurance settlements, imported on the 5th of each month (this month's today): the
        heads of about 12 % of the files cross their status's threshold, each in a month of its own (two this
        month), about 30 % stay under it."""
        rng, months = self.rng, self._months()
        heads = sorted((f for f in made.files if f.household.head is not None),
                       key=lambda f: (f.area_code[:VILLAGE_CODE_LENGTH] != self.plan.seat_village, f.pk))
        heavy_n = min(len(heads), max(4, round(HEAVY_SHARE * len(made.files))))
        light_n = min(len(heads) - heavy_n, max(12, round(LIGHT_SHARE * len(made.files))))
        batches: dict[dt.date, list[dict[str, str]]] = defaultdict(list)
        n = 0
        for k, file in enumerate(heads[:heavy_n + light_n]):
            person = file.household.head
            assert person is not None
            heavy = k < heavy_n
            if heavy:  # the month it crosses: the last two this month, the others spread over the year
                crossing = months[-1] if k >= heavy_n - 2 else months[k % max(1, len(months) - 1)]
                low = self.rule_threshold(file.status)
                total_out, first, last = rng.randrange(low + 1_000, low + 4_000, 10), crossing - dt.timedelta(
                    days=80), self._last_day(crossing)
            else:
                total_out, first, last = rng.randrange(300, 2_500, 10), months[0], self.today
            parts = rng.randint(1, 3)
            for p in range(parts):
                n += 1
                out = Decimal(total_out // parts + (total_out % parts if p == 0 else 0))
                total = (out * Decimal(rng.choice(["1.6", "2.0", "2.5"]))).quantize(Decimal("0.01"))
                span = max(0, (last - max(first, months[0] - dt.timedelta(days=1))).days)
                day = last - dt.timedelta(days=rng.randint(0, span)) if p else last  # the last part crosses
                batches[self._import_day(day)].append({
                    "number": f"JS{self.plan.code[-3:]}{self.today.year}{n:05d}", "id_number": person.id_number,
                    "name": person.name, "date": day.isoformat(), "total": str(total), "out_of_pocket": str(out)})
        for day in sorted(batches):
            with on_day(day, 8):
                report = imports.settlements_import(
                    actor=self.staff.civil, rows=list(enumerate(batches[day], start=2)),
                    file_name=f"医保结算数据-{day:%Y%m}.xlsx", dry_run=False)
            if report.errors:
                raise RuntimeError(f"the demo's settlements do not import: {report.errors[:3]}")
        return list(EarlyWarning.objects.filter(area_code__startswith=self.plan.code).select_related("case")
                    .order_by("pk"))

    def rule_threshold(self, status: str) -> int:
        return int(settings.ASSISTANCE_WARNING_THRESHOLDS.get(str(status), 10_000))

    def _months(self) -> list[dt.date]:
        """The first days of the last twelve months, this one last."""
        out, month = [], self.month
        for _i in range(12):
            out.append(month)
            month = (month - dt.timedelta(days=1)).replace(day=1)
        return out[::-1]

    def _last_day(self, month: dt.date) -> dt.date:
        return min(grants.month_last(month) - dt.timedelta(days=6), self.today)

    def _import_day(self, day: dt.date) -> dt.date:
        """Settlements reach the town on the 5th of the next month; this month's arrived today."""
        following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=5)
        return following if following <= self.today else self.today

    def visit(self, warnings: list[EarlyWarning]) -> tuple[int, int]:
        """Every warning raised more than a week ago visited by its grid's worker within a week (no need, or
        referred); of the recent ones, the first is visited today and a 临时救助 application filed, the others
        wait."""
        visited, opened = 0, False
        for warning in warnings:
            handler = warning.case.handler
            if handler is None:
                continue
            raised = timezone.localdate(warning.created_at)
            if raised < self.today - dt.timedelta(days=RECENT_DAYS):
                day = min(raised + dt.timedelta(days=self.rng.randint(2, 7)), self.today)
                with on_day(day, 15):
                    self._visit_past(warning, handler, day)
                visited += 1
            elif not opened:
                person = warning.person
                row = applications.application_file(
                    actor=handler, kind="temporary", applicant_id=person.pk,
                    reason="大额自付医疗费用致家庭临时困难，经入户核实申请临时救助", consent_method="signed",
                    consent_by=person.name)
                warning_services.warning_visit(
                    actor=handler, warning=warning, outcome="application_opened",
                    application_number=row.case.number,
                    record="入户核实：户主住院治疗，自付费用较高，家庭积蓄已用完，已协助申请临时救助。",
                    photos=[("入户核实.png", _png(self.rng))], visited_on=self.today)
                visited, opened = visited + 1, True
        return visited, int(opened)

    def _visit_past(self, warning: EarlyWarning, handler: User, day: dt.date) -> None:
        if self.rng.random() < 0.6:
            warning_services.warning_visit(
                actor=handler, warning=warning, outcome="no_need", visited_on=day,
                record="入户核实：医疗费用已由基本医保、大病保险和医疗救助报销大部分，家庭收入稳定，暂无困难。",
                photos=[("入户核实.png", _png(self.rng))])
        else:
            warning_services.warning_visit(
                actor=handler, warning=warning, outcome="referred", visited_on=day,
                referred_to=self.rng.choice(REFERRALS),
                record="入户核实：患者需长期治疗，已告知并协助对接相关部门办理专项救助。",
                photos=[("入户核实.png", _png(self.rng))])

    # --- 福村宝 ----------------------------------------------------------------------------------------

    def mutual_aid(self) -> dict[str, int]:
        rng, civil, year = self.rng, self.staff.civil, self.today.year
        counts = {"years": 0, "enrolments": 0, "claims": 0, "paid": 0}
        villages = Area.objects.filter(code__startswith=self.plan.code, level=AreaLevel.VILLAGE).order_by("code")
        sponsors = list(Enterprise.objects.filter(area_code__startswith=self.plan.code).order_by("pk")
                        .values_list("name", flat=True)[:30])

        def day(offset: int) -> dt.date:
            return min(dt.date(year, 1, 1) + dt.timedelta(days=offset), self.today)

        for village in villages:
            residents = list(Resident.objects.filter(area_code__startswith=village.code).order_by("pk")[:200])
            if len(residents) < 3:
                continue
            row = mutual_aid.year_open(actor=civil, village_code=village.code, year=year)
            groups = [mutual_aid.group_add(actor=civil, year=row, code="MB", name="慢性病", rate="0.5", cap="8000"),
                      mutual_aid.group_add(actor=civil, year=row, code="DB", name="重大疾病", rate="0.6", cap="30000",
                                           deductible="1000")]
            enrolments = [mutual_aid.enrol(actor=civil, year=row, person=p, enrolled_on=day(rng.randint(0, 45)))
                          for p in sorted(rng.sample(residents, min(20, len(residents))), key=lambda r: r.pk)]
            mutual_aid.fund_add(actor=civil, year=row, source="village", amount=str(rng.randrange(8000, 15000, 500)),
                                received_on=day(20), note="村集体经济收入划拨")
            donor = rng.choice(sponsors) if sponsors and rng.random() < 0.6 else rng.choice(DONORS)
            mutual_aid.fund_add(actor=civil, year=row, source="donation", amount=str(rng.randrange(2000, 8000, 500)),
                                donor=donor, received_on=day(rng.randint(30, 120)))
            for k, enrolment in enumerate(rng.sample(enrolments, min(3, len(enrolments)))):
                start = (enrolment.enrolled_on - dt.date(year, 1, 1)).days
                treated = day(rng.randint(start, max(start, (self.today - dt.date(year, 1, 1)).days - 5)))
                claim = mutual_aid.claim_file(actor=civil, year=row, enrolment=enrolment, group=rng.choice(groups),
                                              eligible=str(rng.randrange(1500, 9000, 100)), treated_on=treated)
                counts["claims"] += 1
                if k < 2:
                    mutual_aid.claim_pay(actor=civil, claim=claim, paid_on=min(treated + dt.timedelta(days=20),
                                                                               self.today),
                                         reference=f"FCB{year}{village.code[-3:]}{k + 1:02d}")
                    counts["paid"] += 1
            counts["years"] += 1
            counts["enrolments"] += len(enrolments)
        return counts


def assistance_exists(town_code: str) -> bool:
    return AssistanceFile.objects.filter(area_code__startswith=town_code).exists()


@transaction.atomic
def assistance_generate(*, plan: TownPlan, seed: int) -> dict[str, int]:
    """The town's assistance data (nothing when it has files already, or lacks the logins or households)."""
    if assistance_exists(plan.code):
        return {}
    prefix = people.username_prefix(plan)
    names = [f"{prefix}civil", f"{prefix}village", f"{prefix}leader"]
    logins = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(logins) < len(names):
        return {}
    staff = Staff(civil=logins[names[0]], village=logins[names[1]], leader=logins[names[2]])
    today = timezone.localdate()
    gen = Generator(plan=plan, rng=random.Random(f"zhenwu-demo/{seed}/assistance-{plan.index}"), staff=staff,
                    today=today)
    rules.rules_seed(town_code=plan.code, effective_from=dt.date(today.year, 1, 1))
    villages = gen.households()
    if not villages:
        return {}
    seat = villages.get(plan.seat_village, [])
    applying = seat[-len(APPLICATIONS):] if len(seat) > len(APPLICATIONS) + 2 else []
    made = gen.open_files(villages, {h.pk for h in applying})
    matched = gen.match_needs(made)
    granted, lists = gen.grants(made)
    filed = gen.open_applications(applying)
    warnings = gen.settlements(made)
    visited, opened = gen.visit(warnings)
    aid = gen.mutual_aid()
    return {"files": len(made.files), "granted": granted, "lists": lists, "matched": matched,
            "applications": filed + opened, "warnings": len(warnings), "visited": visited, **aid}


def assistance_wipe(area_prefix: str) -> int:
    """Delete the assistance data under ``area_prefix`` (the demo reset, or base data about to be replaced):
    payment lists, grants, warnings and settlements, applications with their JZ / YJ cases, chains and
    counters, mutual-aid years, files and resources. The published rule sets stay (never deleted)."""
    prefix = area_prefix[:9]
    town_files = AssistanceFile.objects.filter(area_code__startswith=prefix)
    PaymentList.objects.filter(village_code__startswith=prefix).delete()
    town_grants = Grant.objects.filter(file__in=town_files)
    town_grants.update(previous=None)
    town_grants.delete()
    EarlyWarning.objects.filter(area_code__startswith=prefix).delete()
    LifeEvent.objects.filter(person__area_code__startswith=prefix).delete()
    Settlement.objects.filter(person__area_code__startswith=prefix).delete()
    SettlementImport.objects.filter(area_code__startswith=prefix).delete()
    AssistanceApplication.objects.filter(file__in=town_files).delete()
    cases = Case.objects.filter(kind__in=(jz.KIND, yj.KIND), town_code__startswith=prefix)
    with audit_maintenance(reason="the demo reset deletes the demo's own chains"):
        AuditEntry.objects.filter(case__in=cases).delete()
    for model in (CasePause, CaseHandoff, CaseAttachment):
        model.objects.filter(case__in=cases).delete()  # type: ignore[attr-defined]
    cases.delete()
    CaseCounter.objects.filter(kind__in=(jz.KIND, yj.KIND), town_code__startswith=prefix).delete()
    Claim.objects.filter(year__area_code__startswith=prefix).delete()
    MutualAidYear.objects.filter(area_code__startswith=prefix).delete()
    count = town_files.delete()[1].get(AssistanceFile._meta.label, 0)
    Resource.objects.filter(area_code__startswith=prefix).delete()
    return count


def assistance_build(*, plan: TownPlan, seed: int, progress: Callable[..., None]) -> dict[str, int]:
    """The demo step (the first town, after its base data, staff and grid year)."""
    counts = assistance_generate(plan=plan, seed=seed)
    if counts:
        progress(_("Town %(code)s: %(files)d assistance files (%(granted)d with grants, %(lists)d payment lists), "
                   "%(applications)d applications, %(warnings)d early warnings and %(years)d mutual-aid years "
                   "written (%(seconds).1f s)"), code=plan.code, **counts)
    else:
        progress(_("Town %(code)s: assistance data already there, kept (%(seconds).1f s)"), code=plan.code)
    return counts
