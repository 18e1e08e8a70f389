"""The demo town's people, generated in memory (no database): households and their members.

Pure and seeded: `plan_people(plan, targets, rng)` returns the same households, names, ID numbers
and points for the same plan, targets and generator state. Every row lies strictly inside its
level-2 grid, and every resident lives at the household's point.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from zhenwu.areas.choices import AreaLevel
from zhenwu.demo import names, regions
from zhenwu.demo.points import points_in
from zhenwu.demo.targets import FLOATING_KINDS, PERMANENT_KINDS, TownTargets
from zhenwu.demo.tree import TownPlan
from zhenwu.registry.choices import CareTag, HouseholdKind, Relation, ResidentStatus

REFERENCE_DATE = datetime.date(2026, 6, 30)  # "today" of the demo data: fixed, so runs agree
FAMILY_SIZES = (0.14, 0.24, 0.21, 0.18, 0.12, 0.07, 0.03, 0.01)  # 1–8 persons, before the nudges
COLLECTIVE_SHARE = 0.5  # of floating residents living in factory dormitories
SEQ_BLOCK = 45  # ID sequence codes per town: towns never share an ID number
# Member slots after the head and the spouse, in the order a household fills them.
FILL_ORDER = (Relation.CHILD, Relation.CHILD, Relation.PARENT, Relation.PARENT, Relation.GRANDCHILD,
              Relation.CHILD, Relation.GRANDCHILD, Relation.SIBLING)
# Per-person care-tag chances by status and age; 独居老人 and 低保 are decided per household.
TAG_RATES: tuple[tuple[str, float, int, int], ...] = (
    (CareTag.DISABLED, 0.045, 0, 120), (CareTag.YOUTH, 0.006, 12, 25), (CareTag.PARTY, 0.08, 18, 120),
    (CareTag.SEVERE_ILLNESS, 0.012, 40, 120), (CareTag.LEFT_BEHIND_CHILD, 0.05, 0, 15),
)
# A relative's age relative to the head's (years).
AGE_OFFSETS: dict[str, tuple[int, int]] = {Relation.PARENT: (22, 32), Relation.GRANDCHILD: (-60, -46),
                                           Relation.CHILD: (-34, -22)}
VETERAN_RATE, DIBAO_RATE, TEKUN_RATE = 0.04, 0.022, 0.06
MOBILE_PREFIXES = ("30", "31", "32", "33", "34", "57", "77", "80", "81", "82", "83", "84", "85", "86",
                   "89", "98", "99")  # disjoint from the account mobiles (identity.MOBILE_PREFIXES)


@dataclass(slots=True)
class Person:
    """One resident to write."""

    id_number: str
    name: str
    birth_date: datetime.date
    sex: str
    relation: str
    status: str
    age: int
    mobile: str = ""
    arrival_date: datetime.date | None = None
    origin: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class HouseholdRow:
    """One household to write, with its members (the head first)."""

    number: str
    address: str
    kind: str
    grid_code: str
    lng: float
    lat: float
    members: list[Person] = field(default_factory=list)


@dataclass
class GridSlot:
    """A level-2 grid as the generators need it: its shape, village and village groups."""

    code: str
    village: str
    shape: object
    groups: list[int]
    is_park: bool
    houses: dict[int, int] = field(default_factory=dict)  # last house number per group

    def address(self, town: str, rng: random.Random) -> str:
        """「丹湖镇东塘村三组18号」, or a road address in the agricultural park."""
        group = rng.choice(self.groups)
        self.houses[group] = self.houses.get(group, 0) + rng.randint(1, 3)
        if self.is_park:
            return f"{town}{self.village}{names.PARK_ROADS[group % len(names.PARK_ROADS)]}路{self.houses[group]}号"
        return f"{town}{self.village}{names.cn_number(group)}组{self.houses[group]}号"


def grid_slots(plan: TownPlan, rng: random.Random) -> list[GridSlot]:
    """The town's level-2 grids, each covering 3–4 consecutive village groups."""
    slots: list[GridSlot] = []
    for village in plan.of_level(AreaLevel.VILLAGE):
        group = 0
        for grid in plan.children(f"{village.code}001", AreaLevel.GRID2):
            count = rng.randint(3, 4)
            slots.append(GridSlot(grid.code, village.name, grid.shape, list(range(group + 1, group + count + 1)),
                                  village.name == names.PARK_NAME))
            group += count
    return slots


def numpy_gen(rng: random.Random) -> np.random.Generator:
    """A numpy generator seeded from (and advancing) the step's random.Random."""
    return np.random.default_rng(rng.getrandbits(64))


def allocate(total: int, weights: list[float], gen: np.random.Generator) -> list[int]:
    """`total` items over bins in proportion to `weights` (multinomial: sums exactly)."""
    p = np.asarray(weights, dtype=float)
    return [int(c) for c in gen.multinomial(total, p / p.sum())]


def exact_sizes(count: int, total: int, low: int, high: int, gen: np.random.Generator,
                probs: tuple[float, ...] = ()) -> list[int]:
    """`count` sizes in [low, high] summing to `total`: a random draw (uniform, or `probs` for
    low, low + 1, …), then ±1 nudges until it adds up."""
    if count == 0:
        return []
    if probs:
        sizes = low + gen.choice(len(probs), size=count, p=np.asarray(probs) / sum(probs))
    else:
        sizes = gen.integers(low, high + 1, size=count)
    total = min(max(total, count * low), count * high)
    while (diff := total - int(sizes.sum())) != 0:
        room = np.flatnonzero(sizes < high) if diff > 0 else np.flatnonzero(sizes > low)
        pick = gen.choice(room, size=min(abs(diff), len(room)), replace=False)
        sizes[pick] += 1 if diff > 0 else -1
    return [int(s) for s in sizes]


# --- people ---------------------------------------------------------------------------------------

class PersonMaker:
    """Names, birth dates and unique ID numbers of one town."""

    def __init__(self, rng: random.Random, town_index: int) -> None:
        self.rng = rng
        self.used: set[str] = set()
        first = town_index * SEQ_BLOCK + 1
        self.seqs = {True: [s for s in range(first, first + SEQ_BLOCK) if s % 2],
                     False: [s for s in range(first, first + SEQ_BLOCK) if not s % 2]}

    def birth(self, age: int) -> datetime.date:
        last = REFERENCE_DATE.toordinal() - int(age * 365.25)
        return datetime.date.fromordinal(last - self.rng.randrange(365))

    def id_number(self, region: str, born: datetime.date, male: bool) -> str:
        """A unique 居民身份证号: the sequence code's parity gives the sex (odd = male)."""
        while True:
            body = f"{region}{born:%Y%m%d}{self.rng.choice(self.seqs[male]):03d}"
            number = body + _check_digit(body)
            if number not in self.used:
                self.used.add(number)
                return number

    def person(self, *, age: int, male: bool, surname: str, relation: str, status: str,
               province: int | None = None) -> Person:
        """A resident; a floating one comes from `province` (an index into regions.ORIGINS)."""
        age = max(0, min(age, 104))
        born = self.birth(age)
        region = (_home_region(self.rng, status, born.year) if province is None
                  else regions.origin_region(self.rng, province, born.year))
        return Person(self.id_number(region.code, born, male), surname + names.given_name(self.rng, male=male),
                      born, "M" if male else "F", relation, status, age,
                      origin=region.name if status != ResidentStatus.REGISTERED else "")


def _check_digit(body: str) -> str:
    """GB 11643 check character (ISO 7064 MOD 11-2), as stdnum computes it."""
    checksum = (1 - 2 * int(body, 13)) % 11
    return "X" if checksum == 10 else str(checksum)


def _home_region(rng: random.Random, status: str, year: int) -> regions.Region:
    if status == ResidentStatus.REGISTERED:
        return regions.local_region(year)
    return regions.province_region(rng, year)


def family(maker: PersonMaker, size: int, status: str) -> list[Person]:
    """A household of `size` permanent residents: head, spouse, then children, parents, grandchildren."""
    rng = maker.rng
    head_age = int(rng.triangular(24, 90, 55)) if size > 1 else int(rng.triangular(25, 95, 75))
    male = rng.random() < 0.75
    surname = names.weighted_surname(rng)
    members = [maker.person(age=head_age, male=male, surname=surname, relation=Relation.HEAD, status=status)]
    if size > 1 and rng.random() < 0.92:
        members.append(maker.person(age=head_age + rng.randint(-4, 4), male=not male, status=status,
                                    surname=names.weighted_surname(rng), relation=Relation.SPOUSE))
    for relation in FILL_ORDER:
        if len(members) >= size:
            break
        members.append(_relative(maker, relation, head_age, surname, status))
    while len(members) < size:
        members.append(_relative(maker, Relation.OTHER, head_age, surname, status))
    return members


def _relative(maker: PersonMaker, relation: str, head_age: int, surname: str, status: str) -> Person:
    rng = maker.rng
    if relation == Relation.PARENT and head_age > 62:
        relation = Relation.GRANDCHILD  # the head's parents are no longer alive: a grandchild instead
    if relation == Relation.GRANDCHILD and head_age < 46:
        relation = Relation.CHILD
    low, high = AGE_OFFSETS.get(relation, (-10, 10))
    age = max(0, head_age + rng.randint(low, high))
    own_surname = relation in (Relation.PARENT, Relation.OTHER) and rng.random() < 0.5
    return maker.person(age=age, male=rng.random() < 0.5, relation=relation, status=status,
                        surname=names.weighted_surname(rng) if own_surname else surname)


def tenants(maker: PersonMaker, size: int, kind: str) -> list[Person]:
    """Floating residents of a rental house or dormitory: a head (with family) and other tenants."""
    rng, members = maker.rng, list[Person]()
    while len(members) < size:
        province = regions.origin_province(rng)
        age = int(rng.triangular(18, 60, 32))
        relation = Relation.HEAD if not members else (Relation.TENANT if kind == HouseholdKind.RENTAL
                                                       else Relation.OTHER)
        surname, male = names.weighted_surname(rng), rng.random() < 0.6
        members.append(_floating(maker, age, male, surname, relation, province))
        if relation == Relation.HEAD and size > 2 and kind == HouseholdKind.RENTAL and rng.random() < 0.5:
            members.append(_floating(maker, age + rng.randint(-3, 3), not male, names.weighted_surname(rng),
                                     Relation.SPOUSE, province))
            if len(members) < size and age >= 26:
                members.append(_floating(maker, rng.randint(0, age - 22), rng.random() < 0.5, surname,
                                         Relation.CHILD, province))
    return members[:size]


def _floating(maker: PersonMaker, age: int, male: bool, surname: str, relation: str, province: int) -> Person:
    rng = maker.rng
    person = maker.person(age=age, male=male, surname=surname, relation=relation,
                          status=ResidentStatus.FLOATING, province=province)
    stay = rng.randint(7, min(8 * 365, max(7, (REFERENCE_DATE - person.birth_date).days)))
    person.arrival_date = REFERENCE_DATE - datetime.timedelta(days=stay)
    return person


def tag(rng: random.Random, household: HouseholdRow) -> None:
    """Care tags at plausible rates; 独居老人 and 低保 follow from the household."""
    permanent = household.kind in PERMANENT_KINDS
    dibao = permanent and rng.random() < DIBAO_RATE
    alone = permanent and len(household.members) == 1 and household.members[0].age >= 65
    for person in household.members:
        tags = [t for t, rate, lo, hi in TAG_RATES if lo <= person.age <= hi and rng.random() < rate
                and (permanent or t in (CareTag.PARTY, CareTag.DISABLED))]
        if person.sex == "M" and 20 <= person.age <= 80 and rng.random() < VETERAN_RATE:
            tags.append(CareTag.VETERAN)
        if dibao:
            tags.append(CareTag.DIBAO)
        if alone:
            tags.append(CareTag.ELDERLY_ALONE)
            if rng.random() < TEKUN_RATE:
                tags.append(CareTag.TEKUN)
        person.tags = tags


def resident_mobile(town_number: int, k: int) -> str:
    """The k-th mobile number of a town's base data: unique per (town, k) for k < 10⁶, scattered."""
    prefix = MOBILE_PREFIXES[k % len(MOBILE_PREFIXES)]
    return f"1{prefix}{town_number - 100:02d}{(k * 7919 + 13) % 1_000_000:06d}"


def give_mobiles(rng: random.Random, households: list[HouseholdRow], town_number: int) -> int:
    """Most adults have a mobile (fewer of the very old); numbers are unique in the town."""
    k = 0
    for person in (p for h in households for p in h.members):
        if person.age >= 16 and rng.random() < (0.55 if person.age >= 80 else 0.96):
            person.mobile = resident_mobile(town_number, k)
            k += 1
    return k


# --- the town -------------------------------------------------------------------------------------

def plan_people(plan: TownPlan, targets: TownTargets, rng: random.Random,
                slots: list[GridSlot]) -> list[HouseholdRow]:
    """All households of the town with their members, located in their level-2 grids."""
    gen = numpy_gen(rng)
    kinds = [k for k, n in targets.household_kinds.items() for _ in range(n)]
    rng.shuffle(kinds)
    weights = [rng.uniform(0.7, 1.3) * (0.25 if s.is_park else 1.0) for s in slots]
    per_grid = allocate(targets.households, weights, gen)
    sizes = _sizes(targets, gen)
    maker = PersonMaker(rng, plan.index)
    households: list[HouseholdRow] = []
    kind_iter = iter(kinds)
    for slot, count in zip(slots, per_grid, strict=True):
        for seq, (lng, lat) in enumerate(points_in(slot.shape, count, gen), start=1):
            kind = next(kind_iter)
            row = HouseholdRow(f"{slot.code}{seq:04d}", slot.address(plan.name, rng), kind, slot.code,
                               float(lng), float(lat))
            row.members = _members(maker, kind, next(sizes[kind]))
            tag(rng, row)
            households.append(row)
    give_mobiles(rng, households, plan.number)
    return households


def _sizes(targets: TownTargets, gen: np.random.Generator) -> dict[str, Iterator[int]]:
    """Household sizes per kind, adding up exactly to the permanent and floating targets."""
    k = targets.household_kinds
    permanent = sum(k[x] for x in PERMANENT_KINDS)
    collective = max(k[HouseholdKind.COLLECTIVE], round(targets.floating * COLLECTIVE_SHARE))
    collective = min(collective, targets.floating - k[HouseholdKind.RENTAL])
    perm = exact_sizes(permanent, targets.permanent, 1, 8, gen, FAMILY_SIZES)
    out: dict[str, Iterator[int]] = {}
    start = 0
    for kind in PERMANENT_KINDS:
        out[kind] = iter(perm[start:start + k[kind]])
        start += k[kind]
    out[HouseholdKind.RENTAL] = iter(exact_sizes(k[HouseholdKind.RENTAL], targets.floating - collective, 1, 14, gen))
    out[HouseholdKind.COLLECTIVE] = iter(exact_sizes(k[HouseholdKind.COLLECTIVE], collective, 1, 200, gen))
    return out


def _members(maker: PersonMaker, kind: str, size: int) -> list[Person]:
    if kind in FLOATING_KINDS:
        return tenants(maker, size, kind)
    status = ResidentStatus.PERMANENT if kind == HouseholdKind.RESIDENT else ResidentStatus.REGISTERED
    return family(maker, size, status)


__all__ = ["FLOATING_KINDS", "GridSlot", "HouseholdRow", "Person", "grid_slots", "plan_people"]
