import pytest
from django.urls import reverse

from zhenwu.testing import GRID_A


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_grid_worker_clicks_their_grid_and_sees_its_card(live_server, browser_login, personas):
    from playwright.sync_api import expect

    page = browser_login(personas.grid_worker_a)
    page.goto(live_server.url + reverse("areas:map"))
    page.wait_for_selector("#map[data-ready]")
    # The school's special grid covers the middle of grid A: click near its north-west corner.
    page.locator(f"path.area-{GRID_A}").click(position={"x": 12, "y": 12})
    card = page.locator("#area-card")
    expect(card).to_contain_text(GRID_A)
    expect(card).to_contain_text("东山村第一网格")
    expect(card).to_contain_text("gw_a")
