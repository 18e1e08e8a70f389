"""The planned base data of a town (no database): valid numbers, families, points in their grids."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import shapely
from stdnum.cn import ric, uscc

from zhenwu.demo import staffing
from zhenwu.demo.basedata import TownData, plan_basedata
from zhenwu.demo.targets import town_targets
from zhenwu.demo.tree import TownPlan
from zhenwu.registry.choices import CareTag, PlaceKind, Relation, ResidentStatus
from zhenwu.registry.identity import id_birth_date, id_sex

SCALE = 0.03


@pytest.fixture(scope="module")
def data(plan: TownPlan) -> TownData:
    return plan_basedata(plan=plan, seed=1, targets=town_targets(SCALE))


def test_it_plans_the_target_counts(data):
    t = town_targets(SCALE)
    statuses = Counter(p.status for p in data.residents)
    assert len(data.households) == t.households
    assert statuses[ResidentStatus.REGISTERED] + statuses[ResidentStatus.PERMANENT] == t.permanent
    assert statuses[ResidentStatus.FLOATING] == t.floating
    assert (len(data.enterprises), len(data.cameras)) == (t.enterprises, t.cameras)
    assert Counter(p.kind for p in data.places) == t.places
    assert set(PlaceKind.values) == {p.kind for p in data.places}


def test_id_numbers_are_valid_unique_and_say_birth_date_and_sex(data):
    numbers = [p.id_number for p in data.residents]
    assert len(set(numbers)) == len(numbers)
    for person in data.residents:
        assert ric.is_valid(person.id_number), person.id_number
        assert id_birth_date(person.id_number) == person.birth_date
        assert id_sex(person.id_number) == person.sex


def test_local_people_are_registered_in_the_county_and_floating_ones_elsewhere(data):
    for person in data.residents:
        local = person.id_number[:2] == "32"  # Jiangsu
        if person.status != ResidentStatus.FLOATING:
            assert local, person.id_number
        else:
            assert not local and person.arrival_date and person.origin
            assert person.birth_date <= person.arrival_date


def test_credit_codes_are_valid_and_unique(data):
    codes = [e.uscc for e in data.enterprises]
    assert len(set(codes)) == len(codes) and all(uscc.is_valid(c) for c in codes)
    assert {c[:2] for c in codes} == {"91", "92"}


def test_mobiles_are_unique(data):
    mobiles = [p.mobile for p in data.residents if p.mobile] + [e.mobile for e in data.enterprises]
    assert len(set(mobiles)) == len(mobiles)
    assert all(len(m) == 11 and m.startswith("1") and m.isdigit() for m in mobiles)


def test_every_household_has_one_head_listed_first(data):
    for household in data.households:
        relations = [p.relation for p in household.members]
        assert relations[0] == Relation.HEAD and relations.count(Relation.HEAD) == 1, household.number
        assert household.number.startswith(household.grid_code)


def test_care_tags_follow_the_people(data):
    tags = Counter(t for p in data.residents for t in p.tags)
    assert tags[CareTag.PARTY] and tags[CareTag.DISABLED]
    for household in data.households:
        for person in household.members:
            if CareTag.ELDERLY_ALONE in person.tags:
                assert len(household.members) == 1 and person.age >= 65


def test_every_row_lies_inside_its_grid(plan, data):
    shapes = {a.code: a.shape for a in plan.areas}
    rows = [*data.households, *data.enterprises, *data.places, *data.cameras]
    xy = np.array([(r.lng, r.lat) for r in rows])
    inside = [shapely.contains_xy(shapes[r.grid_code], x, y) for r, (x, y) in zip(rows, xy, strict=True)]
    assert all(inside)
    assert {len(r.grid_code) for r in rows} <= {18, 15}  # level-2 grids, and the special grids


def test_the_same_seed_plans_the_same_rows_and_another_seed_others(plan, data):
    again = plan_basedata(plan=plan, seed=1, targets=town_targets(SCALE))
    other = plan_basedata(plan=plan, seed=2, targets=town_targets(SCALE))
    assert again.households == data.households and again.cameras == data.cameras
    assert other.residents[0].id_number != data.residents[0].id_number


def test_full_scale_counts_and_staffing(plan):
    full = plan_basedata(plan=plan, seed=1, targets=town_targets(1.0))
    statuses = Counter(p.status for p in full.residents)
    assert len(full.households) == 14_000 and statuses[ResidentStatus.FLOATING] == 11_000
    assert statuses[ResidentStatus.REGISTERED] + statuses[ResidentStatus.PERMANENT] == 46_000
    assert (len(full.enterprises), len(full.cameras)) == (1_075, 396)
    duties = Counter(d.duty for d in staffing.plan_duties(plan, full.households))
    assert duties == {"leader": 12, "worker": 59, "special": 2, "info_officer": 183}
