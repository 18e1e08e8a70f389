"""Charts in Chromium: drawn from the page's JSON by the static script, a click on a bar opens the
filtered list of its cases, and the table is one click away."""

from __future__ import annotations

from typing import Any

import pytest

from zhenwu.services.services import application_accept
from zhenwu.services.tests.factories import build_hall, make_item, window_app
from zhenwu.services.tests.supervision_factories import supervisor

BAR_CENTRE = """el => {
  const chart = echarts.getInstanceByDom(el);
  const [x, y] = chart.convertToPixel({seriesIndex: 0}, [2, 0]);  // the third category (red), at the axis
  return [x, y];
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_supervisor_clicks_the_red_bar_and_gets_the_overdue_list(live_server: Any, browser_login: Any,
                                                                  town: Any, settings: Any, tmp_path: Any) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    hall = build_hall(town)
    make_item()
    application_accept(actor=hall.clerk, application=window_app(hall))
    page = browser_login(supervisor(town))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/services/supervision/")
    chart = page.locator("#lights [data-chart]")
    expect(chart).to_have_attribute("data-ready", "1")
    table = page.locator("#lights details.chart-table")
    expect(table).not_to_have_attribute("open", "")  # drawn: the table folds away …
    table.locator("summary").click()
    expect(table.locator("table")).to_be_visible()  # … and is one click away
    x, y = chart.evaluate(BAR_CENTRE)
    box = chart.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + x, box["y"] + y - 2)
    page.wait_for_url("**/services/?tab=all&light=red")
    assert errors == []


TWO_LONG_NAMES = """<!doctype html><html><body>
<div data-chart="spec" style="width:370px"></div>
<script id="spec" type="application/json">{"kind": "hbar", "title": "t", "links": [],
 "categories": ["城乡居民基本医疗保险参保登记", "城乡居民基本养老保险参保登记", "户籍证明开具"],
 "series": [{"name": "满意率", "data": [98.3, 96.6, 100], "colour": "#1565c0", "colours": [], "unit": "%"}]}</script>
<script src="/static/vendor/echarts/echarts.min.js"></script><script src="/static/zhenwu/charts.js"></script>
</body></html>"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_long_names_on_a_narrow_bar_chart_stay_apart_and_rates_end_at_100(live_server: Any, town: Any) -> None:
    """Cut to one line, both items read 城乡居民基本…; on two lines each is told apart; the axis reaches 100%."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.route(live_server.url + "/chart", lambda route: route.fulfill(body=TWO_LONG_NAMES,
                                                                           content_type="text/html; charset=utf-8"))
        page.goto(live_server.url + "/chart")
        page.wait_for_selector("[data-chart][data-ready]")
        texts = page.locator("[data-chart] svg text").all_text_contents()
        browser.close()
    first, second = (next(t for t in texts if t.startswith(name)) for name in ("城乡居民基本医", "城乡居民基本养"))
    assert first != second
    assert "100%" in texts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_statistics_matrix_stays_a_table_that_scrolls_inside_its_box_on_a_phone(
        live_server: Any, browser_login: Any, town: Any, settings: Any, tmp_path: Any) -> None:
    """A hundred items × eleven figures as cards ran to 40 000 px on a phone: it stays a table instead, the
    box scrolls sideways and the page does not."""
    settings.MEDIA_ROOT = tmp_path
    hall = build_hall(town)
    make_item()
    application_accept(actor=hall.clerk, application=window_app(hall))
    page = browser_login(supervisor(town))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/services/supervision/")
    matrix = page.locator("table.matrix")
    assert matrix.evaluate("t => getComputedStyle(t).display") == "table"
    assert matrix.locator("thead").evaluate("h => getComputedStyle(h).display") == "table-header-group"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
