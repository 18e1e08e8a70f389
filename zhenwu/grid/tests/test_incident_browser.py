"""In Chromium: the incident loop through the pages — the dispatcher registers and dispatches a grid
worker's report, the squad's officer feeds back with a photo, the grid worker verifies on site with a
photo, and it is closed. Screenshots at 1366 px and 390 px of the dispatcher's and the grid worker's
pages are written to ``$ZHENWU_SCREENSHOTS`` (else the test's temporary directory)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from zhenwu.grid.models import Incident
from zhenwu.grid.tests.factories import build_grid_staff, jpeg, make_categories, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(page: Any, folder: Path, name: str) -> None:
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_register_dispatch_feed_back_verify_close(town: Any, personas: Any, browser_login: Any, live_server: Any,
                                                 tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = Path(os.environ.get("ZHENWU_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    make_categories()
    staff = build_grid_staff(town)
    incident = report(personas.grid_worker_a, category="E0106", description="河道边私自搭建彩钢棚",
                      address="东山村三组河边")
    report(personas.grid_worker_a, category="P0201", point=(119.525, 31.952), description="路灯夜间不亮")
    number = incident.case.number
    photo = tmp_path / "result.jpg"
    photo.write_bytes(jpeg("green", (640, 480)))

    dispatcher = browser_login(staff.dispatcher)
    dispatcher.goto(live_server.url + "/grid/incidents/")
    assert dispatcher.locator(f'tr[data-number="{number}"]').is_visible()
    _shots(dispatcher, folder, "dispatcher-queue")
    dispatcher.goto(live_server.url + "/grid/incidents/?view=map")
    dispatcher.wait_for_selector("#incident-map[data-markers='2']")
    _shots(dispatcher, folder, "dispatcher-map")
    dispatcher.goto(live_server.url + "/grid/incidents/")
    dispatcher.click(f'tr[data-number="{number}"] a')
    dispatcher.click('form[data-action="register"] button[type=submit]')
    dispatcher.wait_for_selector('[data-status="registered"]')
    _shots(dispatcher, folder, "dispatcher-incident")
    dispatcher.select_option('form[data-action="dispatch"] select[name=unit]', str(staff.squad.pk))
    dispatcher.click('form[data-action="dispatch"] button[type=submit]')
    dispatcher.wait_for_selector('[data-status="dispatched"]')
    assert staff.squad.name in dispatcher.inner_text("[data-holder]")

    handler = browser_login(staff.handler)
    handler.goto(live_server.url + f"/grid/incidents/{number}/")
    handler.click('form[data-action="handle"] button[type=submit]')  # no text, no photo: the browser asks
    assert handler.locator('[data-status="dispatched"]').is_visible()
    handler.fill('form[data-action="handle"] textarea[name=result]', "彩钢棚已拆除，现场已清理")
    handler.set_input_files('form[data-action="handle"] input[name=photos]', str(photo))
    handler.click('form[data-action="handle"] button[type=submit]')
    handler.wait_for_selector('[data-status="fed_back"]')

    worker = browser_login(personas.grid_worker_a)
    worker.goto(live_server.url + "/grid/incidents/")
    _shots(worker, folder, "worker-queue")
    worker.goto(live_server.url + f"/grid/incidents/{number}/")
    _shots(worker, folder, "worker-incident")
    worker.set_input_files('form[data-action="verify_pass"] input[name=photos]', str(photo))
    worker.click('form[data-action="verify_pass"] button[type=submit]')
    worker.wait_for_selector('[data-status="closed"]')
    assert worker.locator("#photos img.thumb").count() == 3
    _shots(worker, folder, "worker-closed")

    worker.goto(live_server.url + "/grid/incidents/new/")
    _shots(worker, folder, "worker-new")
    public = browser_login(personas.citizen)
    public.goto(live_server.url + "/public/grid/report/")
    _shots(public, folder, "citizen-report")
    assert Incident.objects.get(pk=incident.pk).case.status == "closed"
