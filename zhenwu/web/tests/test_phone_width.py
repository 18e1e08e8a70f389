"""Every page a citizen, an enterprise, a grid worker or a visitor opens fits a 390 px phone screen.

Chromium at 390×844 opens each page of the crawl the persona may open (answers 200 with HTML) and
measures ``document.documentElement.scrollWidth``: more than 390 means sideways scrolling.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from conftest import CHROMIUM
from zhenwu.web.tests.crawl import page_urls
from zhenwu.web.tests.crawl_world import World, build_world

PHONE: Any = {"width": 390, "height": 844}  # Playwright's ViewportSize
ON_PHONES = ("citizen", "enterprise", "grid_worker", "anonymous")


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def _pages(client: Client, world: World) -> list[str]:
    """The persona's own pages: those that open (200, HTML) rather than refuse or redirect."""
    pages = []
    for url in page_urls(world, with_admin=False):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def too_wide(base_url: str, urls: list[str], session: str | None) -> dict[str, int]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-background-networking"])
        context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
        if session:
            context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
        page = context.new_page()
        for url in urls:
            page.goto(base_url + url, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                found[url] = width
        browser.close()
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ON_PHONES)
def test_every_page_fits_a_phone_without_sideways_scrolling(live_server: Any, town: Any, settings: Any,
                                                            tmp_path: Any, persona: str) -> None:
    settings.MEDIA_ROOT = tmp_path
    world = build_world(town)
    client = _client(world, persona)
    urls = _pages(client, world)
    assert len(urls) >= 5  # the persona's pages were found: the check below is not vacuous
    session = client.cookies["sessionid"].value if persona != "anonymous" else None
    assert too_wide(live_server.url, urls, session) == {}
