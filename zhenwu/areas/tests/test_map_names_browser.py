"""Grid names on the map are text: a name with markup is shown as typed and never runs (issue 8)."""

import pytest
from django.urls import reverse

from zhenwu.areas.models import Area
from zhenwu.testing import GRID_A

EVIL = '<img src="x" onerror="window.__owned = 1">第一网格'


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_grid_named_with_markup_is_written_as_text(live_server, browser_login, personas):
    from playwright.sync_api import expect

    Area.objects.filter(code=GRID_A).update(name=EVIL)
    page = browser_login(personas.grid_worker_a)
    page.goto(live_server.url + reverse("areas:map"))
    page.wait_for_selector("#map[data-ready]")
    label = page.locator(".leaflet-tooltip.area-label", has_text="第一网格").first
    expect(label).to_have_text(EVIL)  # the name as typed, on the grid
    assert page.locator("#map img[src='x']").count() == 0
    page.locator(f"path.area-{GRID_A}").click(position={"x": 12, "y": 12})
    expect(page.locator('#area-card [data-field="name"]')).to_have_text(EVIL)
    assert page.evaluate("window.__owned") is None
    assert page.locator("img[src='x']").count() == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_credits_leaflet_plainly_and_shows_a_legend(live_server, browser_login, personas):
    from playwright.sync_api import expect

    page = browser_login(personas.grid_worker_a)
    page.goto(live_server.url + reverse("areas:map"))
    page.wait_for_selector("#map[data-ready]")
    credit = page.locator(".leaflet-control-attribution")
    expect(credit).to_have_text("地图绘制：Leaflet")
    assert credit.locator("svg, img, a").count() == 0  # no flag, no link
    expect(page.locator(".map-legend")).to_contain_text("二级网格")
    expect(page.locator(".leaflet-tooltip.area-label", has_text="东山村第一网格")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_map_as_drawn_has_no_english_words(live_server, browser_login, personas):
    """What Leaflet writes itself (the zoom buttons' tooltips) is in Chinese too: the English crawl reads the
    server's HTML and never sees it."""
    from playwright.sync_api import expect

    from zhenwu.web.tests.english import english_words, visible_text

    page = browser_login(personas.grid_worker_a)
    page.goto(live_server.url + reverse("areas:map"))
    page.wait_for_selector("#map[data-ready]")
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "放大")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("title", "缩小")
    assert english_words(visible_text(page.content())) == []
