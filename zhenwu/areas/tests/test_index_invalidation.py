import pytest
from django.utils import timezone

from zhenwu.areas import index
from zhenwu.areas.models import Area
from zhenwu.areas.services import area_update
from zhenwu.testing import GRID_A, square


@pytest.mark.django_db
def test_a_write_through_services_rebuilds_the_index(town):
    assert index.locate(119.51, 31.91).grid_name == "东山村第一网格"
    area_update(area=town.grid_a, name="新名字", level="grid2", geometry=town.grid_a.geometry)
    assert index.locate(119.51, 31.91).grid_name == "新名字"


@pytest.mark.django_db
def test_a_shrunk_grid_no_longer_contains_the_point(town):
    assert index.locate(119.51, 31.91).grid_code == GRID_A
    area_update(area=town.grid_a, name=town.grid_a.name, level="grid2",
                geometry=square(119.52, 31.92, 119.55, 32.00))
    assert index.locate(119.51, 31.91).grid_code != GRID_A


@pytest.mark.django_db
def test_a_write_by_another_process_is_seen_through_the_table_stamp(town, monkeypatch):
    index.locate(119.51, 31.91)
    # Another process wrote the row: no invalidate() here, only the table's stamp changed.
    Area.objects.filter(code=GRID_A).update(name="别处改名", updated_at=timezone.now())
    monkeypatch.setattr(index, "STAMP_TTL_SECONDS", 0.0)
    assert index.locate(119.51, 31.91).grid_name == "别处改名"
