import pytest

from zhenwu.testing import GRID_A, SCHOOL

URL = "/api/v1/areas/locate"


@pytest.mark.django_db
def test_it_locates_a_point_for_a_citizen(client, personas):
    client.force_login(personas.citizen)
    body = client.get(URL, {"lng": 119.525, "lat": 31.945}).json()
    assert body["grid"]["code"] == GRID_A
    assert [s["code"] for s in body["special_grids"]] == [SCHOOL]
    assert body["nearest"] is None


@pytest.mark.django_db
def test_outside_every_grid_it_answers_the_nearest(client, personas):
    client.force_login(personas.grid_worker_a)
    body = client.get(URL, {"lng": 119.45, "lat": 31.95}).json()
    assert body["grid"] is None
    assert body["nearest"]["code"] == GRID_A and body["nearest"]["distance_m"] > 4000


@pytest.mark.django_db
@pytest.mark.parametrize("params, field", [({"lng": 119.5, "lat": 95}, "lat"),
                                           ({"lng": -190, "lat": 31.9}, "lng"),
                                           ({"lng": 119.5, "lat": 31.9, "crs": "epsg3857"}, "crs"),
                                           ({"lng": "east", "lat": 31.9}, "lng"),
                                           ({"lat": 31.9}, "lng")])
def test_it_answers_400_naming_the_field(client, personas, params, field):
    client.force_login(personas.citizen)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.django_db
def test_anonymous_gets_401(client, town):
    assert client.get(URL, {"lng": 119.5, "lat": 31.9}).status_code == 401
    assert client.get(f"/api/v1/areas/{GRID_A}").status_code == 401
