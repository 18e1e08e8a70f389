"""The demo town's enterprises, places and cameras, generated in memory (no database).

Pure and seeded like `population`. Factories and construction sites stand where their enterprise
is; rental houses where their rental household is; the central school and the health centre in
their special grids; everything else at a random point of a level-2 grid.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry

from zhenwu.areas.choices import AreaLevel, SpecialKind
from zhenwu.demo import identity, names
from zhenwu.demo.points import points_in
from zhenwu.demo.population import GridSlot, HouseholdRow, allocate, numpy_gen, resident_mobile
from zhenwu.demo.targets import TownTargets
from zhenwu.demo.tree import TownPlan
from zhenwu.registry.choices import HouseholdKind, OperatingStatus, PlaceKind, RiskLevel

ENTERPRISE_MOBILES = 600_000  # mobile ordinals of enterprises and places start here (residents below)
PLACE_MOBILES = 700_000
COMPANY_SHARE = 0.75  # the rest are individual businesses (个体工商户, USCC "92…")
STATUS_WEIGHTS: dict[str, int] = {OperatingStatus.OPERATING: 88, OperatingStatus.SUSPENDED: 5,
                  OperatingStatus.CANCELLED: 5, OperatingStatus.REVOKED: 2}
RISK_WEIGHTS: dict[str, int] = {RiskLevel.LOW: 70, RiskLevel.MEDIUM: 22, RiskLevel.HIGH: 8}
CAMERA_SYSTEMS = (("雪亮工程", 45), ("天网工程", 20), ("智慧城管", 15), ("平安乡村", 15), ("企业自建接入", 5))
CAMERA_SPOTS = ("路口", "村部", "桥头", "河道", "广场", "主干道", "停车场", "垃圾中转站", "菜场", "公交站")
CAMERAS_PER_SPECIAL_GRID = 4
SITE_PROJECTS = ("安置房", "农贸市场改造", "道路拓宽", "污水管网", "厂房扩建", "幼儿园新建", "河道整治")
VENUES = ("文化礼堂", "党群服务中心", "健身广场", "农家书屋")
OTHER_PLACES = ("垃圾中转站", "污水处理站", "加油站", "快递驿站", "废品收购站")
DISHES = ("土菜馆", "面馆", "饭店", "小吃", "烧烤", "羊肉馆")


@dataclass(slots=True)
class EnterpriseRow:
    uscc: str
    name: str
    legal_representative: str
    industry: str
    address: str
    operating_status: str
    risk_level: str
    abnormal_listed: bool
    complaint_count: int
    mobile: str
    grid_code: str
    lng: float
    lat: float
    manufacturing: bool = False
    builder: bool = False


@dataclass(slots=True)
class PlaceRow:
    kind: str
    name: str
    address: str
    grid_code: str
    lng: float
    lat: float
    enterprise: int | None = None  # index into the enterprises
    contact_name: str = ""
    contact_mobile: str = ""


@dataclass(slots=True)
class CameraRow:
    code: str
    name: str
    source_system: str
    stream_url: str
    grid_code: str
    lng: float
    lat: float


def person_name(rng: random.Random) -> str:
    male = rng.random() < 0.6
    return names.weighted_surname(rng) + names.given_name(rng, male=male)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- enterprises ----------------------------------------------------------------------------------

class CreditCodes:
    """Unique USCCs of one town: the organisation code starts with the town's index."""

    def __init__(self, rng: random.Random, town_index: int) -> None:
        self.rng, self.prefix, self.used = rng, f"{town_index:02d}", set[str]()

    def make(self, kind: str) -> str:
        while True:
            code = identity.credit_code(self.rng, region=names.COUNTY_CODE, kind=kind, org_prefix=self.prefix)
            if code not in self.used:
                self.used.add(code)
                return code


def plan_enterprises(plan: TownPlan, targets: TownTargets, rng: random.Random,
                     slots: list[GridSlot]) -> list[EnterpriseRow]:
    """Companies and individual businesses, many in the agricultural park and the town seat."""
    gen = numpy_gen(rng)
    weights = [(5.0 if s.is_park else 2.0 if s.code.startswith(plan.seat_village) else 1.0) for s in slots]
    codes, taken = CreditCodes(rng, plan.index), set[str]()
    rows: list[EnterpriseRow] = []
    for slot, count in zip(slots, allocate(targets.enterprises, weights, gen), strict=True):
        for lng, lat in points_in(slot.shape, count, gen):
            row = _enterprise(rng, plan, slot, codes, taken, len(rows))
            row.lng, row.lat = float(lng), float(lat)
            rows.append(row)
    return rows


def _enterprise(rng: random.Random, plan: TownPlan, slot: GridSlot, codes: CreditCodes, taken: set[str],
                ordinal: int) -> EnterpriseRow:
    company = rng.random() < COMPANY_SHARE
    stem = plan.name.removesuffix("镇")
    if company:
        trade, industry, manufacturing = rng.choice(names.TRADES)
        name = f"{stem}{rng.choice(names.FIRM_STEMS_FULL)}{trade}有限公司"
    else:
        trade, industry = rng.choice(names.SHOP_TRADES)
        manufacturing = False
        name = f"{stem}{slot.village.removesuffix('村')}{names.weighted_surname(rng)}记{trade}"
    name = _unique(name, taken)
    status = _weighted(rng, STATUS_WEIGHTS)
    abnormal = rng.random() < (0.35 if status != OperatingStatus.OPERATING else 0.02)
    complaints = int(min(rng.expovariate(1.6), 12)) if rng.random() < 0.3 else 0
    return EnterpriseRow(codes.make("91" if company else "92"), name, person_name(rng), industry,
                         slot.address(plan.name, rng), status, _weighted(rng, RISK_WEIGHTS), abnormal,
                         complaints, resident_mobile(plan.number, ENTERPRISE_MOBILES + ordinal), slot.code,
                         0.0, 0.0, manufacturing, trade == "建筑工程")


def _unique(name: str, taken: set[str]) -> str:
    """Two firms of one town never share a name: the second gets 「（二店）」 style suffixes."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}（{names.cn_number(n)}分店）" if not name.endswith("公司") else \
            name.replace("有限公司", f"{names.cn_number(n)}厂有限公司")
    taken.add(candidate)
    return candidate


# --- places ---------------------------------------------------------------------------------------

@dataclass
class PlaceContext:
    plan: TownPlan
    rng: random.Random
    gen: np.random.Generator
    slots: list[GridSlot]
    weights: list[float]

    def random_spot(self) -> tuple[GridSlot, float, float]:
        slot = self.slots[self.rng.choices(range(len(self.slots)), weights=self.weights)[0]]
        lng, lat = points_in(slot.shape, 1, self.gen)[0]
        return slot, float(lng), float(lat)

    def place(self, kind: str, name: str, **extra: object) -> PlaceRow:
        slot, lng, lat = self.random_spot()
        return PlaceRow(kind, name, slot.address(self.plan.name, self.rng), slot.code, lng, lat, **extra)  # type: ignore[arg-type]


def plan_places(plan: TownPlan, targets: TownTargets, rng: random.Random, slots: list[GridSlot],
                enterprises: list[EnterpriseRow], households: list[HouseholdRow]) -> list[PlaceRow]:
    """Places of every kind; the counts per kind are `targets.places`."""
    ctx = PlaceContext(plan, rng, numpy_gen(rng), slots, [0.3 if s.is_park else 1.0 for s in slots])
    rows: list[PlaceRow] = []
    for kind, count in targets.places.items():
        made = _PLACE_MAKERS[kind](ctx, count, enterprises, households)
        rows.extend(made[:count])
    for i, row in enumerate(rows):
        if not row.contact_mobile:
            row.contact_name = row.contact_name or person_name(rng)
            row.contact_mobile = resident_mobile(plan.number, PLACE_MOBILES + i)
    return rows


def _at_enterprises(ctx: PlaceContext, count: int, firms: list[tuple[int, EnterpriseRow]], kind: str,
                    suffix: str, fallback: str) -> list[PlaceRow]:
    chosen = ctx.rng.sample(firms, min(count, len(firms)))
    rows = [PlaceRow(kind, f"{e.name}{suffix}", e.address, e.grid_code, e.lng, e.lat, i, e.legal_representative,
                     e.mobile) for i, e in chosen]
    while len(rows) < count:
        rows.append(ctx.place(kind, f"{ctx.plan.name}{fallback}{names.cn_number(len(rows) + 1)}号"))
    return rows


def _factories(ctx: PlaceContext, count: int, ents: list[EnterpriseRow], _h: list[HouseholdRow]) -> list[PlaceRow]:
    firms = [(i, e) for i, e in enumerate(ents) if e.manufacturing and e.operating_status == OperatingStatus.OPERATING]
    return _at_enterprises(ctx, count, firms, PlaceKind.FACTORY, "厂区", "标准厂房")


def _sites(ctx: PlaceContext, count: int, ents: list[EnterpriseRow], _h: list[HouseholdRow]) -> list[PlaceRow]:
    rows = []
    builders = [i for i, e in enumerate(ents) if e.builder]
    for n in range(count):
        slot, lng, lat = ctx.random_spot()
        project = ctx.rng.choice(SITE_PROJECTS)
        rows.append(PlaceRow(PlaceKind.CONSTRUCTION_SITE, f"{slot.village}{project}项目工地{names.cn_number(n + 1)}",
                             slot.address(ctx.plan.name, ctx.rng), slot.code, lng, lat,
                             ctx.rng.choice(builders) if builders else None))
    return rows


def _rental_houses(ctx: PlaceContext, count: int, _e: list[EnterpriseRow], hh: list[HouseholdRow]) -> list[PlaceRow]:
    rentals = [h for h in hh if h.kind == HouseholdKind.RENTAL][:count]
    rows = [PlaceRow(PlaceKind.RENTAL_HOUSE, f"{h.address}出租房", h.address, h.grid_code, h.lng, h.lat)
            for h in rentals]
    while len(rows) < count:
        rows.append(ctx.place(PlaceKind.RENTAL_HOUSE, f"出租房{len(rows) + 1}"))
    for row in rows:
        row.name = row.name if row.name.endswith("出租房") else row.address + "出租房"
    return rows


def _special_site(ctx: PlaceContext, kind: str, special: str, name: str) -> PlaceRow:
    grid = next(a for a in ctx.plan.of_level(AreaLevel.SPECIAL) if a.special_kind == special)
    lng, lat = points_in(grid.shape, 1, ctx.gen)[0]
    seat = ctx.plan.get(ctx.plan.seat_village).name
    return PlaceRow(kind, name, f"{ctx.plan.name}{seat}", grid.code, float(lng), float(lat))


def _named(ctx: PlaceContext, kind: str, count: int, first: PlaceRow | None,
           pattern: tuple[str, ...]) -> list[PlaceRow]:
    rows = [first] if first else []
    while len(rows) < count:
        slot, lng, lat = ctx.random_spot()
        name = f"{slot.village}{pattern[len(rows) % len(pattern)]}"
        rows.append(PlaceRow(kind, _unique(name, {r.name for r in rows}), slot.address(ctx.plan.name, ctx.rng),
                             slot.code, lng, lat))
    return rows


def _schools(ctx: PlaceContext, count: int, _e: list[EnterpriseRow], _h: list[HouseholdRow]) -> list[PlaceRow]:
    central = _special_site(ctx, PlaceKind.SCHOOL, SpecialKind.SCHOOL, f"{ctx.plan.name}中心小学")
    return _named(ctx, PlaceKind.SCHOOL, count, central, ("幼儿园", "小学", "中学"))


def _hospitals(ctx: PlaceContext, count: int, _e: list[EnterpriseRow], _h: list[HouseholdRow]) -> list[PlaceRow]:
    centre = _special_site(ctx, PlaceKind.HOSPITAL, SpecialKind.HOSPITAL, f"{ctx.plan.name}卫生院")
    return _named(ctx, PlaceKind.HOSPITAL, count, centre, ("卫生室",))


def _generic(kind: str, pattern: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def make(ctx: PlaceContext, count: int, _e: list[EnterpriseRow], _h: list[HouseholdRow]) -> list[PlaceRow]:
        return _named(ctx, kind, count, None, pattern)
    return make


def _shops(kind: str, trades: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def make(ctx: PlaceContext, count: int, _e: list[EnterpriseRow], _h: list[HouseholdRow]) -> list[PlaceRow]:
        taken: set[str] = set()
        rows = []
        for _ in range(count):
            name = f"{names.weighted_surname(ctx.rng)}记{ctx.rng.choice(trades)}"
            rows.append(ctx.place(kind, _unique(name, taken)))
        return rows
    return make


_PLACE_MAKERS: dict[str, Any] = {
    PlaceKind.SHOP: _shops(PlaceKind.SHOP, tuple(t for t, i in names.SHOP_TRADES if i != "餐饮业")),
    PlaceKind.RENTAL_HOUSE: _rental_houses,
    PlaceKind.SCHOOL: _schools,
    PlaceKind.HOSPITAL: _hospitals,
    PlaceKind.FACTORY: _factories,
    PlaceKind.CONSTRUCTION_SITE: _sites,
    PlaceKind.RESTAURANT: _shops(PlaceKind.RESTAURANT, DISHES),
    PlaceKind.PUBLIC_VENUE: _generic(PlaceKind.PUBLIC_VENUE, VENUES),
    PlaceKind.OTHER: _generic(PlaceKind.OTHER, OTHER_PLACES),
}


# --- cameras --------------------------------------------------------------------------------------

def camera_code(plan: TownPlan, serial: int) -> str:
    """A 20-digit GB/T 28181-style device code: county, town, 00 (public security), 131 (camera), …"""
    return f"{plan.code[:6]}{plan.code[-2:]}00131{0}{plan.number:03d}{serial:03d}"


def plan_cameras(plan: TownPlan, targets: TownTargets, rng: random.Random, slots: list[GridSlot],
                 households: list[HouseholdRow]) -> list[CameraRow]:
    """Cameras along roads and at village centres, a few at each special grid. Stream URLs are
    loopback placeholders (rtsp://127.0.0.1/demo/…): the demo has no video."""
    gen = numpy_gen(rng)
    specials = plan.of_level(AreaLevel.SPECIAL)
    in_specials = min(targets.cameras, CAMERAS_PER_SPECIAL_GRID * len(specials)) if targets.cameras > 8 else 0
    homes = Counter(h.grid_code for h in households)
    per_slot = allocate(targets.cameras - in_specials, [homes[s.code] + 20.0 for s in slots], gen)
    spots: list[tuple[str, str, BaseGeometry, int]] = [
        (s.code, s.village, s.shape, n) for s, n in zip(slots, per_slot, strict=True)]
    spots += [(a.code, a.name.removesuffix("专属网格"), a.shape, in_specials // len(specials)) for a in specials
              if in_specials]
    systems = dict(CAMERA_SYSTEMS)
    rows: list[CameraRow] = []
    for code, label, shape, count in spots:
        for lng, lat in points_in(shape, count, gen):
            serial = len(rows) + 1
            device = camera_code(plan, serial)
            rows.append(CameraRow(device, f"{label}{rng.choice(CAMERA_SPOTS)}{serial:03d}", _weighted(rng, systems),
                                  f"rtsp://127.0.0.1/demo/{device}", code, float(lng), float(lat)))
    return rows

