"""In a browser: a search by ID number through the htmx form finds the resident, and no address the
browser visits, pushes or requests carries the number; changing a filter afterwards keeps the search."""

from __future__ import annotations

import pytest

from zhenwu.registry.tests import factories as f


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_search_by_id_number_leaves_no_trace_in_any_url(live_server, browser_login, personas, town) -> None:
    from playwright.sync_api import expect

    ident = f.id_number("19800101", 41)
    f.resident(town.grid_a, name="李明", id_number=ident)
    f.resident(town.grid_a, name="张强", status="floating", arrival_date="2024-01-01", origin="安徽")
    page = browser_login(personas.town_staff)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + "/registry/residents/")
    page.fill("input[name=q]", ident)
    page.press("input[name=q]", "Enter")
    table = page.locator("#registry-table")
    expect(table).to_contain_text("李*")
    expect(table).not_to_contain_text("张*")
    page.wait_for_function("() => location.search.includes('s=')")
    page.select_option("select[name=status]", "registered")  # a filter change keeps the search
    expect(table).to_contain_text("李*")
    page.select_option("select[name=status]", "floating")
    expect(table).not_to_contain_text("李*")
    hrefs = page.eval_on_selector_all("[href],[hx-get],[hx-post],[action]",
                                      "els => els.map(e => e.getAttribute('href') || e.getAttribute('hx-get') "
                                      "|| e.getAttribute('hx-post') || e.getAttribute('action'))")
    for url in [page.url, *requested, *hrefs]:
        assert ident not in (url or "") and ident.lower() not in (url or ""), url
