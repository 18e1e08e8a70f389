"""The phone app in Chromium at 390×844 with geolocation granted at a fixed point in grid A: it signs in,
opens offline from its service worker, and what is recorded offline arrives once and whole.

Set ZW_SCREENSHOTS=<folder> to keep a screenshot of each screen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from conftest import PHONE_AT
from zhenwu.accounts.models import ApiToken
from zhenwu.grid.models import Patrol, TrackPoint
from zhenwu.registry.tests import factories
from zhenwu.testing import PASSWORD

LNG, LAT = PHONE_AT  # inside grid A of the test town (zhenwu.testing)
M_PER_DEG_LAT = 111_195.0

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Any, name: str) -> None:
    folder = os.environ.get("ZW_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)



def signed_in(context: Any, base_url: str, username: str) -> Any:
    page = context.new_page()
    page.goto(base_url + "/m/")
    page.wait_for_selector("#screen-login:not([hidden])")
    shot(page, "login")
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#screen-report:not([hidden])")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=10000)
    return page


def outbox(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("ZwStore.all().then(ops => ops.map(op => ({type: op.type, failed: op.failed || null, "
                         "points: (op.points || []).length})))")


def until(page: Any, condition: Any, seconds: float = 20) -> list[dict[str, Any]]:
    """Poll the phone's outbox until ``condition(ops)`` holds (IndexedDB answers asynchronously)."""
    for _ in range(int(seconds * 5)):
        ops = outbox(page)
        if condition(ops):
            return ops
        page.wait_for_timeout(200)
    raise AssertionError(f"the outbox never got there: {outbox(page)}")


def test_the_app_opens_offline_from_its_service_worker_and_signs_out(phone, live_server, personas):
    page = signed_in(phone, live_server.url, "gw_a")
    phone.set_offline(True)
    page.reload()
    page.wait_for_selector("#screen-report:not([hidden])")
    assert page.text_content("#net") == "离线"
    assert page.title() == "网格通"
    phone.set_offline(False)
    page.goto(live_server.url + "/m/#me")
    page.click("#sign-out")
    page.wait_for_selector("#screen-login:not([hidden])")
    assert ApiToken.objects.get(user=personas.grid_worker_a).revoked_at is not None


def test_a_patrol_recorded_offline_arrives_whole(phone, live_server, personas, settings):
    settings.GRID_PATROL_SIMPLIFY_METERS = 1.0
    page = signed_in(phone, live_server.url, "gw_a")
    page.goto(live_server.url + "/m/#patrol")
    page.wait_for_selector("#screen-patrol:not([hidden])")
    phone.set_offline(True)
    page.click("#patrol-toggle")
    page.wait_for_selector("#patrol-status[data-running='1']")
    page.wait_for_timeout(1500)
    for i in range(1, 9):  # 15 m north every 1.5 s: a brisk walk
        phone.set_geolocation({"latitude": LAT + i * 15 / M_PER_DEG_LAT, "longitude": LNG, "accuracy": 8})
        page.wait_for_timeout(1500)
    shot(page, "patrol-running")
    page.click("#patrol-toggle")
    page.wait_for_function("() => document.querySelector('#patrol-status').dataset.running === ''")
    until(page, lambda ops: any(op["type"] == "stop" for op in ops))
    queued = outbox(page)
    recorded = sum(op["points"] for op in queued)
    assert recorded >= 8 and [op["type"] for op in queued][0] == "start"
    assert not Patrol.objects.exists()  # nothing left the phone

    phone.set_offline(False)
    until(page, lambda ops: not ops)
    patrol = Patrol.objects.get()
    assert patrol.worker == personas.grid_worker_a and patrol.ended_at is not None
    assert TrackPoint.objects.filter(patrol=patrol).count() == recorded == patrol.point_count
    assert patrol.distance_m == pytest.approx(8 * 15, abs=3)
    page.wait_for_function("() => document.querySelector('#today').textContent.includes('巡查 1 次')")
    shot(page, "patrol-done")


def test_a_check_in_made_offline_is_sent_once(phone, live_server, personas, town):
    from zhenwu.grid.models import CheckIn

    factories.place(town.grid_a, name="东山便民超市", lng=LNG, lat=LAT + 30 / M_PER_DEG_LAT)
    page = signed_in(phone, live_server.url, "gw_a")
    page.goto(live_server.url + "/m/#patrol")
    page.click("#places-refresh")
    page.wait_for_selector("#places li")
    shot(page, "checkin-places")
    phone.set_offline(True)
    page.click("#places li button")
    page.wait_for_function("() => document.querySelector('#checkin-msg').textContent.includes('网络恢复后')")
    phone.set_offline(False)
    page.wait_for_function("() => document.querySelector('#checkin-msg').textContent.includes('已在东山便民超市打卡')",
                           timeout=20000)
    assert CheckIn.objects.get().worker == personas.grid_worker_a


def test_a_report_with_a_photo_made_offline_arrives_once_in_the_right_grid(phone, live_server, personas, categories):
    from zhenwu.grid.models import Incident
    from zhenwu.grid.tests.factories import jpeg
    from zhenwu.testing import GRID_A

    page = signed_in(phone, live_server.url, "gw_a")
    page.wait_for_selector("#category option[value=E0101]", state="attached")
    page.wait_for_function("() => document.querySelector('#gps-status').textContent.includes('定位精度')")
    shot(page, "report")
    phone.set_offline(True)
    page.select_option("#category", "E0101")
    page.set_input_files("#report-photos", files=[{"name": "rubbish.jpg", "mimeType": "image/jpeg",
                                                   "buffer": jpeg("green", (640, 480))}])
    page.fill("#report-form textarea[name=description]", "路边暴露垃圾一堆")
    page.click("#report-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#report-form [data-msg]').textContent.includes('网络恢复后')")
    until(page, lambda ops: [op["type"] for op in ops] == ["incident"])
    page.evaluate("window.zwSync()")  # a retry while still offline changes nothing
    shot(page, "report-queued")
    assert not Incident.objects.exists()

    # Back online, the first answer is lost on the way (the server has made the incident): the phone sends
    # the report again under the same Idempotency-Key and gets the same incident back.
    lost: list[int] = []

    def lose_first_answer(route: Any) -> None:
        if not lost:
            lost.append(route.fetch().status)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/grid/incidents", lose_first_answer)
    phone.set_offline(False)
    until(page, lambda ops: not ops, seconds=30)
    assert lost == [201]
    incident = Incident.objects.select_related("case").get()
    assert incident.case.area_code == GRID_A and incident.reporter == personas.grid_worker_a
    assert (incident.lng, incident.lat, incident.source) == (LNG, LAT, "patrol")
    assert len(incident.photos) == 1
    page.wait_for_function("() => document.querySelector('#report-form [data-msg]').textContent.includes('已上报')")
    assert incident.case.number in page.text_content("#report-form [data-msg]")
    shot(page, "report-sent")
    page.goto(live_server.url + "/m/#map")
    page.wait_for_selector(f"path.incident-{incident.case.number}")
    shot(page, "map")
    page.goto(live_server.url + "/m/#tasks")
    page.wait_for_selector("#tasks li")
    shot(page, "tasks")


def test_poor_gps_shows_a_pin_that_places_the_report(phone, live_server, personas, categories):
    from zhenwu.grid.models import Incident

    phone.set_geolocation({"latitude": LAT, "longitude": LNG, "accuracy": 400})
    page = signed_in(phone, live_server.url, "gw_a")
    page.wait_for_selector("#pin-map:not([hidden]) .leaflet-marker-icon")
    page.wait_for_selector("#category option[value=E0101]", state="attached")
    box = page.locator("#pin-map .leaflet-marker-icon").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 10, steps=8)
    page.mouse.up()
    shot(page, "report-poor-gps")
    page.select_option("#category", "E0101")
    page.fill("#report-form textarea[name=description]", "井边垃圾")
    page.click("#report-form button[type=submit]")
    until(page, lambda ops: not ops)
    incident = Incident.objects.get()
    assert incident.lng is not None and incident.lat is not None
    assert incident.lng > LNG and incident.lat < LAT  # dragged east and south of the poor fix


def test_a_visit_made_offline_arrives_once_through_the_real_api(phone, live_server, personas, town):
    """The whole visit screen against the live server: the target picker reads
    GET /api/v1/grid/visits/targets, the visit waits offline in the outbox, and back online
    POST /api/v1/grid/visits/ files it — its first answer lost on the way, the retry under the same
    Idempotency-Key gets the same visit back: one visit, with its photo stored and the phone's position."""
    from zhenwu.grid.models import Visit
    from zhenwu.grid.tests.factories import jpeg

    household = factories.household(town.grid_a, address="东山村幸福路7号")
    factories.household(town.grid_b, address="西河村2号")  # grid B: not offered to a worker of grid A
    page = signed_in(phone, live_server.url, "gw_a")
    page.goto(live_server.url + "/m/#visit")
    page.wait_for_selector("#screen-visit:not([hidden])")
    page.wait_for_selector("#targets li button")
    offered = page.locator("#targets li button").all_text_contents()
    assert len(offered) == 1 and "东山村幸福路7号" in offered[0]
    page.wait_for_function("() => document.querySelector('#gps-status').textContent.includes('定位精度')")
    page.click("#targets li button")
    phone.set_offline(True)
    page.fill("#visit-form textarea[name=record]", "入户走访，独居老人身体状况良好")
    page.set_input_files("#visit-photos", files=[{"name": "visit.jpg", "mimeType": "image/jpeg",
                                                  "buffer": jpeg("blue", (640, 480))}])
    shot(page, "visit")
    page.click("#visit-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#visit-form [data-msg]').textContent.includes('网络恢复后')")
    until(page, lambda ops: [op["type"] for op in ops] == ["visit"])
    assert not Visit.objects.exists()

    answers: list[int] = []
    keys: list[str] = []

    def lose_first_answer(route: Any) -> None:
        keys.append(route.request.headers.get("idempotency-key", ""))
        if not answers:
            answers.append(route.fetch().status)  # the server files the visit; the phone never hears it
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/grid/visits/", lose_first_answer)
    phone.set_offline(False)
    until(page, lambda ops: not ops, seconds=30)
    assert answers == [201] and len(keys) == 2 and keys[0] == keys[1] and len(keys[0]) >= 16
    visit = Visit.objects.get()
    assert (visit.worker, visit.target_kind, visit.household, visit.area_code) == (
        personas.grid_worker_a, "household", household, town.grid_a.code)
    assert visit.record == "入户走访，独居老人身体状况良好" and len(visit.photos) == 1
    assert (visit.lng, visit.lat) == (LNG, LAT)
    page.wait_for_function("() => document.querySelector('#visit-form [data-msg]').textContent.includes('走访已保存')")
    shot(page, "visit-sent")


def sign_in_again(page: Any, username: str) -> None:
    page.wait_for_selector("#screen-login:not([hidden])")
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#screen-report:not([hidden])")


def test_a_report_queued_by_one_worker_is_never_sent_by_the_next_one_on_the_phone(phone, live_server, personas,
                                                                                    categories):
    from zhenwu.grid.models import Incident

    page = signed_in(phone, live_server.url, "gw_a")
    page.wait_for_selector("#category option[value=E0101]", state="attached")
    page.wait_for_function("() => document.querySelector('#gps-status').textContent.includes('定位精度')")
    phone.set_offline(True)
    page.select_option("#category", "E0101")
    page.fill("#report-form textarea[name=description]", "垃圾未清运")
    page.click("#report-form button[type=submit]")
    until(page, lambda ops: len(ops) == 1)
    page.goto(live_server.url + "/m/#me")
    page.click("#sign-out")  # offline: the phone forgets its token at once
    phone.set_offline(False)
    sign_in_again(page, "gw_b")
    page.evaluate("window.zwSync()")
    page.wait_for_timeout(1500)
    assert len(outbox(page)) == 1 and not Incident.objects.exists()
    page.goto(live_server.url + "/m/#me")
    page.click("#sign-out")
    sign_in_again(page, "gw_a")
    until(page, lambda ops: not ops)
    assert Incident.objects.get().reporter == personas.grid_worker_a


def test_a_report_near_an_open_one_of_its_category_names_it(phone, live_server, personas, categories):
    from zhenwu.grid.tests.factories import report

    earlier = report(personas.grid_worker_a, point=(LNG + 0.0001, LAT))  # about 10 m east
    page = signed_in(phone, live_server.url, "gw_a")
    page.wait_for_selector("#category option[value=E0101]", state="attached")
    page.wait_for_function("() => document.querySelector('#gps-status').textContent.includes('定位精度')")
    page.select_option("#category", "E0101")
    page.fill("#report-form textarea[name=description]", "同一处垃圾")
    page.click("#report-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('#report-form [data-msg]').textContent.includes('附近已有')")
    assert earlier.case.number in page.text_content("#report-form [data-msg]")
