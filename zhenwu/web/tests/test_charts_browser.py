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
