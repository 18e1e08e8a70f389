"""In Chromium with JavaScript off: the window form shows the ID number for a person and the USCC for an
enterprise, switching with the radio alone."""

from __future__ import annotations

import os
from typing import Any

import pytest

from zhenwu.services.tests.factories import make_item
from zhenwu.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_identity_field_follows_the_applicant_kind_without_javascript(hall: Any, live_server: Any) -> None:
    from playwright.sync_api import sync_playwright

    make_item("320000-SC-0001", name="店招店牌设置许可", applicant="both")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_context(java_script_enabled=False).new_page()
        page.goto(live_server.url + "/login/")
        page.fill("input[name=username]", hall.clerk.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(live_server.url + "/services/applications/new/?item=320000-SC-0001")
        assert page.is_visible("input[name=id_number]") and not page.is_visible("input[name=uscc]")
        page.check("input[name=applicant_kind][value=enterprise]")
        assert page.is_visible("input[name=uscc]") and not page.is_visible("input[name=id_number]")
        browser.close()
