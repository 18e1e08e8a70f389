"""The demo town's year of 一网治理: ~10,000 incidents at scale 1, a few hundred disputes and the grid workers'
household visits, up to the moment of the run (the patrols are ``demo.patrols``'s).

Everything is drawn from ``random.Random("zhenwu-demo/<seed>/grid-<town>")`` (points inside the grids from a
numpy generator of the same seed). Incidents and disputes go through the kernel's ``cases_bulk_write`` with
the same actions, reasons, fields, hand-overs and audit notes the grid services write (``photos_store``'s
``attachment_add``, ``case_assign``'s ``reassign``, the tick's ``escalate``, a mediation session's note),
so ``zhenwu audit verify`` holds. Their own rows and the visits follow with the fast bulk insert.

Who acts: grid workers report on patrol, verify on site and self-close what their category allows; the
town's dispatcher registers, rejects, merges and dispatches (12345, camera and 审管联动 reports are entered
by them); each handling department of the category data has one staff member (``handler`` is the login of
the sanitation station's); the supervisor evaluates. Nothing happens after ``now``: an incident whose next
step would come later is still open, with its light computed against ``now``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import struct
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhenwu.accounts.choices import DepartmentKind, Role
from zhenwu.accounts.models import Department, User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.casework import bulk_insert, deadlines
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Attachment, AuditEntry, Case, CaseAttachment, CaseCounter, CaseHandoff, CasePause
from zhenwu.casework.process import DeadlineSpec
from zhenwu.casework.services import (
    CaseDraft,
    NoteDraft,
    StepDraft,
    attachment_store,
    audit_maintenance,
    cases_bulk_write,
)
from zhenwu.casework.workcal import WorkCalendar, calendar_current
from zhenwu.demo import bulk, names, people
from zhenwu.demo.points import points_in
from zhenwu.demo.tree import TownPlan
from zhenwu.grid import dispute_process as dp
from zhenwu.grid import process as ip
from zhenwu.grid.choices import EscalationLevel, ExtensionStatus, Source
from zhenwu.grid.models import (
    Category,
    CategoryVersion,
    Dispute,
    DisputeParty,
    Incident,
    IncidentExtension,
    MediationSession,
    Visit,
)
from zhenwu.grid.services.categories import categories_load
from zhenwu.grid.services.incidents import queue_columns
from zhenwu.registry.choices import GridDuty
from zhenwu.registry.models import GridAssignment, Household, Resident

DAYS = 365
FULL_INCIDENTS = 10_000
FULL_DISPUTES = 300
VISIT_EVERY_DAYS = (20, 45)  # a household's next visit by its grid worker: monthly-ish …
VISIT_DAYS = 120  # … over the last four months (a year of them was ~155,000 rows: most of the build time)
HANDLER_ACCOUNT = "handler"  # the printed login: the sanitation station's staff member (处置人员)

SOURCES = ((Source.PATROL, 52), (Source.CITIZEN, 16), (Source.HOTLINE, 13), (Source.CAMERA, 8),
           (Source.APPROVAL, 4), (Source.ENFORCEMENT, 7))
# Relative frequency of the minor categories (others 1): rubbish, street vending and small ads lead;
# subsidence, gas leaks, fires and chemical spills are rare.
CATEGORY_WEIGHTS = {
    "E0101": 26, "E0501": 16, "E0201": 14, "E0111": 8, "E0505": 7, "E0502": 7, "P0301": 6, "E0103": 6,
    "E0112": 5, "P0201": 4, "E0506": 4, "E0106": 3, "E0107": 3, "E0601": 3, "E0605": 3, "P0202": 3,
    "E0204": 2, "E0205": 2, "E0304": 2, "E0508": 2, "P0403": 2,
    "E0401": 0.08, "E0403": 0.05, "E0405": 0.08, "E0406": 0.02, "E0402": 0.15, "P0501": 0.15, "E0604": 0.3,
}
REJECT_REASONS = ("不属于网格事件受理范围", "重复上报，现场已无此问题", "照片与描述不符，无法核实",
                  "属于民事纠纷，已引导当事人协商")
RETURN_REASONS = ("不属于本单位职责，请改派", "事发地点不在本单位辖区")
EXTENSION_REASONS = ("需协调产权单位共同处置", "等待材料采购，需延长处置时间", "涉及多部门联合执法")
RESULTS = ("已现场清理完毕", "已责令当事人整改到位", "已安排人员维修完成", "已拆除并恢复原状", "已劝离并清理现场")
SELF_CLOSE_RESULTS = ("已现场清理", "已劝导当事人自行整改", "已现场处置完毕")
REWORK_REASONS = ("现场仍有残留，未整改到位", "整改不彻底，问题复现")
EVAL_NOTES = ("处置及时，群众满意", "处置到位", "", "响应较慢")
ADDRESSES = ("路", "街", "巷", "组")
DESCRIPTIONS = {
    "E0101": "路边有暴露垃圾堆放", "E0501": "商贩占用人行道经营", "E0201": "墙面、电线杆张贴非法小广告",
    "E0111": "路边乱堆建材杂物", "E0505": "非机动车乱停放堵塞通道", "E0502": "商户店外摆放经营",
    "P0301": "垃圾箱满溢未及时清运", "E0401": "路面出现塌陷，存在安全隐患",
}
DISPUTE_KINDS = (("neighbour", 30), ("family", 18), ("land", 15), ("labour", 10), ("property", 9), ("debt", 8),
                 ("traffic", 5), ("other", 5))
DISPUTE_TEXT = {"neighbour": "因排水、通行引发邻里矛盾", "family": "赡养、婚姻家庭纠纷",
                "land": "宅基地、承包地界址争议",
                "labour": "拖欠务工人员工资", "property": "物业费及公共设施维修纠纷", "debt": "民间借贷纠纷",
                "traffic": "交通事故赔偿纠纷", "other": "其他矛盾纠纷"}
VISIT_RECORDS = ("入户走访，了解家庭情况，无异常", "走访独居老人，身体状况良好", "宣传防诈骗知识",
                 "核实人口信息，已更新",
                 "了解诉求，已记录并反馈", "安全隐患排查，未发现问题")


def _png(rgb: tuple[int, int, int], size: int = 8) -> bytes:
    """A small solid-colour PNG: the demo's stand-in for an on-site photo."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class People:
    """Who acts in the town's generated incidents and disputes."""

    dispatcher: User
    supervisor: User
    leader: User
    officer: User | None
    workers: dict[str, list[User]]  # level-2 / special grid → its grid workers
    grid_leaders: dict[str, User]  # level-1 grid → its leader
    village_staff: dict[str, User]  # village code → a staff member who answers there
    departments: dict[str, Department]  # handling department name → the town's department
    handlers: dict[int, User]  # department pk → its staff member


@dataclass
class IncidentDraft:
    case: CaseDraft
    row: Incident
    status: str = "reported"
    finished_at: dt.datetime | None = None  # when it left the open states (None: still open now)
    extension: IncidentExtension | None = None
    photos: list[str] = field(default_factory=list)  # every photo the case carries (CaseAttachment rows)
    merged_into: IncidentDraft | None = None

    @property
    def last_at(self) -> dt.datetime:
        return self.case.steps[-1].at if self.case.steps else self.case.created_at


def _local(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes))


class Generator:
    """Draws the incidents, disputes and visits of one town, deterministically from the seed."""

    def __init__(self, *, plan: TownPlan, seed: int, staff: People, now: dt.datetime, photos: list[str]) -> None:
        self.rng = random.Random(f"zhenwu-demo/{seed}/grid-{plan.code}")
        digest = hashlib.sha256(f"{seed}/grid-{plan.code}".encode()).digest()
        self.np = np.random.default_rng(int.from_bytes(digest[:8], "big"))
        self.plan, self.staff, self.now, self.photo_pool = plan, staff, now, photos
        self.cal: WorkCalendar = calendar_current()
        self.first = timezone.localdate(now) - dt.timedelta(days=DAYS - 1)
        self.grids = [g for g in (*plan.of_level(AreaLevel.GRID2), *plan.of_level(AreaLevel.SPECIAL))
                      if staff.workers.get(g.code)]
        self.points: dict[str, list[tuple[float, float]]] = {}
        self.with_limit: list[tuple[Category, CategoryVersion]] = []

    # ------------------------------------------------------------ helpers

    def point(self, grid: str) -> tuple[float, float]:
        stock = self.points.get(grid)
        if not stock:
            xy = points_in(self.plan.get(grid).shape, 256, self.np)
            stock = self.points[grid] = [(float(x), float(y)) for x, y in xy]
        return stock.pop()

    def photo(self) -> str:
        return self.rng.choice(self.photo_pool)

    def worker(self, grid: str) -> User:
        return self.rng.choice(self.staff.workers[grid])

    def village_hand(self, grid: str) -> User:
        return self.staff.village_staff.get(grid[:12]) or self.staff.grid_leaders.get(grid[:15]) or self.worker(grid)

    def day_moment(self, day: dt.date, start: int = 7 * 60, end: int = 19 * 60) -> dt.datetime:
        return _local(day, self.rng.randint(start, end))

    def later(self, at: dt.datetime, lo_minutes: int, hi_minutes: int) -> dt.datetime:
        return at + dt.timedelta(minutes=self.rng.randint(lo_minutes, hi_minutes))

    def within(self, v: CategoryVersion, start: dt.datetime, share: float) -> dt.datetime:
        """A moment ``share`` of the way through the category's limit from ``start`` (beyond it when > 1)."""
        due, _ok = deadlines.due_at(v.limit_unit, v.limit_value, start)
        return start + (due - start) * share

    # ------------------------------------------------------------ incidents

    def incident_days(self, count: int) -> list[dt.date]:
        span = [self.first + dt.timedelta(days=i) for i in range(DAYS)]
        weights = [(1.0 if self.cal.is_workday(d) else 0.55) * (1.25 if d.month in (6, 7, 8) else 1.0) for d in span]
        days = sorted(self.rng.choices(span, weights=weights, k=count - 1) + [span[-1]])
        return days

    def incident(self, day: dt.date, categories: list[Category], cum: list[float]) -> IncidentDraft:
        cat = self.rng.choices(categories, cum_weights=cum)[0]
        version = cat.current_version
        assert version is not None
        source = self.rng.choices([s for s, _w in SOURCES], weights=[w for _s, w in SOURCES])[0]
        grid = self.rng.choice(self.grids).code
        lng, lat = self.point(grid)
        filed = self.day_moment(day)
        if filed > self.now:
            filed = self.now - dt.timedelta(minutes=self.rng.randint(1, 90))
        reporter: User | None = None
        reporter_name, mobile = "", ""
        if source == Source.PATROL:
            reporter = self.worker(grid)
        elif source == Source.ENFORCEMENT:
            reporter = self.staff.officer or self.staff.dispatcher
        elif source in (Source.HOTLINE, Source.CAMERA, Source.APPROVAL):
            reporter = self.staff.dispatcher
        if source in (Source.CITIZEN, Source.HOTLINE):
            reporter_name = names.person_name(self.rng)
            mobile = "1" + self.rng.choice("35789") + "".join(self.rng.choices("0123456789", k=9))
        elif reporter is not None:
            reporter_name, mobile = str(reporter)[:100], reporter.mobile or ""
        place = f"{self.plan.get(grid[:12]).name}{self.rng.randint(1, 30)}{self.rng.choice(ADDRESSES)}"
        photos = [self.photo()] if source in (Source.PATROL, Source.CITIZEN, Source.CAMERA, Source.ENFORCEMENT) else []
        case = CaseDraft(kind=ip.KIND, process=ip.INCIDENT_PROCESS, area_code=grid, title=f"{version.name} {place}",
                         actor=reporter, created_at=filed, town_code=self.plan.code,
                         deadline=DeadlineSpec(DeadlineUnit.HOURS, settings.GRID_DISPATCH_LIMIT_HOURS))
        if photos:
            case.steps.append(NoteDraft("attachment_add", filed, reporter, data={"field": "photos"},
                                        attachments=photos))
        row = Incident(category=cat, category_version=version, source=source, lng=lng, lat=lat,
                       crs_in="wgs84", address=place, description=DESCRIPTIONS.get(cat.code, version.name),
                       priority=version.priority, reporter=reporter,
                       reporter_name=reporter_name, reporter_mobile=mobile, photos=photos, reported_at=filed,
                       created_at=filed)
        return IncidentDraft(case, row, photos=list(photos))

    def step(self, d: IncidentDraft, action: str, to: str, at: dt.datetime, actor: User | None, *,
             reason: str = "", fields: dict[str, Any] | None = None, photos: list[str] | None = None,
             **extra: Any) -> bool:
        """Record a step (with its ``attachment_add`` note when it brings photos) if it has happened by now."""
        if at > self.now or at < d.last_at:
            return False
        if photos:
            d.case.steps.append(NoteDraft("attachment_add", at, actor, data={"field": "photos"}, attachments=photos))
            d.photos += photos
        d.case.steps.append(StepDraft(action, at, actor, reason=reason, fields=fields, attachments=photos or (),
                                      **extra))
        d.status = to
        if to in ip.FINISHED_STATES or to == "closed":
            d.finished_at = d.finished_at or at
        return True

    def history(self, d: IncidentDraft) -> None:
        v, grid, filed = d.row.category_version, d.case.area_code, d.case.created_at
        fate = self.rng.random()
        if (v.self_close and d.row.source == Source.PATROL and fate < 0.45):
            result, photo = self.rng.choice(SELF_CLOSE_RESULTS), self.photo()
            d.row.result_photos = [photo]
            self.step(d, "self_close", "closed", self.later(filed, 10, 90), d.row.reporter, reason=result,
                      fields={"result": result, "photos": [photo]}, photos=[photo])
            return
        dispatcher = self.staff.dispatcher
        decided = self.later(filed, 10, 200 if self.rng.random() < 0.95 else 420)
        if fate > 0.965:
            reason = self.rng.choice(REJECT_REASONS)
            self.step(d, "reject", "rejected", decided, dispatcher, reason=reason, fields={"reason": reason})
            return
        if not self.step(d, "register", "registered", decided, dispatcher):
            return
        self.dispatch_and_handle(d, grid, v)

    def dispatch_and_handle(self, d: IncidentDraft, grid: str, v: CategoryVersion) -> None:
        returned = False
        unit = self.unit_for(v, grid)
        at = self.later(d.last_at, 5, 60)
        while True:
            if not self.dispatch(d, unit, at):
                return
            if not returned and self.rng.random() < 0.02:  # a wrong dispatch, sent back and dispatched again
                reason = self.rng.choice(RETURN_REASONS)
                if not self.step(d, "return", "registered", self.later(at, 30, 240), self.staff.handlers[unit.pk],
                                 reason=reason, fields={"reason": reason}, handler=None, handler_unit=None):
                    return
                returned, at = True, self.later(d.last_at, 10, 60)
                unit = self.staff.departments.get(names_enforce()) or unit
                continue
            break
        self.handle_loop(d, grid, v, unit, dispatched=at)

    def dispatch(self, d: IncidentDraft, unit: Department, at: dt.datetime) -> bool:
        v = d.row.category_version
        ok = self.step(d, "dispatch", "dispatched", at, self.staff.dispatcher,
                       fields={"unit": unit.name, "handler": ""}, handler=None, handler_unit=unit,
                       deadline=DeadlineSpec(v.limit_unit, v.limit_value))
        if ok:  # case_assign's own entry
            d.case.steps.append(NoteDraft("reassign", at, self.staff.dispatcher, data={
                "from": None, "to": None, "to_name": "", "unit": unit.pk, "unit_name": unit.name}))
        return ok

    def handle_loop(self, d: IncidentDraft, grid: str, v: CategoryVersion, unit: Department,
                    dispatched: dt.datetime) -> None:
        handler = self.staff.handlers[unit.pk]
        late = self.rng.random() < 0.07
        stalled = self.rng.random() < 0.01
        share = self.rng.uniform(1.05, 2.0) if late else self.rng.uniform(0.15, 0.95)
        if stalled:
            share = self.rng.uniform(3.0, 8.0)
        start = dispatched
        if self.rng.random() < 0.03:  # 申请延期 part-way, mostly approved
            asked = self.within(v, start, self.rng.uniform(0.3, 0.7))
            value = max(1, v.limit_value // 2)
            reason = self.rng.choice(EXTENSION_REASONS)
            if not self.step(d, "request_extension", "extension_requested", asked, handler, reason=reason,
                             fields={"reason": reason, "value": value, "unit": v.limit_unit},
                             handler=None, handler_unit=None):
                return
            d.extension = IncidentExtension(unit=v.limit_unit, value=value, reason=reason, requested_by=handler,
                                            requested_at=asked)
            decided = self.later(asked, 20, 240)
            approve = self.rng.random() < 0.85
            if approve:
                ok = self.step(d, "approve_extension", "dispatched", decided, self.staff.dispatcher,
                               fields={"value": value, "unit": v.limit_unit}, deadline_extend=value,
                               handler=None, handler_unit=unit)
            else:
                note = "现有期限内可以完成"
                ok = self.step(d, "refuse_extension", "dispatched", decided, self.staff.dispatcher, reason=note,
                               fields={"reason": note}, handler=None, handler_unit=unit)
            if not ok:
                return
            d.extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
            d.extension.decided_by, d.extension.decided_at = self.staff.dispatcher, decided
            share = share * (1.3 if approve else 1.0)
        for attempt in range(2):
            handled = max(self.within(v, start, share), self.later(d.last_at, 20, 60))
            self.escalations(d, v, start, handled)
            result, photo = self.rng.choice(RESULTS), self.photo()
            if not self.step(d, "handle", "fed_back", handled, handler, reason=result,
                             fields={"result": result, "photos": [photo]}, photos=[photo], handler=None,
                             handler_unit=None):
                return
            d.row.result_photos = [photo]
            verifier = d.row.reporter if d.row.source == Source.PATROL and d.row.reporter else self.worker(grid)
            checked, photo = self.later(handled, 60, 26 * 60), self.photo()
            if attempt == 0 and self.rng.random() < 0.04:  # 核查不通过: rework
                reason = self.rng.choice(REWORK_REASONS)
                if not self.step(d, "verify_fail", "dispatched", checked, verifier, reason=reason,
                                 fields={"photos": [photo], "reason": reason}, photos=[photo],
                                 deadline=DeadlineSpec(v.limit_unit, v.limit_value), handler=None,
                                 handler_unit=unit):
                    return
                d.row.verify_photos, d.row.rework_count = [photo], 1
                start, share = checked, self.rng.uniform(0.2, 0.9)
                continue
            if not self.step(d, "verify_pass", "closed", checked, verifier, fields={"photos": [photo]},
                             photos=[photo]):
                return
            d.row.verify_photos = [photo]
            break
        if self.rng.random() < 0.6:
            score = self.rng.choices((5, 4, 3, 2), weights=(70, 22, 6, 2))[0]
            note = self.rng.choice(EVAL_NOTES)
            if self.step(d, "evaluate", "evaluated", self.later(d.last_at, 60, 5 * 24 * 60), self.staff.supervisor,
                         reason=note, fields={"score": score}):
                d.row.evaluation, d.row.evaluation_note = score, note

    def escalations(self, d: IncidentDraft, v: CategoryVersion, start: dt.datetime, until: dt.datetime) -> None:
        """The tick's automatic escalation of an incident left overdue at its level (grid → village → …)."""
        extra = d.extension.value if d.extension and d.extension.status == ExtensionStatus.APPROVED else 0
        due, _ok = deadlines.due_at(v.limit_unit, v.limit_value + extra, start)
        at = max(due + dt.timedelta(minutes=self.rng.randint(1, 5)), d.last_at)
        level = d.row.escalation_level
        step = dt.timedelta(hours=settings.GRID_AUTO_ESCALATE_STEP_HOURS)
        while at < min(until, self.now) and level != EscalationLevel.COUNTY:
            order = [str(x) for x in (EscalationLevel.GRID, EscalationLevel.VILLAGE, EscalationLevel.TOWN,
                                      EscalationLevel.COUNTY)]
            nxt = order[order.index(level) + 1]
            with translation.override("zh-hans"):
                reason = str(_("Overdue at the %(level)s level.") % {"level": EscalationLevel(level).label})
            d.case.steps.append(NoteDraft("escalate", at, None, reason=reason,
                                          data={"from": level, "to": nxt, "automatic": True}))
            d.row.escalation_level, d.row.escalated_at = nxt, at
            level, at = nxt, at + step

    def unit_for(self, v: CategoryVersion, grid: str) -> Department:
        if v.department_name == "村（社区）":
            station = self.staff.departments.get(f"village:{grid[:12]}")
            if station is not None:
                return station
        return self.staff.departments[v.department_name]

    def merge_into(self, d: IncidentDraft, target: IncidentDraft, number: str) -> None:
        """A second report of an open incident: near it, merged by the dispatcher."""
        at = self.later(d.case.created_at, 15, 150)
        if self.step(d, "merge", "merged", at, self.staff.dispatcher, fields={"into": number}):
            d.merged_into = target


def names_enforce() -> str:
    from zhenwu.grid.category_data import ENFORCE

    return ENFORCE


# ---------------------------------------------------------------- staff and departments


def _staff(plan: TownPlan, writer_hash: str) -> People:
    town = plan.code

    def first(role: str, prefix: str = town) -> User | None:
        return (User.objects.filter(role_assignments__role=role, scope_area__code__startswith=prefix, is_active=True)
                .order_by("scope_area__code", "pk").first())

    dispatcher = first(Role.DISPATCHER)
    if dispatcher is None:
        raise LookupError(f"town {town} has no dispatcher")
    workers: dict[str, list[User]] = defaultdict(list)
    leaders: dict[str, User] = {}
    for a in (GridAssignment.objects.filter(grid__code__startswith=town, ended_on__isnull=True)
              .select_related("user", "grid").order_by("grid__code", "pk")):
        if a.duty in (GridDuty.WORKER, GridDuty.SPECIAL):
            workers[a.grid.code].append(a.user)
        elif a.duty == GridDuty.LEADER:
            leaders[a.grid.code] = a.user
    if not workers:  # no assignments yet: the grid workers by their scope
        for u in User.objects.filter(role_assignments__role=Role.GRID_WORKER, scope_area__code__startswith=town,
                                     is_active=True).select_related("scope_area"):
            workers[u.scope_area.code].append(u)  # type: ignore[union-attr]
    village_staff = {u.scope_area.code: u for u in User.objects.filter(  # type: ignore[union-attr]
        role_assignments__role=Role.VILLAGE_STAFF, scope_area__code__startswith=town,
        is_active=True).select_related("scope_area")}
    departments, handlers = _handling_departments(plan, writer_hash)
    return People(dispatcher=dispatcher, supervisor=first(Role.SUPERVISOR) or dispatcher,
                  leader=first(Role.LEADER) or dispatcher, officer=first(Role.ENFORCEMENT_OFFICER),
                  workers=dict(workers), grid_leaders=leaders, village_staff=village_staff,
                  departments=departments, handlers=handlers)


def _handling_departments(plan: TownPlan, password_hash: str) -> tuple[dict[str, Department], dict[int, User]]:
    """Every handling department the categories name, in the town (a village's ``村（社区）`` is its service
    station), each with one staff member who handles what it is sent (``handler`` for the first town's
    sanitation station, ``h<town>-<n>`` otherwise)."""
    from zhenwu.grid.category_data import MINORS, SANITATION

    town = Area.objects.get(code=plan.code)
    wanted = list(dict.fromkeys(m.department for m in MINORS if m.department != "村（社区）"))
    departments = {n: people.department_upsert(area=town, name=n, kind=DepartmentKind.STATION) for n in wanted}
    for station in Department.objects.filter(area__code__startswith=plan.code, area__level=AreaLevel.VILLAGE):
        departments[f"village:{station.area.code}"] = station
    writer = people.AccountWriter(plan, {}, {}, random.Random(f"zhenwu-demo/grid-handlers-{plan.index}"),
                                  password_hash)
    prefix = people.username_prefix(plan)
    handlers: dict[int, User] = {}
    for i, (name, dept) in enumerate(sorted(departments.items())):
        if name.startswith("village:"):
            code = name.split(":", 1)[1]
            user = (User.objects.filter(department=dept, is_active=True).order_by("pk").first()
                    or User.objects.filter(role_assignments__role=Role.GRID_LEADER, scope_area__code__startswith=code)
                    .order_by("pk").first())
            if user is not None:
                handlers[dept.pk] = user
            continue
        username = f"{prefix}{HANDLER_ACCOUNT}" if name == SANITATION else f"h{plan.code}-{i:02d}"
        handlers[dept.pk] = writer.staff(username, ordinal=60_000 + i, roles=[Role.ENFORCEMENT_OFFICER], scope=town,
                                         department=dept)
    for name, dept in departments.items():  # a village without staff: the town's enforcement squad answers
        if dept.pk not in handlers:
            departments[name] = departments[names_enforce()]
    return departments, handlers


def handler_login(plan: TownPlan) -> people.DemoLogin:
    return people.DemoLogin(f"{people.username_prefix(plan)}{HANDLER_ACCOUNT}", people.DEMO_PASSWORD,
                            Role.ENFORCEMENT_OFFICER, people.label_zh(_("Handling department staff")),
                            plan.name)


def _photos() -> list[str]:
    """A dozen stand-in photos, stored once as content-addressed attachments."""
    colours = [(200, 60 + 15 * i, 40 + 10 * i) for i in range(12)]
    return [attachment_store(actor=None, data=_png(c)).sha256 for c in colours]


# ---------------------------------------------------------------- writing


def _write_incidents(drafts: list[IncidentDraft], now: dt.datetime) -> None:
    cases = cases_bulk_write([d.case for d in drafts], now=now)
    for d, case in zip(drafts, cases, strict=True):
        d.row.case = case
        d.row.area_code = case.area_code
        queue_columns(d.row, case)  # status, is_open and the running clock, as the services keep them
        if d.merged_into is not None:
            d.row.merged_into = d.merged_into.row
    with bulk.explicit_timestamps((Incident, "created_at")):
        bulk.insert(Incident, [d.row for d in drafts])
    extensions = []
    for d in drafts:
        if d.extension is not None:
            d.extension.incident = d.row
            extensions.append(d.extension)
    bulk.insert(IncidentExtension, extensions)
    ids = dict(Attachment.objects.filter(sha256__in={h for d in drafts for h in d.photos}).values_list("sha256", "pk"))
    with bulk.explicit_timestamps((CaseAttachment, "uploaded_at")):
        bulk.insert(CaseAttachment, [CaseAttachment(case=d.row.case, attachment_id=ids[h], name=f"{h[:12]}.png",
                                                    uploaded_by=None, uploaded_at=d.case.created_at)
                                     for d in drafts for h in dict.fromkeys(d.photos)])


def incidents_generate(gen: Generator, count: int) -> dict[str, int]:
    categories = list(Category.objects.filter(parent__isnull=False, active=True, current_version__isnull=False)
                      .select_related("current_version").order_by("code"))
    cum = list(itertools.accumulate(CATEGORY_WEIGHTS.get(c.code, 1.0) for c in categories))
    drafts: list[IncidentDraft] = []
    seconds: list[tuple[IncidentDraft, IncidentDraft]] = []  # (second report, the incident it repeats)
    recent: dict[str, list[IncidentDraft]] = defaultdict(list)
    for day in gen.incident_days(count):
        d = gen.incident(day, categories, cum)
        pool = recent[d.row.category.code]
        pool[:] = [p for p in pool[-20:] if p.finished_at is None or p.finished_at > d.case.created_at]
        if pool and gen.rng.random() < 0.08:  # a second report of an incident still open: merged into it
            target = pool[-1]
            d.case.area_code = target.case.area_code
            d.row.lng = round(target.row.lng + gen.rng.uniform(-0.0002, 0.0002), 6)  # type: ignore[operator]
            d.row.lat = round(target.row.lat + gen.rng.uniform(-0.0002, 0.0002), 6)  # type: ignore[operator]
            seconds.append((d, target))
            continue
        gen.history(d)
        drafts.append(d)
        pool.append(d)
    _write_incidents(drafts, gen.now)
    numbers = {id(d): d.row.case.number for d in drafts}
    for d, target in seconds:
        if target.finished_at is None or target.finished_at > d.case.created_at:
            gen.merge_into(d, target, numbers[id(target)])
    _write_incidents([d for d, _t in seconds], gen.now)
    return {"incidents": len(drafts) + len(seconds)}


def disputes_generate(gen: Generator, count: int) -> int:
    rng = gen.rng
    residents: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for pk, area, name, mobile in Resident.objects.filter(area_code__startswith=gen.plan.code).values_list(
            "pk", "area_code", "name", "mobile").order_by("pk"):
        residents[area].append((pk, name, mobile or ""))
    drafts: list[tuple[CaseDraft, Dispute, list[DisputeParty], list[tuple[MediationSession, list[User]]]]] = []
    kinds = [k for k, _w in DISPUTE_KINDS]
    weights = [w for _k, w in DISPUTE_KINDS]
    for day in sorted(gen.incident_days(count)):
        grid = rng.choice(gen.grids).code
        worker = gen.worker(grid)
        kind = rng.choices(kinds, weights=weights)[0]
        filed = gen.day_moment(day, 8 * 60, 18 * 60)
        if filed > gen.now:
            filed = gen.now - dt.timedelta(minutes=rng.randint(1, 90))
        text = DISPUTE_TEXT[kind]
        pool = residents.get(grid) or [(0, names.person_name(rng), "")]
        parties = []
        for role in ("applicant", "respondent"):
            pk, name, mobile = rng.choice(pool)
            parties.append(DisputeParty(role=role, resident_id=pk or None, name=name, mobile=mobile[:11]))
        case = CaseDraft(kind=dp.KIND, process=dp.PROCESS, area_code=grid,
                         title=f"{translation_label(kind)} {parties[0].name}"[:200], actor=worker, created_at=filed,
                         town_code=gen.plan.code, reason=text[:500], deadline=dp.level_deadline("grid"))
        risk = rng.choices(("low", "medium", "high"), weights=(70, 25, 5))[0]
        row = Dispute(grid_id=gen_area_id(grid), kind=kind, risk=risk, level="grid", description=text,
                      created_by=worker, created_at=filed, occurred_on=timezone.localdate(filed))
        sessions: list[tuple[MediationSession, list[User]]] = []
        _dispute_history(gen, case, row, sessions, grid, worker)
        drafts.append((case, row, parties, sessions))
    written = cases_bulk_write([c for c, *_rest in drafts], now=gen.now)
    for (_c, row, _parties, _sessions), made in zip(drafts, written, strict=True):
        row.case = made
    with bulk.explicit_timestamps((Dispute, "created_at"), (MediationSession, "created_at")):
        bulk.insert(Dispute, [row for _c, row, _p, _s in drafts])
        for _c, row, parties, sessions in drafts:
            for p in parties:
                p.dispute = row
            for s, _m in sessions:
                s.dispute = row
        bulk.insert(DisputeParty, [p for _c, _r, parties, _s in drafts for p in parties])
        bulk.insert(MediationSession, [s for _c, _r, _p, sessions in drafts for s, _m in sessions])
    through = MediationSession.mediators.through
    bulk.insert(through, [through(mediationsession_id=s.pk, user_id=u.pk)
                          for _c, _r, _p, sessions in drafts for s, mediators in sessions for u in mediators])
    return len(drafts)


_AREA_IDS: dict[str, int] = {}  # area code → id for one run; cleared by grid_generate (areas are rewritten)


def gen_area_id(code: str) -> int:
    if code not in _AREA_IDS:
        _AREA_IDS.update(Area.objects.filter(code__startswith=code[:9]).values_list("code", "pk"))
    return _AREA_IDS[code]


def translation_label(kind: str) -> str:
    from zhenwu.grid.choices_disputes import DisputeKind

    with translation.override("zh-hans"):
        return str(DisputeKind(kind).label)


def _dispute_history(gen: Generator, case: CaseDraft, row: Dispute, sessions: list[tuple[MediationSession, list[User]]],
                     grid: str, worker: User) -> None:
    rng, now, staff = gen.rng, gen.now, gen.staff
    at = case.created_at
    level = "grid"
    fate = rng.random()
    # most settle at the grid; some go up to the village, a few to the town; a few are referred; a few withdrawn
    climbs = 0 if fate < 0.72 else 1 if fate < 0.9 else 2
    for i in range(climbs + 1):
        answer = worker if level == "grid" else gen.village_hand(grid) if level == "village" else staff.dispatcher
        held = at + dt.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 6))
        if held > now:
            return
        last = i == climbs
        result = ("agreed" if last and fate < 0.96 else "failed") if (last or rng.random() < 0.8) else "continued"
        minutes = f"组织双方当事人调解，{('达成一致' if result == 'agreed' else '未达成一致')}"
        place = f"{gen.plan.get(grid[:12]).name}调解室"
        session = MediationSession(held_on=timezone.localdate(held), place=place, level=level, minutes=minutes,
                                   result=result, recorded_by=answer, created_at=held)
        sessions.append((session, [answer]))
        case.steps.append(NoteDraft(dp.SESSION_NOTE, held, answer, reason=minutes[:500], data={
            "held_on": timezone.localdate(held).isoformat(), "place": place, "result": result, "level": level,
            "mediators": [answer.pk]}))
        at = held + dt.timedelta(hours=rng.randint(1, 30))
        if at > now:
            return
        if not last:
            nxt = "village" if level == "grid" else "town"
            reason = "本级调解不成，上报上级调解"
            case.steps.append(StepDraft(dp.ESCALATE, at, answer, reason=reason,
                                        fields={"reason": reason, "from_level": level, "to_level": nxt},
                                        deadline=dp.level_deadline(nxt)))
            level = row.level = nxt
            continue
        if fate >= 0.985:
            reason = "当事人已自行和解，撤回申请"
            case.steps.append(StepDraft(dp.WITHDRAW, at, answer, reason=reason, fields={"reason": reason}))
            row.outcome, row.decided_at = "withdrawn", at
            return
        if result == "agreed":
            agreement = "双方自愿达成如下协议：……（调解协议书）"
            case.steps.append(StepDraft(dp.SETTLE, at, answer, fields={"agreement": agreement}))
            row.outcome, row.agreement, row.decided_at = "settled", agreement, at
        else:  # 调解不成 at the town: referred to the court or the county's centre
            if level != "town":
                return
            target = rng.choice(("court", "centre"))
            reason = "经多次调解双方分歧较大，调解不成"
            case.steps.append(StepDraft(dp.REFER, at, staff.dispatcher, reason=reason,
                                        fields={"referral_to": target, "reason": reason}))
            row.outcome, row.referral_to, row.referral_reason, row.decided_at = "referred", target, reason, at
        back = at + dt.timedelta(days=rng.randint(3, 12))
        if back > now:
            return
        record = "回访当事人，协议履行良好" if row.outcome == "settled" else "回访当事人，已告知后续途径"
        case.steps.append(StepDraft(dp.FOLLOW_UP, back, worker, reason=record, fields={"record": record}))
        row.follow_up, row.followed_up_at, row.followed_up_by = record, back, worker
        return


def visits_generate(gen: Generator) -> int:
    """Every household visited by its grid worker about monthly over the last ``VISIT_DAYS`` days (9:00–17:30)."""
    rng = gen.rng
    rows: list[Visit] = []
    today = timezone.localdate(gen.now)
    start = today - dt.timedelta(days=VISIT_DAYS)
    for pk, area in Household.objects.filter(area_code__startswith=gen.plan.code).values_list(
            "pk", "area_code").order_by("pk"):
        grid = area if area in gen.staff.workers else next((g for g in gen.staff.workers if area.startswith(g)), None)
        if grid is None:
            continue
        day = start + dt.timedelta(days=rng.randint(0, VISIT_EVERY_DAYS[1]))
        worker = gen.worker(grid)
        while day <= today:
            at = _local(day, rng.randint(9 * 60, 17 * 60 + 30))
            if at <= gen.now:
                rows.append(bulk_insert.instance(Visit, {  # type: ignore[arg-type]
                    "worker_id": worker.pk, "target_kind": "household", "household_id": pk,
                    "grid_id": gen_area_id(grid), "area_code": area, "record": rng.choice(VISIT_RECORDS),
                    "photos": [], "visited_at": at, "client_key": "", "request_digest": "", "created_at": at}))
            day += dt.timedelta(days=rng.randint(*VISIT_EVERY_DAYS))
    with bulk.explicit_timestamps((Visit, "created_at")):
        bulk.insert(Visit, rows)
    return len(rows)


def grid_exists(town_code: str) -> bool:
    return Case.objects.filter(kind=ip.KIND, town_code=town_code).exists()


@transaction.atomic
def grid_generate(*, plan: TownPlan, seed: int, scale: float, password_hash: str,
                  now: dt.datetime | None = None) -> dict[str, int]:
    """Write the town's year of incidents, disputes and visits (categories loaded first); nothing when
    the town already has incidents (kept)."""
    categories_load()
    _AREA_IDS.clear()  # a reset or another seed rewrites the areas: ids from an earlier run are stale
    now = now or timezone.now()
    staff = _staff(plan, password_hash)
    if grid_exists(plan.code):
        return {}
    gen = Generator(plan=plan, seed=seed, staff=staff, now=now, photos=_photos())
    counts = incidents_generate(gen, max(20, round(FULL_INCIDENTS * scale)))
    counts["disputes"] = disputes_generate(gen, max(6, round(FULL_DISPUTES * scale)))
    counts["visits"] = visits_generate(gen)
    return counts


def grid_wipe(area_prefix: str) -> int:
    """Delete the demo's incidents and disputes under ``area_prefix`` with their rows, chains and counters,
    and the visits there (the demo reset)."""
    prefix = area_prefix[:9]
    cases = Case.objects.filter(kind__in=(ip.KIND, dp.KIND), town_code__startswith=prefix)
    Visit.objects.filter(area_code__startswith=prefix).delete()
    incidents = Incident.objects.filter(case__in=cases)
    incidents.exclude(merged_into=None).delete()
    IncidentExtension.objects.filter(incident__in=incidents).delete()
    incidents.delete()
    Dispute.objects.filter(case__in=cases).delete()
    with audit_maintenance(reason="the demo reset deletes the demo's own chains"):
        AuditEntry.objects.filter(case__in=cases).delete()
    for model in (CasePause, CaseAttachment, CaseHandoff):
        model.objects.filter(case__in=cases).delete()  # type: ignore[attr-defined]
    count = cases.delete()[0]
    CaseCounter.objects.filter(kind__in=(ip.KIND, dp.KIND), town_code__startswith=prefix).delete()
    return count


def grid_build(*, plan: TownPlan, seed: int, scale: float, password_hash: str,
               progress: Callable[..., None]) -> dict[str, int]:
    """The demo step (after the hall's applications)."""
    counts = grid_generate(plan=plan, seed=seed, scale=scale, password_hash=password_hash)
    if counts:
        progress(_("Town %(code)s: %(incidents)d grid incidents, %(disputes)d disputes and %(visits)d visits "
                   "written (%(seconds).1f s)"), code=plan.code, **counts)
    else:
        progress(_("Town %(code)s: grid incidents already there, kept (%(seconds).1f s)"), code=plan.code)
    return counts
