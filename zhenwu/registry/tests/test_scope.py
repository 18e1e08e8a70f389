"""Scope: a grid worker sees their grid, a town clerk the town; outsiders and citizens get 404."""

from __future__ import annotations

import pytest

from zhenwu.registry.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(town):
    return {"a": f.resident(town.grid_a, name="甲"), "b": f.resident(town.grid_b, name="乙")}


def _ids(client, path="/api/v1/registry/residents"):
    return {item["id"] for item in client.get(path).json()["items"]}


def test_a_grid_worker_sees_only_their_grids_residents(personas, people):
    assert _ids(f.client_for(personas.grid_worker_a)) == {people["a"].pk}


def test_a_grid_worker_gets_404_on_another_grids_resident(personas, people):
    client = f.client_for(personas.grid_worker_b)
    assert client.get(f"/api/v1/registry/residents/{people['a'].pk}").status_code == 404
    assert client.patch(f"/api/v1/registry/residents/{people['a'].pk}", {"name": "丙"},
                        content_type="application/json").status_code == 404
    assert client.get(f"/registry/residents/{people['a'].pk}/").status_code == 404


def test_a_town_clerk_sees_the_whole_town(personas, people):
    assert _ids(f.client_for(personas.town_staff)) == {people["a"].pk, people["b"].pk}


@pytest.mark.parametrize("path", ["/api/v1/registry/residents", "/api/v1/registry/households",
                                  "/api/v1/registry/enterprises", "/api/v1/registry/places",
                                  "/api/v1/registry/cameras", "/api/v1/registry/grid-assignments"])
def test_a_citizen_gets_404_on_every_list(personas, people, path):
    assert f.client_for(personas.citizen).get(path).status_code == 404


def test_a_citizen_gets_404_on_detail_create_grid_file_and_pages(personas, people):
    client = f.client_for(personas.citizen)
    assert client.get(f"/api/v1/registry/residents/{people['a'].pk}").status_code == 404
    assert client.post("/api/v1/registry/residents", {"id_number": "x", "name": "x", "grid": "x", "status": "x"},
                       content_type="application/json").status_code == 404
    assert client.get("/api/v1/registry/grids/321181102201001001").status_code == 404
    assert client.get("/registry/residents/").status_code == 404


def test_a_grid_filter_outside_the_scope_lists_nothing(personas, people):
    client = f.client_for(personas.grid_worker_a)
    assert _ids(client, "/api/v1/registry/residents?grid=321181102202001001") == set()
