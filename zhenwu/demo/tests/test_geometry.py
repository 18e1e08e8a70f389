"""The planned town: counts, sizes, containment, tiling and determinism (no database)."""

from __future__ import annotations

import hashlib
import json

from shapely.geometry import shape

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.geometry import area_m2
from zhenwu.demo.tree import AreaSpec, TownPlan, plan_town

TINY = 1e-6  # degrees, ~0.1 m: one rounding step


def geojson_hash(plan: TownPlan) -> str:
    data = [(a.code, a.geojson) for a in plan.areas]
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def regular_children(plan: TownPlan, parent: AreaSpec) -> list[AreaSpec]:
    return [a for a in plan.areas if a.parent_code == parent.code and a.level != AreaLevel.SPECIAL]


def test_it_plans_12_level1_49_level2_and_2_special_grids(plan):
    assert len(plan.of_level(AreaLevel.VILLAGE)) == 12
    assert len(plan.of_level(AreaLevel.GRID1)) == 12
    assert len(plan.of_level(AreaLevel.GRID2)) == 49
    assert sorted(a.special_kind for a in plan.of_level(AreaLevel.SPECIAL)) == ["hospital", "school"]
    counts = [len(regular_children(plan, g)) for g in plan.of_level(AreaLevel.GRID1)]
    assert set(counts) <= {4, 5}


def test_the_town_covers_88_to_96_km2(plan):
    assert 88e6 <= area_m2(plan.get(plan.code).shape) <= 96e6


def test_codes_extend_the_parent_code_by_three_digits(plan):
    for area in plan.areas:
        parent = area.parent_code or ""
        assert area.code.startswith(parent) and len(area.code) == len(parent) + 3, area.code
    villages = sorted(a.code[-3:] for a in plan.of_level(AreaLevel.VILLAGE))
    assert villages == [str(n) for n in range(201, 213)]


def test_every_polygon_is_valid_and_rounded_to_six_decimals(plan):
    for area in plan.areas:
        geom = shape(area.geojson)
        assert geom.geom_type == "Polygon" and geom.is_valid, area.code
        assert all(round(x, 6) == x and round(y, 6) == y for x, y in geom.exterior.coords)


def test_every_child_lies_inside_its_parent(plan):
    for area in plan.areas[1:]:
        parent = shape(plan.get(area.parent_code).geojson).buffer(TINY)
        assert parent.covers(shape(area.geojson)), area.code


def test_siblings_tile_their_parent_without_overlap(plan):
    for parent in plan.of_level(AreaLevel.TOWN) + plan.of_level(AreaLevel.GRID1):
        children = [shape(c.geojson) for c in regular_children(plan, parent)]
        total = sum(area_m2(c) for c in children)
        assert abs(total / area_m2(shape(parent.geojson)) - 1) < 0.005, parent.code
        overlap = sum(area_m2(a.intersection(b)) for i, a in enumerate(children) for b in children[i + 1:])
        assert overlap < 1.0, parent.code  # square metres: rounding noise only


def test_special_grids_straddle_level2_grids(plan):
    grids = [shape(g.geojson) for g in plan.of_level(AreaLevel.GRID2)]
    for special in plan.of_level(AreaLevel.SPECIAL):
        site = shape(special.geojson)
        assert sum(1 for g in grids if g.intersection(site).area > 0) >= 2, special.code


def test_the_same_seed_gives_the_same_geometry(plan):
    assert geojson_hash(plan_town(seed=1, index=0)) == geojson_hash(plan)


def test_another_seed_gives_another_geometry(plan):
    assert geojson_hash(plan_town(seed=2, index=0)) != geojson_hash(plan)


def test_a_second_town_has_its_own_code_and_does_not_overlap_the_first(plan):
    second = plan_town(seed=1, index=1)
    assert second.code == "321181103" and second.name != plan.name
    assert not shape(second.get(second.code).geojson).intersects(shape(plan.get(plan.code).geojson))
