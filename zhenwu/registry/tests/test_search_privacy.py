"""No personal data in URLs (issue 8, hardening): a search by ID number or mobile on a registry list
puts the value in no address, link, redirect or pushed URL — and still finds the resident."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from zhenwu.registry.tests import factories as f

pytestmark = pytest.mark.django_db
URL_ATTRIBUTES = re.compile(r'(?:href|src|action|hx-get|hx-post|hx-put|hx-push-url|formaction)="([^"]*)"')


@pytest.fixture
def li(town):
    return f.resident(town.grid_a, name="李明", mobile="13512342210", id_number=f.id_number("19900101", 21))


@pytest.fixture
def others(town):
    return [f.resident(town.grid_a, name=f"张{i}") for i in range(3)]


@pytest.fixture
def clerk(personas) -> Client:
    return f.client_for(personas.town_staff)


def _urls(response) -> list[str]:
    found = URL_ATTRIBUTES.findall(response.content.decode())
    return found + [response.get(h, "") for h in ("Location", "HX-Push-Url", "HX-Location", "HX-Redirect")]


def _assert_private(responses, *secrets: str) -> None:
    for response in responses:
        for url in _urls(response):
            assert not any(s in url for s in secrets), url


@pytest.mark.parametrize("key", ["id_number", "mobile"])
def test_a_posted_search_redirects_to_an_address_without_the_value(clerk, li, others, key):
    value = getattr(li, key)
    posted = clerk.post("/registry/residents/", {"q": value, "status": "registered"})
    assert posted.status_code == 303 and "s=" in posted["Location"] and "status=registered" in posted["Location"]
    page = clerk.get(posted["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "李*" in html and "张*" not in html
    _assert_private([posted, page], value, value.lower())


def test_an_htmx_search_answers_the_fragment_and_pushes_a_clean_address(clerk, li, others):
    response = clerk.post("/registry/residents/", {"q": li.id_number}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "李*" in html and "张*" not in html
    assert response["HX-Push-Url"].startswith("/registry/residents/?s=")
    _assert_private([response], li.id_number)
    assert clerk.get(response["HX-Push-Url"]).content.decode().count("李*") >= 1  # back/forward and reload work


def _found(pattern: str, text: str) -> re.Match[str]:
    match = re.search(pattern, text)
    assert match, pattern
    return match


def test_paging_and_the_export_keep_the_search_without_showing_it(clerk, town):
    ident = f.id_number("19900101", 33)
    f.resident(town.grid_a, name="赵一", id_number=ident)
    address = clerk.post("/registry/residents/", {"q": ident})["Location"]
    page = clerk.get(address)
    export = _found(r'id="registry-export" href="([^"]+)"', page.content.decode()).group(1).replace("&amp;", "&")
    _assert_private([page], ident)
    rows = list(load_workbook(io.BytesIO(clerk.get(export).content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "赵*"


def test_an_old_link_with_the_value_is_moved_out_of_the_address(clerk, li):
    response = clerk.get("/registry/residents/", {"q": li.mobile})
    assert response.status_code == 303 and li.mobile not in response["Location"]
    assert "李*" in clerk.get(response["Location"]).content.decode()


def test_a_search_id_is_worth_nothing_in_another_session(clerk, li, personas):
    address = clerk.post("/registry/residents/", {"q": li.id_number})["Location"]
    stranger = f.client_for(personas.county_staff).get(address).content.decode()
    assert "该搜索已失效" in stranger and "李*" not in stranger


def test_the_search_form_posts(clerk, li):
    html = clerk.get("/registry/residents/").content.decode()
    form = _found(r'<form class="registry-filters"[^>]*>', html).group(0)
    assert 'method="post"' in form and "hx-post" in form and "hx-get" not in form
