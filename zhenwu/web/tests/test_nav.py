"""The top menu offers only pages the user may open (issue 7: a clerk got a bare 403 from 电子监察)."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def menu(user) -> list[str]:
    client = Client()
    client.force_login(user)
    nav = re.search(r"<nav>(.*?)</nav>", client.get("/").content.decode(), re.S)
    assert nav
    return re.findall(r'href="([^"]+)"', nav.group(1))


def test_every_menu_entry_opens_for_its_user(personas) -> None:
    for user in (personas.grid_worker_a, personas.town_staff, personas.county_staff, personas.admin,
                 personas.citizen):
        client = Client()
        client.force_login(user)
        for href in menu(user):
            assert client.get(href).status_code == 200, (user, href)


def test_the_menu_follows_the_roles(personas) -> None:
    assert "/services/supervision/" not in menu(personas.town_staff)  # a clerk and reviewer
    assert "/services/supervision/" in menu(personas.county_staff)  # a supervisor
    assert "/services/" not in menu(personas.grid_worker_a)
    assert menu(personas.citizen)[:3] == ["/", "/portal/", "/public/guide/"]


def test_a_visitor_gets_the_public_menu(db) -> None:
    """Someone who opened the service guide from a link finds the login, tracking and reporting at the top."""
    nav = re.search(r"<nav>(.*?)</nav>", Client().get("/public/guide/").content.decode(), re.S)
    assert nav
    hrefs = re.findall(r'href="([^"]+)"', nav.group(1))
    assert hrefs == ["/login/", "/public/guide/", "/public/track/", "/public/grid/report/"]
    for href in hrefs:
        assert Client().get(href).status_code == 200, href


def test_civil_affairs_find_social_assistance_in_the_menu(town) -> None:
    from zhenwu.accounts.choices import Role
    from zhenwu.testing import make_staff

    civil = make_staff("civil", roles=[Role.CIVIL_AFFAIRS], scope=town.town)
    assert "/assistance/applications/" in menu(civil)
    client = Client()
    client.force_login(civil)
    assert client.get("/assistance/applications/").status_code == 200
