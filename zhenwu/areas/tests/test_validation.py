import pytest

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.services import area_create, area_validate
from zhenwu.errors import Conflict, FieldError
from zhenwu.testing import TOWN, VILLAGE_A, square

GEOM = square(119.50, 31.90, 119.51, 31.91)


def fields(**kwargs):
    base = {"name": "x", "geometry": GEOM, "special_kind": ""}
    return {f for f, _ in area_validate(**{**base, **kwargs})}


@pytest.mark.django_db
def test_it_accepts_a_well_formed_village(town):
    assert fields(code="321181102203", level="village", parent=town.town, parent_code=TOWN) == set()


@pytest.mark.django_db
def test_it_rejects_a_code_that_does_not_extend_the_parent(town):
    assert fields(code="321181103203", level="village", parent=town.town, parent_code=TOWN) == {"code"}


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["32118110220", "3211811022A1", "321181102000", "321181102950"])
def test_it_rejects_bad_village_codes(town, code):
    assert fields(code=code, level="village", parent=town.town, parent_code=TOWN) == {"code"}


@pytest.mark.django_db
def test_it_rejects_a_level_that_may_not_sit_under_the_parent(town):
    assert "parent" in fields(code="321181102201002", level="grid2", parent=town.village_a,
                              parent_code=VILLAGE_A)


@pytest.mark.django_db
def test_it_requires_special_grids_in_the_900_range_with_a_kind(town):
    got = fields(code="321181102201100", level="special", parent=town.village_a, parent_code=VILLAGE_A)
    assert got == {"code", "special_kind"}


def test_it_rejects_unknown_levels_and_missing_parents():
    assert fields(code="321181102", level="township", parent=None, parent_code=None) == {"level"}
    assert fields(code="321181102", level="town", parent=None, parent_code=None) == {"parent"}
    assert fields(code="321100", level="county", parent=None, parent_code=None) == {"code"}


@pytest.mark.django_db
def test_it_refuses_a_duplicate_code_on_create(town):
    with pytest.raises(Conflict):
        area_create(code=VILLAGE_A, name="x", level=AreaLevel.VILLAGE, parent=town.town, geometry=GEOM)


@pytest.mark.django_db
def test_it_refuses_an_unknown_parent_level_on_create(town):
    with pytest.raises(FieldError) as err:
        area_create(code="321181102201002", name="x", level=AreaLevel.GRID1, parent=town.town, geometry=GEOM)
    assert {f for f, _ in err.value.errors} == {"code", "parent"}
