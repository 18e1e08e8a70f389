"""Every link and button of the hall's pages leads somewhere the user may go: a clerk is not shown
电子监察, a grid worker is not shown the hall at all, and each link shown opens (no bare 403)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.testing import PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def links(body: str) -> set[str]:
    return {h for h in re.findall(r'href="(/[^"?#]*)"', body) if h.startswith(("/services/", "/portal/", "/public/"))}


@pytest.mark.parametrize("who", ["clerk", "reviewer", "leader", "village_a", "officer_a"])
def test_every_hall_link_on_the_queue_and_home_pages_opens(hall: Any, item: Any, who: str) -> None:
    client = login(getattr(hall, who))
    shown: set[str] = set()
    for page in ("/", "/services/"):
        r = client.get(page)
        if r.status_code == 200:
            shown |= links(r.content.decode())
    for href in shown:
        assert client.get(href).status_code == 200, href


def test_a_clerk_is_not_shown_the_supervision_page(hall: Any, item: Any) -> None:
    body = login(hall.clerk).get("/services/").content.decode()
    assert "/services/supervision/" not in body and "/services/rectifications/" in body
    assert "/services/supervision/" in login(hall.leader).get("/services/").content.decode()


def test_staff_without_a_hall_role_see_no_hall(hall: Any, town: Any) -> None:
    worker = make_staff("gw", roles=[Role.GRID_WORKER], scope=town.grid_a)
    client = login(worker)
    assert "/services/" not in links(client.get("/").content.decode())
    assert client.get("/services/").status_code == 403
    assert "/services/" in str(links(login(hall.clerk).get("/").content.decode()))
