"""The demo area tree: plan a town's areas (pure, seeded) and write them idempotently."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from zhenwu.areas.choices import AreaLevel, SpecialKind
from zhenwu.areas.models import Area
from zhenwu.areas.services import area_create, area_update
from zhenwu.demo import geometry as geo
from zhenwu.demo import names

VILLAGES = 11  # plus one agricultural park: 12 level-1 grids
GRID2_TOTAL = 49
SCHOOL_SEGMENT = "901"
HOSPITAL_SEGMENT = "902"


@dataclass(frozen=True)
class AreaSpec:
    """One area to write: what `area_create` takes, with the parent named by code."""

    code: str
    name: str
    level: str
    parent_code: str | None
    shape: BaseGeometry
    special_kind: str = ""

    @property
    def geojson(self) -> dict[str, Any]:
        return geo.to_geojson(self.shape)


@dataclass
class TownPlan:
    """Everything geometric and named about one demo town, before anything is written."""

    index: int
    code: str
    name: str
    areas: list[AreaSpec] = field(default_factory=list)
    seat_village: str = ""  # code of the village holding the town seat (school, hospital, staff)

    @property
    def number(self) -> int:
        return int(self.code[-3:])

    def of_level(self, level: str) -> list[AreaSpec]:
        return [a for a in self.areas if a.level == level]

    def get(self, code: str) -> AreaSpec:
        return next(a for a in self.areas if a.code == code)

    def children(self, code: str, level: str) -> list[AreaSpec]:
        return [a for a in self.areas if a.parent_code == code and a.level == level]


def town_rng(seed: int, index: int) -> random.Random:
    """One generator per town, so town k is the same whether 1 or 10 towns are built."""
    return random.Random(f"zhenwu-demo/{seed}/town-{index}")


def town_code(index: int) -> str:
    return f"{names.COUNTY_CODE}{names.FIRST_TOWN_NUMBER + index:03d}"


def plan_town(*, seed: int, index: int) -> TownPlan:
    """Outline, 12 villages (11 + the park) each with one level-1 grid, 49 level-2 grids, 2 special grids."""
    rng = town_rng(seed, index)
    plan = TownPlan(index=index, code=town_code(index), name=names.town_name(index))
    outline = geo.town_polygon(rng, centre=geo.town_centre(index), area_km2=rng.uniform(89.5, 94.5))
    plan.areas.append(AreaSpec(plan.code, plan.name, AreaLevel.TOWN, names.COUNTY_CODE, outline))
    cells = geo.tessellate(outline, VILLAGES + 1, rng)
    splits = _grid2_counts([c.area for c in cells])
    for number, (cell, village) in enumerate(zip(cells, _village_names(rng), strict=True), start=201):
        _plan_village(plan, rng, f"{plan.code}{number}", village, cell, splits.pop(0))
    plan.seat_village = _nearest_village(plan, outline)
    _plan_special_grids(plan, rng)
    return plan


def _village_names(rng: random.Random) -> list[str]:
    """Eleven villages and the park, the park at a random position of the ring."""
    villages = names.village_names(rng)
    villages.insert(rng.randrange(VILLAGES + 1), names.PARK_NAME)
    return villages


def _grid2_counts(areas: list[float]) -> list[int]:
    """4 level-2 grids per village, 5 for the largest ones, summing to exactly GRID2_TOTAL."""
    extra = GRID2_TOTAL - 4 * len(areas)
    largest = sorted(range(len(areas)), key=lambda i: -areas[i])[:extra]
    return [5 if i in largest else 4 for i in range(len(areas))]


def _plan_village(plan: TownPlan, rng: random.Random, code: str, name: str, cell: Polygon,
                  grid2_count: int) -> None:
    grid1 = f"{code}001"
    plan.areas.append(AreaSpec(code, name, AreaLevel.VILLAGE, plan.code, cell))
    plan.areas.append(AreaSpec(grid1, names.grid1_name(name), AreaLevel.GRID1, code, cell))
    for number, sub in enumerate(geo.tessellate(cell, grid2_count, rng), start=1):
        plan.areas.append(AreaSpec(f"{grid1}{number:03d}", names.grid2_name(name, number),
                                   AreaLevel.GRID2, grid1, sub))


def _nearest_village(plan: TownPlan, outline: BaseGeometry) -> str:
    """The village (not the park) closest to the town's centre: the town seat."""
    centre = outline.representative_point() if not outline.contains(outline.centroid) else outline.centroid
    villages = [v for v in plan.of_level(AreaLevel.VILLAGE) if v.name != names.PARK_NAME]
    return min(villages, key=lambda v: v.shape.distance(centre)).code


def _plan_special_grids(plan: TownPlan, rng: random.Random) -> None:
    """A school and a hospital in the seat village, each straddling a level-2 grid border."""
    village = plan.get(plan.seat_village)
    grids = [g.shape for g in plan.children(f"{village.code}001", AreaLevel.GRID2)]
    sites = (
        (SCHOOL_SEGMENT, f"{plan.name}中心小学专属网格", SpecialKind.SCHOOL, 0, 380.0, 260.0),
        (HOSPITAL_SEGMENT, f"{plan.name}卫生院专属网格", SpecialKind.HOSPITAL, 1, 240.0, 200.0),
    )
    placed: list[BaseGeometry] = []
    for segment, name, kind, rank, width, depth in sites:
        shape = _free_site(rng, grids, village.shape, placed, rank=rank, width=width, depth=depth)
        placed.append(shape)
        plan.areas.append(AreaSpec(f"{village.code}{segment}", name, AreaLevel.SPECIAL, village.code,
                                   shape, special_kind=kind))


def _free_site(rng: random.Random, grids: list[Polygon], village: Polygon, placed: list[BaseGeometry], *,
               rank: int, width: float, depth: float) -> Polygon:
    """A compound on the rank-th longest grid border, moving to the next border while it overlaps
    an earlier one (special grids overlap regular grids, not each other)."""
    for r in range(rank, rank + 10):
        at = geo.shared_border_midpoint(grids, rank=r)
        shape = geo.site_polygon(rng, at=at, width_m=width, depth_m=depth, inside=village)
        if not any(shape.intersects(p) for p in placed):
            return shape
    raise ValueError("no free site for a special grid")


# --- writing ------------------------------------------------------------------------------------

def area_upsert(*, spec: AreaSpec, parent: Area | None) -> Area:
    """Create the area, or bring the existing one with this code up to date (areas' own services).

    An unchanged area is not written, so a second run with the same seed costs only reads.
    """
    geojson = spec.geojson
    area = Area.objects.filter(code=spec.code).first()
    if area is None:
        return area_create(code=spec.code, name=spec.name, level=spec.level, parent=parent,
                           geometry=geojson, special_kind=spec.special_kind)
    current = (area.name, area.level, area.geometry, area.special_kind, area.parent_id)
    if current != (spec.name, spec.level, geojson, spec.special_kind, parent.pk if parent else None):
        area_update(area=area, name=spec.name, level=spec.level, geometry=geojson,
                    special_kind=spec.special_kind)
    return area


def write_areas(specs: list[AreaSpec]) -> dict[str, Area]:
    """Write specs in order (parents before children); returns the areas by code."""
    written: dict[str, Area] = {}
    for spec in specs:
        parent = None
        if spec.parent_code:
            parent = written.get(spec.parent_code) or Area.objects.get(code=spec.parent_code)
        written[spec.code] = area_upsert(spec=spec, parent=parent)
    return written
