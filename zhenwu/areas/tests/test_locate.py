import coordTransform
import pytest

from zhenwu.areas.index import locate
from zhenwu.errors import FieldError
from zhenwu.testing import COUNTY, GRID1_A, GRID_A, GRID_B, SCHOOL, TOWN, VILLAGE_A


@pytest.mark.django_db
def test_it_finds_grid_a_with_its_ancestors(town):
    result = locate(119.51, 31.91)
    assert result.grid_code == GRID_A
    assert [a["code"] for a in result.ancestors] == [COUNTY, TOWN, VILLAGE_A, GRID1_A]
    assert result.special_grids == []


@pytest.mark.django_db
def test_it_finds_grid_b(town):
    assert locate(119.58, 31.98).grid_code == GRID_B


@pytest.mark.django_db
def test_it_adds_the_special_grid_over_the_regular_one(town):
    result = locate(119.525, 31.945)
    assert result.grid_code == GRID_A
    assert [s["code"] for s in result.special_grids] == [SCHOOL]


@pytest.mark.django_db
def test_outside_every_grid_it_gives_the_nearest_and_the_distance_in_metres(town):
    result = locate(119.61, 31.95)  # 0.01° east of grid B ≈ 944 m at 31.95° N
    assert result.grid is None
    nearest = result.nearest or {}
    assert nearest["code"] == GRID_B
    assert nearest["distance_m"] == pytest.approx(944, rel=0.01)


@pytest.mark.django_db
@pytest.mark.parametrize("convert, crs", [(coordTransform.wgs84_to_gcj02, "gcj02"),
                                          (coordTransform.wgs84_to_bd09, "bd09")])
def test_it_converts_chinese_map_coordinates(town, convert, crs):
    # Just inside grid A's east edge: the raw GCJ-02/BD-09 numbers lie ~500 m east, in grid B.
    lng, lat = convert(119.5495, 31.95)
    assert locate(lng, lat).grid_code == GRID_B
    result = locate(lng, lat, crs)
    assert result.grid_code == GRID_A
    assert result.lng == pytest.approx(119.5495, abs=5e-5)  # the inverse is iterative-free: ~2 m


@pytest.mark.parametrize("lng, lat, crs, field", [(181, 31.9, "wgs84", "lng"), (119.5, -91, "wgs84", "lat"),
                                                  (119.5, 31.9, "utm", "crs")])
def test_it_names_the_bad_input(lng, lat, crs, field):
    with pytest.raises(FieldError) as err:
        locate(lng, lat, crs)
    assert err.value.field == field


@pytest.mark.django_db
def test_batched_lookup_gives_the_deepest_grid_per_point(town):
    from zhenwu.areas.index import current

    codes = current().grid_codes([119.51, 119.58, 119.61, 119.525], [31.91, 31.98, 31.95, 31.945])
    assert codes == [GRID_A, GRID_B, None, GRID_A]
