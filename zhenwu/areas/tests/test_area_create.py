import pytest

from zhenwu.testing import GRID_A


@pytest.mark.django_db
def test_it_derives_centroid_bbox_and_area(town):
    grid = town.grid_a
    assert grid.code == GRID_A
    assert grid.bbox == [119.50, 31.90, 119.55, 32.00]
    assert grid.centroid_lng == pytest.approx(119.525)
    # 0.05° × 0.1° near 31.95° N ≈ 4.72 km × 11.12 km
    assert grid.area_m2 == pytest.approx(52.5e6, rel=0.01)
