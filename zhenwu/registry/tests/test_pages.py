"""Pages render with empty data, answer htmx with the table alone, and refuse non-editors."""

from __future__ import annotations

import pytest

from zhenwu.registry.tests import factories as f
from zhenwu.testing import GRID_A

pytestmark = pytest.mark.django_db
KINDS = ["residents", "households", "enterprises", "places", "cameras"]


@pytest.mark.parametrize("slug", KINDS)
def test_empty_lists_and_create_forms_render(personas, slug):
    client = f.client_for(personas.grid_worker_a)
    listing = client.get(f"/registry/{slug}/")
    assert listing.status_code == 200 and 'class="empty card"' in listing.content.decode()
    assert client.get(f"/registry/{slug}/new/").status_code == 200


def test_an_empty_grid_file_renders(personas):
    page = f.client_for(personas.grid_worker_a).get(f"/registry/grids/{GRID_A}/").content.decode()
    assert 'class="empty"' in page and 'data-count="residents"><b>0</b>' in page


def test_htmx_gets_the_table_fragment_only(personas, town):
    f.resident(town.grid_a, name="周八")
    response = f.client_for(personas.grid_worker_a).get("/registry/residents/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html and "周*" in html


@pytest.mark.parametrize("slug,make", [("households", f.household), ("enterprises", f.enterprise),
                                       ("places", f.place), ("cameras", f.camera)])
def test_detail_and_edit_pages_render(personas, town, slug, make):
    row = make(town.grid_a)
    client = f.client_for(personas.grid_worker_a)
    assert client.get(f"/registry/{slug}/{row.pk}/").status_code == 200
    assert client.get(f"/registry/{slug}/{row.pk}/edit/").status_code == 200


def test_a_supervisor_cannot_open_the_create_form(personas):
    assert f.client_for(personas.county_staff).get("/registry/residents/new/").status_code == 403


def test_the_nav_links_to_base_data_for_staff_only(personas):
    assert "/registry/residents/" in f.client_for(personas.town_staff).get("/").content.decode()
    assert "/registry/residents/" not in f.client_for(personas.citizen).get("/").content.decode()
