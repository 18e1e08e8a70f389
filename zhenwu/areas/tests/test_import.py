import pytest

from zhenwu.areas.models import Area
from zhenwu.areas.selectors import areas_export
from zhenwu.areas.services import area_import_geojson
from zhenwu.areas.tests.helpers import collection, feature, new_village_features
from zhenwu.errors import FieldError
from zhenwu.testing import GRID_A, TOWN, square


@pytest.mark.django_db
def test_it_imports_a_good_file(town):
    result = area_import_geojson(data=new_village_features())
    assert len(result.created) == 3 and result.updated == []
    grid = Area.objects.get(code="321181102203001001")
    assert grid.parent is not None and grid.parent.code == "321181102203001"
    assert (grid.area_m2 or 0) > 0


@pytest.mark.django_db
def test_it_reports_every_bad_feature_by_index_and_writes_nothing(town):
    good = new_village_features()["features"]
    bowtie = {"type": "Polygon", "coordinates": [[[119.50, 31.90], [119.51, 31.91], [119.51, 31.90],
                                                  [119.50, 31.91], [119.50, 31.90]]]}
    data = collection(
        *good,
        feature("321181102204", "坏村", "village", TOWN, bowtie),                      # 3 self-intersecting
        feature("321181102205", "远村", "village", TOWN, square(120.0, 31.0, 120.1, 31.1)),  # 4 outside
        feature("321181102203", "重复", "village", TOWN, square(119.50, 31.90, 119.51, 31.91)),  # 5 dup
        feature("321181102206", "孤村", "village", "321181199", square(119.5, 31.9, 119.51, 31.91)),  # 6
        "not a feature",                                                              # 7
    )
    with pytest.raises(FieldError) as err:
        area_import_geojson(data=data)
    bad = {str(f) for f, _ in err.value.errors}
    assert {"features[3].geometry", "features[4].geometry", "features[5].properties.code",
            "features[6].properties.parent", "features[7]"} <= bad
    assert not any(f.startswith(("features[0]", "features[1]", "features[2]")) for f in bad)
    assert not Area.objects.filter(code__startswith="321181102203").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [[], {"type": "Feature"}, {"type": "FeatureCollection", "features": []}])
def test_it_rejects_something_that_is_not_a_feature_collection(data):
    with pytest.raises(FieldError):
        area_import_geojson(data=data)


@pytest.mark.django_db
def test_export_then_import_round_trips_and_updates_by_code(town):
    exported = areas_export(under=TOWN)
    renamed = next(f for f in exported["features"] if f["properties"]["code"] == GRID_A)
    renamed["properties"]["name"] = "改名网格"
    result = area_import_geojson(data=exported)
    assert result.created == [] and len(result.updated) == len(exported["features"])
    assert Area.objects.get(code=GRID_A).name == "改名网格"
    assert areas_export(under=TOWN)["features"] == exported["features"]


@pytest.mark.django_db
def test_export_of_an_unknown_code_names_the_field():
    with pytest.raises(FieldError) as err:
        areas_export(under="999999")
    assert err.value.field == "under"
