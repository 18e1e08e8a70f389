import pytest
from django.utils import translation

from zhenwu.areas.services import area_validate
from zhenwu.testing import TOWN, square


def geometry_errors(town, geometry):
    return [str(m) for f, m in area_validate(code="321181102203", name="x", level="village", parent=town.town,
                                              parent_code=TOWN, geometry=geometry) if f == "geometry"]


@pytest.mark.django_db
def test_it_rejects_a_self_intersecting_polygon(town):
    bowtie = {"type": "Polygon", "coordinates": [[[119.50, 31.90], [119.51, 31.91], [119.51, 31.90],
                                                  [119.50, 31.91], [119.50, 31.90]]]}
    [message] = geometry_errors(town, bowtie)
    assert "Self-intersection" in message


@pytest.mark.django_db
def test_it_rejects_an_open_ring(town):
    ring = [[119.50, 31.90], [119.51, 31.90], [119.51, 31.91], [119.50, 31.91]]
    assert geometry_errors(town, {"type": "Polygon", "coordinates": [ring + [[119.50, 31.905]]]})


@pytest.mark.django_db
@pytest.mark.parametrize("geometry", [{"type": "Point", "coordinates": [119.5, 31.9]},
                                      {"type": "Polygon", "coordinates": "nope"},
                                      {"type": "Polygon", "coordinates": [[[200, 31.9], [119.5, 31.9]]]}])
def test_it_rejects_malformed_geometry(town, geometry):
    assert geometry_errors(town, geometry)


@pytest.mark.django_db
def test_it_rejects_a_child_outside_its_parent(town):
    with translation.override("en"):
        [message] = geometry_errors(town, square(119.58, 31.98, 119.62, 32.02))
    assert "outside its parent" in message


@pytest.mark.django_db
def test_it_tolerates_a_child_sticking_out_by_less_than_the_setting(town, settings):
    settings.AREA_CONTAINMENT_TOLERANCE_M = 20
    # ~0.0001° of longitude ≈ 9.4 m at 32° N
    assert geometry_errors(town, square(119.55, 31.95, 119.6001, 31.96)) == []
    settings.AREA_CONTAINMENT_TOLERANCE_M = 5
    assert geometry_errors(town, square(119.55, 31.95, 119.6001, 31.96))
