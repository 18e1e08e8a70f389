"""Search by each key: full ID number, mobile, name prefix, USCC, address prefix, household number."""

from __future__ import annotations

import pytest

from zhenwu.registry.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(town):
    return {
        "li": f.resident(town.grid_a, name="李明", mobile="13512342210", id_number=f.id_number("19900101", 21)),
        "wang": f.resident(town.grid_b, name="王芳", mobile="13600001111"),
        "ent": f.enterprise(town.grid_a, name="丹湖机械", address="工业园8号"),
        "home": f.household(town.grid_a, number="H900001", address="东山村18号"),
        "shop": f.place(town.grid_b, name="好又多超市", address="西河村1号"),
    }


def _ids(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("key", ["id", "mobile", "name"])
def test_it_finds_a_resident_by_each_key(personas, data, key):
    li = data["li"]
    q = {"id": li.id_number.lower(), "mobile": li.mobile, "name": "李"}[key]
    assert _ids(f.client_for(personas.town_staff), f"/api/v1/registry/residents?q={q}") == {li.pk}


def test_a_partial_id_number_or_mobile_finds_nobody(personas, data):
    client = f.client_for(personas.town_staff)
    assert _ids(client, f"/api/v1/registry/residents?q={data['li'].id_number[:10]}") == set()
    assert _ids(client, "/api/v1/registry/residents?q=1351234") == set()


def test_it_finds_an_enterprise_by_uscc_name_and_address(personas, data):
    client, ent = f.client_for(personas.town_staff), data["ent"]
    for q in (ent.uscc, "丹湖", "工业园"):
        assert _ids(client, f"/api/v1/registry/enterprises?q={q}") == {ent.pk}


def test_it_finds_households_by_number_and_address_and_places_by_name(personas, data):
    client = f.client_for(personas.town_staff)
    assert _ids(client, "/api/v1/registry/households?q=H900001") == {data["home"].pk}
    assert _ids(client, "/api/v1/registry/households?q=东山村1") == {data["home"].pk}
    assert _ids(client, "/api/v1/registry/places?q=好又多") == {data["shop"].pk}


def test_the_list_page_searches_by_mobile(personas, data):
    page = f.client_for(personas.town_staff).get("/registry/residents/?q=13600001111", follow=True).content.decode()
    assert "王*" in page and "李*" not in page


def test_filters_combine_with_search_and_reject_unknown_values(personas, data, town):
    client = f.client_for(personas.town_staff)
    f.resident(town.grid_a, name="李雷", tags=("dibao",))
    assert len(_ids(client, "/api/v1/registry/residents?q=李&tag=dibao")) == 1
    assert client.get("/api/v1/registry/residents?status=nonsense").status_code == 400


def test_pages_are_keyset_with_a_cursor(personas, town):
    for _ in range(3):
        f.resident(town.grid_a)
    client = f.client_for(personas.town_staff)
    first = client.get("/api/v1/registry/residents?limit=2").json()
    rest = client.get(f"/api/v1/registry/residents?limit=2&after={first['next_after']}").json()
    assert (first["count"], len(first["items"]), len(rest["items"]), rest["next_after"]) == (3, 2, 1, None)
