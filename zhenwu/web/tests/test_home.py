"""Home page per persona: one card per role held; citizens get their own page."""

from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.testing import Personas, make_staff
from zhenwu.web.roles import role_cards


@pytest.mark.parametrize(("persona", "roles"), [
    ("grid_worker_a", ["grid_worker"]),
    ("town_staff", ["window_clerk", "reviewer"]),
    ("county_staff", ["supervisor"]),
    ("admin", ["admin"]),
])
def test_it_shows_a_card_per_role(client: Client, personas: Personas, persona: str, roles: list[str]) -> None:
    client.force_login(getattr(personas, persona))
    page = client.get("/")
    assert page.status_code == 200
    assert [c.role for c in page.context["cards"]] == roles
    assert 'href="/areas/map/"' in page.content.decode()


def test_it_links_the_admin_only_for_administrators(client: Client, personas: Personas) -> None:
    client.force_login(personas.admin)
    assert 'href="/admin/"' in client.get("/").content.decode()
    client.force_login(personas.town_staff)
    assert 'href="/admin/"' not in client.get("/").content.decode()


def test_it_gives_citizens_their_own_masked_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.citizen)
    page = client.get("/").content.decode()
    assert "1***************2X" in page and "135****2210" in page
    assert "11010519491231002X" not in page and "/areas/map/" not in page


def test_it_sends_anonymous_visitors_to_the_login(client: Client, db: None) -> None:
    assert client.get("/")["Location"].startswith("/login/")


@pytest.mark.django_db
def test_a_grid_workers_card_links_to_the_residents_and_the_import(client: Client, personas: Personas) -> None:
    client.force_login(personas.grid_worker_a)
    body = client.get("/").content.decode()
    assert 'href="/registry/residents/"' in body and 'href="/registry/import/"' in body


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_card_link_and_tile_opens_for_a_holder_of_that_role_alone(town: Any, role: str) -> None:
    """A card never offers a page that answers 403 (issue: a supervisor's card linked 审管联动 it may not open)."""
    user = make_staff(f"only_{role}", roles=[role], scope=town.town)
    client = Client()
    client.force_login(user)
    for link in role_cards(frozenset({role}), is_admin_user=False)[0].links:
        assert client.get(link.href).status_code == 200, (role, link.href)
    for tile in client.get("/").context["tiles"]:  # nor a to-do count (a supervisor's 待事中事后监管 did)
        if not tile.url.startswith("#"):
            assert client.get(tile.url).status_code == 200, (role, tile.url)
