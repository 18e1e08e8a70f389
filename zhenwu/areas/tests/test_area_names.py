"""``index.area_names``: areas' names from the process's index, as fresh as the grid lookup, without a query."""

import pytest
from django.utils import timezone

from zhenwu.areas import index
from zhenwu.areas.models import Area
from zhenwu.areas.services import area_update
from zhenwu.testing import GRID_A, TOWN

pytestmark = pytest.mark.django_db


def test_names_of_grids_and_of_areas_above_them_cost_no_query(town, django_assert_num_queries):
    index.area_names([GRID_A])  # builds (or checks) this process's index
    with django_assert_num_queries(0):
        names = index.area_names([GRID_A, TOWN, GRID_A])
    assert names == {GRID_A: "东山村第一网格", TOWN: town.town.name}


def test_a_rename_here_is_seen_at_once(town):
    assert index.area_names([GRID_A]) == {GRID_A: "东山村第一网格"}
    area_update(area=town.grid_a, name="新名字", level="grid2", geometry=town.grid_a.geometry)
    assert index.area_names([GRID_A]) == {GRID_A: "新名字"}


def test_a_rename_elsewhere_is_seen_through_the_table_stamp(town, monkeypatch):
    index.area_names([GRID_A])
    Area.objects.filter(code=GRID_A).update(name="别处改名", updated_at=timezone.now())  # another process's write
    monkeypatch.setattr(index, "STAMP_TTL_SECONDS", 0.0)
    assert index.area_names([GRID_A]) == {GRID_A: "别处改名"}


def test_codes_the_index_does_not_hold_are_read_and_unknown_codes_left_out(town, django_assert_num_queries):
    index.pin(index.AreaIndex([]))  # an index that knows no area (as a benchmark's pinned one may)
    try:
        with django_assert_num_queries(1):
            names = index.area_names([GRID_A, "999999999"])
    finally:
        index.pin(None)
    assert names == {GRID_A: "东山村第一网格"}
