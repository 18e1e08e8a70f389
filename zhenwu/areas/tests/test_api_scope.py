import pytest

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.services import area_create
from zhenwu.testing import COUNTY, GRID_A, GRID_B, TOWN, VILLAGE_A, square

OTHER_TOWN = "321181103"


@pytest.fixture
def other_town(town):
    return area_create(code=OTHER_TOWN, name="邻镇", level=AreaLevel.TOWN, parent=town.county,
                       geometry=square(119.60, 31.90, 119.70, 32.00))


def detail(client, user, code):
    client.force_login(user)
    return client.get(f"/api/v1/areas/{code}")


@pytest.mark.django_db
def test_a_citizen_sees_the_area_but_no_staff(client, personas):
    body = detail(client, personas.citizen, GRID_A).json()
    assert body["code"] == GRID_A and body["geometry"]["type"] == "Polygon"
    assert body["staff"] is None


@pytest.mark.django_db
def test_grid_worker_b_sees_town_areas_but_not_staff_outside_own_grid(client, personas):
    assert detail(client, personas.grid_worker_b, VILLAGE_A).status_code == 200
    assert detail(client, personas.grid_worker_b, GRID_A).json()["staff"] is None
    staff = detail(client, personas.grid_worker_b, GRID_B).json()["staff"]
    assert [s["name"] for s in staff] == ["gw_b"]


@pytest.mark.django_db
def test_town_staff_see_staff_of_every_grid_in_the_town(client, personas):
    staff = detail(client, personas.town_staff, GRID_A).json()["staff"]
    assert staff[0]["name"] == "gw_a" and staff[0]["roles"]


@pytest.mark.django_db
def test_an_area_of_another_town_is_404_for_a_grid_worker(client, personas, other_town):
    response = detail(client, personas.grid_worker_a, OTHER_TOWN)
    assert response.status_code == 404
    assert detail(client, personas.county_staff, OTHER_TOWN).status_code == 200


@pytest.mark.django_db
def test_an_unknown_code_is_404(client, personas):
    response = detail(client, personas.admin, "321181102299")
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "code"


@pytest.mark.django_db
def test_listing_children_and_top_areas(client, personas, other_town):
    client.force_login(personas.grid_worker_a)
    top = client.get("/api/v1/areas").json()
    assert [a["code"] for a in top["items"]] == [TOWN]
    children = client.get("/api/v1/areas", {"parent": COUNTY}).json()
    assert [a["code"] for a in children["items"]] == [TOWN]  # the other town is out of scope
    page = client.get("/api/v1/areas", {"parent": TOWN, "page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and [a["code"] for a in page["items"]] == ["321181102202"]


@pytest.mark.django_db
def test_geojson_for_the_map_filters_levels(client, personas):
    client.force_login(personas.grid_worker_a)
    body = client.get("/api/v1/areas/geojson", {"under": TOWN, "levels": "grid2,special"}).json()
    assert sorted(f["properties"]["code"] for f in body["features"]) == sorted([GRID_A, GRID_B,
                                                                                "321181102201900"])
    bad = client.get("/api/v1/areas/geojson", {"levels": "grid3"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "levels"
