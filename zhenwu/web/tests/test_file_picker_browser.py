"""Every file input speaks Chinese in Chromium (zhenwu/files.js): the page's own 选择文件 button, the native
input out of sight, and the chosen file's name beside the button."""

from __future__ import annotations

from typing import Any

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.testing import make_staff


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_import_page_picks_a_file_in_chinese(live_server: Any, browser_login: Any, town: Any,
                                                 tmp_path: Any) -> None:
    from playwright.sync_api import expect

    page = browser_login(make_staff("picker", roles=[Role.INFO_OFFICER], scope=town.town))
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/registry/import/")
    picker = page.locator(".photo-pick").first
    expect(picker.locator("label.button")).to_have_text("选择文件")
    expect(picker.locator("[data-file-name]")).to_have_text("未选择文件")
    box = picker.locator("input[type=file]").bounding_box()
    assert box is not None and box["width"] <= 1 and box["height"] <= 1  # the browser's English button unseen
    sheet = tmp_path / "住户.csv"
    sheet.write_text("id\n1\n", encoding="utf-8")
    picker.locator("input[type=file]").set_input_files(str(sheet))
    expect(picker.locator("[data-file-name]")).to_have_text("住户.csv")
    assert errors == []
