"""The grid file's small map writes grid names as text in its tooltips: a name with markup is shown as
typed and never runs (issue 8, "area names in map tooltips as text, not HTML")."""

import pytest

from zhenwu.areas.models import Area
from zhenwu.testing import GRID_A

EVIL = '<img src="x" onerror="window.__owned = 1">第一网格'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_grid_named_with_markup_is_a_text_tooltip(live_server, browser_login, personas):
    from playwright.sync_api import expect

    Area.objects.filter(code=GRID_A).update(name=EVIL)
    page = browser_login(personas.grid_worker_a)
    page.goto(f"{live_server.url}/registry/grids/{GRID_A}/")
    page.wait_for_selector("#grid-map[data-ready='1']")
    paths = page.locator("#grid-map path.leaflet-interactive")
    assert paths.count() >= 1
    for i in range(paths.count()):
        paths.nth(i).hover(force=True)
    tooltip = page.locator("#grid-map .leaflet-tooltip", has_text="第一网格").first
    expect(tooltip).to_have_text(f"{EVIL} {GRID_A}")
    assert page.locator("#grid-map img[src='x']").count() == 0
    assert page.evaluate("window.__owned") is None
