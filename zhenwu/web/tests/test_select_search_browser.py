"""The grid picker: a plain select that works without JavaScript, with a search box over it."""

import pytest

from zhenwu.testing import GRID_B


@pytest.mark.django_db
def test_the_grid_filter_lists_grids_by_name_first(client, personas):
    client.force_login(personas.county_staff)
    page = client.get("/registry/residents/").content.decode()
    assert 'name="grid" data-search=' in page and f'<option value="{GRID_B}">西河村第一网格（{GRID_B}）' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_typing_part_of_a_name_narrows_the_grids_and_picks_the_only_match(live_server, browser_login, personas):
    from playwright.sync_api import expect

    page = browser_login(personas.county_staff)
    page.goto(live_server.url + "/registry/residents/")
    box = page.locator("input.select-search")
    box.fill("西河村第一")
    select = page.locator("select[name=grid]")
    expect(select).to_have_attribute("data-matches", "1")
    expect(select).to_have_value(GRID_B)
    assert page.locator("select[name=grid] option:not([hidden])").count() == 2  # "all" and the match
