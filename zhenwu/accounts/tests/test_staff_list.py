"""Staff list: only staff inside the caller's scope; an area outside it answers 404."""

from typing import Any

from django.test import Client

from zhenwu.testing import GRID_B, TOWN, VILLAGE_A, Personas


def names(client: Client, user: Any, query: str = "") -> Any:
    client.force_login(user)
    response = client.get(f"/api/v1/accounts/staff{query}")
    return response.status_code, sorted(s["username"] for s in response.json().get("items", []))


def test_a_grid_worker_sees_nobody_outside_the_grid(client: Client, personas: Personas) -> None:
    assert names(client, personas.grid_worker_a) == (200, ["gw_a"])


def test_town_staff_see_the_town(client: Client, personas: Personas) -> None:
    assert names(client, personas.town_staff) == (200, ["clerk", "gw_a", "gw_b"])


def test_it_filters_by_area_and_role(client: Client, personas: Personas) -> None:
    assert names(client, personas.county_staff, f"?area={VILLAGE_A}") == (200, ["gw_a"])
    assert names(client, personas.county_staff, f"?area={TOWN}&role=reviewer") == (200, ["clerk"])


def test_it_answers_404_for_an_area_outside_the_scope(client: Client, personas: Personas) -> None:
    status, _ = names(client, personas.grid_worker_a, f"?area={GRID_B}")
    assert status == 404


def test_it_refuses_citizens(client: Client, personas: Personas) -> None:
    client.force_login(personas.citizen)
    assert client.get("/api/v1/accounts/staff").status_code == 403


def test_it_paginates(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    body = client.get("/api/v1/accounts/staff?page=1").json()
    assert body["count"] == 5 and len(body["items"]) == 5
    assert body["items"][0]["roles"]
