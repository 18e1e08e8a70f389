"""In a browser: a town clerk imports a small xlsx with one bad row, reads the report, imports the valid
rows, then finds an imported resident by mobile number on the residents list."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhenwu.accounts.masking import mask_mobile
from zhenwu.registry.models import Resident
from zhenwu.registry.tests.import_files import RESIDENT_HEADERS, resident_row, xlsx_bytes
from zhenwu.testing import GRID_A


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_imports_the_valid_rows_and_finds_a_resident_by_mobile(live_server, browser_login, personas, settings,
                                                                         tmp_path: Path) -> None:
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    upload = tmp_path / "居民.xlsx"
    upload.write_bytes(xlsx_bytes(RESIDENT_HEADERS, [
        resident_row(1, GRID_A, 手机号="13900001111"), resident_row(2, GRID_A, 居住状态="外星人"),
        resident_row(3, GRID_A)]))
    page = browser_login(personas.town_staff)
    page.goto(live_server.url + "/registry/import/")
    page.select_option("select[name=kind]", "residents")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form.stacked button[type=submit]")
    report = page.locator("#import-report")
    expect(report).to_contain_text("居住状态")
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr td").first).to_have_text("3")
    assert Resident.objects.count() == 0  # the check wrote nothing

    page.click("#choose-valid")
    expect(page.locator("#import-status")).to_have_attribute("data-status", "imported")
    assert Resident.objects.count() == 2

    page.goto(live_server.url + "/registry/residents/?q=13900001111")
    expect(page.locator("main")).to_contain_text(mask_mobile("13900001111"))
    expect(page.locator("main")).not_to_contain_text(mask_mobile(resident_row(3, GRID_A)[2]))
