"""The staff pages of 一网治理 incidents: the queue (tabs, lights, filters, paging, map, xlsx), the incident
page (a button shows ⇔ the service takes the step; a refused step re-shows its form with the message; a
stale form says so), the staff report form (duplicates offered before filing) and the scope (404)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from zhenwu.errors import FieldError
from zhenwu.grid import schemas as s
from zhenwu.grid import selectors
from zhenwu.grid.api import _step
from zhenwu.grid.models import Incident
from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import POINT_A, GridStaff, jpeg, report
from zhenwu.testing import make_staff

pytestmark = pytest.mark.django_db


def client_of(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def offered(html: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def page(user: Any, number: str) -> Any:
    return client_of(user).get(f"/grid/incidents/{number}/")


# ---------------------------------------------------------------- the queue

def test_the_queue_counts_per_status_filters_and_pages(categories: Any, staff: GridStaff, personas: Any,
                                                       settings: Any) -> None:
    first = report(personas.grid_worker_a)
    second = report(personas.grid_worker_a, category="P0201", description="灯杆倾斜").case.number
    steps.incident_register(actor=staff.dispatcher, incident=first)
    client = client_of(staff.dispatcher)

    def rows(url: str) -> list[str]:
        return re.findall(r'<tr data-number="([^"]+)"', client.get(url).content.decode())

    html = client.get("/grid/incidents/").content.decode()
    assert re.search(r'data-tab="all"[^>]*>[^<]*<span class="count">2<', html)
    assert re.search(r'data-tab="registered"[^>]*>[^<]*<span class="count">1<', html)
    assert rows("/grid/incidents/") == [second, first.case.number]  # newest first
    assert rows("/grid/incidents/?status=registered") == [first.case.number]
    assert rows("/grid/incidents/?q=灯杆") == [second]
    assert rows("/grid/incidents/?category=P02") == [second]  # a major class
    assert rows(f"/grid/incidents/?grid={first.case.area_code[:12]}") == [second, first.case.number]
    from zhenwu.grid import views_incidents

    settings.DEBUG = False
    views_incidents.PAGE_SIZE = 1
    try:
        paged = client.get("/grid/incidents/?page=2").content.decode()
    finally:
        views_incidents.PAGE_SIZE = 25
    assert 'rel="prev"' in paged and "第 2 页" in paged


def test_a_bad_filter_is_a_400_naming_it_and_lights_count_running_incidents(categories: Any, staff: GridStaff,
                                                                           personas: Any) -> None:
    incident = report(personas.grid_worker_a)
    client = client_of(staff.dispatcher)
    bad = client.get("/grid/incidents/?light=purple")
    assert bad.status_code == 400 and "请选择" in bad.content.decode()
    html = client.get("/grid/incidents/").content.decode()
    light = selectors.live_light(incident)
    assert re.search(rf'data-light-count="{light}"><i class="light {light}"></i>[^<]*1<', html)
    assert client.get(f"/grid/incidents/?light={light}").content.decode().count("data-number=") == 1


def test_the_map_view_draws_the_filtered_running_incidents(categories: Any, staff: GridStaff, personas: Any) -> None:
    a = report(personas.grid_worker_a)
    b = report(personas.grid_worker_a, category="P0201")
    html = client_of(staff.dispatcher).get("/grid/incidents/?view=map&category=E0101").content.decode()
    config = re.search(r'<script id="incident-map-config" type="application/json">(.*?)</script>', html, re.S)
    assert config is not None
    assert a.case.number in config.group(1) and b.case.number not in config.group(1)


def test_the_export_holds_every_filtered_row_as_text(categories: Any, staff: GridStaff, personas: Any) -> None:
    from openpyxl import load_workbook

    report(personas.grid_worker_a, description="=HYPERLINK(\"http://x\")")
    report(personas.grid_worker_a, category="P0201")
    response = client_of(staff.dispatcher).get("/grid/incidents/export.xlsx?category=E0101")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0][0] == "事件编号"
    assert rows[1][4] == "=HYPERLINK(\"http://x\")"  # a text cell, not a formula


def test_grid_b_gets_404_and_a_clerk_without_a_grid_role_403(categories: Any, staff: GridStaff,
                                                              personas: Any) -> None:
    incident = report(personas.grid_worker_a)
    assert page(personas.grid_worker_b, incident.case.number).status_code == 404
    assert page(personas.town_staff, incident.case.number).status_code == 403
    assert page(personas.citizen, incident.case.number).status_code == 404
    assert incident.case.number not in client_of(personas.grid_worker_b).get("/grid/incidents/").content.decode()
    act = client_of(personas.grid_worker_b).post(f"/grid/incidents/{incident.case.number}/act/verify_pass/", {})
    assert act.status_code == 404
    other = client_of(personas.grid_worker_b)
    assert incident.case.number not in other.get("/grid/incidents/?view=map").content.decode()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(other.get("/grid/incidents/export.xlsx").content)).active
    assert sheet.max_row == 1  # the header only
    mine = load_workbook(io.BytesIO(client_of(personas.grid_worker_a).get("/grid/incidents/export.xlsx").content))
    assert mine.active.max_row == 2


# ---------------------------------------------------------------- buttons ⇔ service

ALL_ACTIONS = ("register", "reject", "merge", "self_close", "dispatch", "return", "request_extension",
               "approve_extension", "refuse_extension", "handle", "verify_pass", "verify_fail", "evaluate",
               "escalate", "reassign")


def _takes(user: Any, incident: Incident, action: str, into: str, unit: int) -> bool:
    """Would the service take ``action`` for ``user`` now (tried, then rolled back)?"""
    data = s.IncidentActionIn(expected_version=incident.case.version, reason="理由", result="已清理", into=into,
                              value="2", score="5", note="好", unit=str(unit) if action == "reassign" else "")
    try:
        with transaction.atomic():
            _step(user, Incident.objects.select_related("case", "category_version").get(pk=incident.pk), action, data,
                  [("p.jpg", jpeg())], "")
            transaction.set_rollback(True)
    except FieldError:
        return False
    return True


def _states(staff: GridStaff, personas: Any) -> list[Incident]:
    reported = report(personas.grid_worker_a)
    other = report(personas.grid_worker_a, point=(POINT_A[0] + 0.0001, POINT_A[1]))  # a duplicate to merge into
    dispatched = report(personas.grid_worker_a, category="E0106")
    dispatched = steps.incident_register(actor=staff.dispatcher, incident=dispatched)
    dispatched = steps.incident_dispatch(actor=staff.dispatcher, incident=dispatched, unit=staff.squad)
    fed_back = report(personas.grid_worker_a, category="E0106", point=(POINT_A[0], POINT_A[1] + 0.001))
    fed_back = steps.incident_register(actor=staff.dispatcher, incident=fed_back)
    fed_back = steps.incident_dispatch(actor=staff.dispatcher, incident=fed_back, unit=staff.squad)
    fed_back = steps.incident_handle(actor=staff.handler, incident=fed_back, result="已拆除",
                                     photos=[("r.jpg", jpeg())])
    del other
    return [reported, dispatched, fed_back]


def test_a_page_offers_a_step_exactly_when_the_service_takes_it(categories: Any, staff: GridStaff,
                                                                personas: Any) -> None:
    incidents = _states(staff, personas)
    into = Incident.objects.exclude(pk__in=[i.pk for i in incidents]).first()
    assert into is not None
    users = [staff.dispatcher, staff.handler, staff.village_leader, personas.grid_worker_a,
             personas.county_staff, make_staff("gw_a2", roles=["grid_worker"], scope=personas.grid_worker_a.scope_area)]
    seen = 0
    for incident in incidents:
        incident.refresh_from_db()
        for user in users:
            shown = offered(page(user, incident.case.number).content.decode())
            taken = {a for a in ALL_ACTIONS if _takes(user, incident, a, into.case.number, staff.department.pk)}
            assert shown == taken, (incident.case.status, user.username)
            seen += len(shown)
    assert seen >= 10  # the matrix is not empty


# ---------------------------------------------------------------- forms

def test_a_refused_step_reshows_its_form_with_the_message(categories: Any, staff: GridStaff, personas: Any) -> None:
    incident = report(personas.grid_worker_a)
    url = f"/grid/incidents/{incident.case.number}/act/reject/"
    response = client_of(staff.dispatcher).post(url, {"expected_version": incident.case.version, "reason": " "})
    html = response.content.decode()
    assert response.status_code == 400
    form = re.search(r'<form[^>]*data-action="reject".*?</form>', html, re.S)
    assert form is not None and "请填写理由" in form.group(0) and " bound" in html
    incident.case.refresh_from_db()
    assert incident.case.status == "reported"


def test_a_stale_form_says_the_incident_changed(categories: Any, staff: GridStaff, personas: Any) -> None:
    incident = report(personas.grid_worker_a)
    version = incident.case.version
    steps.incident_register(actor=staff.dispatcher, incident=incident)
    response = client_of(staff.dispatcher).post(f"/grid/incidents/{incident.case.number}/act/register/",
                                                {"expected_version": version})
    assert response.status_code == 409 and "已被他人修改" in response.content.decode()


def test_the_loop_through_the_pages_with_photos(categories: Any, staff: GridStaff, personas: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    incident = report(personas.grid_worker_a, category="E0106")
    number = incident.case.number

    def act(user: Any, action: str, **data: Any) -> Any:
        version = Incident.objects.get(pk=incident.pk).case.version
        return client_of(user).post(f"/grid/incidents/{number}/act/{action}/", {"expected_version": version, **data})

    assert act(staff.dispatcher, "register").status_code == 302
    assert act(staff.dispatcher, "dispatch", unit=staff.squad.pk).status_code == 302
    no_photo = act(staff.handler, "handle", result="已拆除")
    assert no_photo.status_code == 400 and "请上传处置后的照片" in no_photo.content.decode()
    photo = SimpleUploadedFile("after.jpg", jpeg("green"), content_type="image/jpeg")
    assert act(staff.handler, "handle", result="已拆除", photos=photo).status_code == 302
    photo = SimpleUploadedFile("site.jpg", jpeg("blue"), content_type="image/jpeg")
    assert act(personas.grid_worker_a, "verify_pass", photos=photo).status_code == 302
    html = page(staff.dispatcher, number).content.decode()
    assert "已结案" in html and html.count('class="thumb"') == 3 and 'data-action="evaluate"' in html


def test_the_staff_form_offers_duplicates_before_filing(categories: Any, staff: GridStaff, personas: Any) -> None:
    first = report(personas.grid_worker_a)
    client = client_of(personas.grid_worker_a)
    assert client.get("/grid/incidents/new/").status_code == 200
    form = {"category": "E0101", "lng": str(POINT_A[0]), "lat": str(POINT_A[1] + 0.0001), "description": "又一堆垃圾",
            "source": "patrol"}
    offered_page = client.post("/grid/incidents/new/", form)
    html = offered_page.content.decode()
    assert offered_page.status_code == 400 and f'value="{first.case.number}"' in html
    assert Incident.objects.count() == 1
    merged = client.post("/grid/incidents/new/", {**form, "merge_into": first.case.number})
    assert merged.status_code == 302
    new = Incident.objects.exclude(pk=first.pk).get()
    assert new.merged_into_id == first.pk and new.case.status == "merged"
    anyway = client.post("/grid/incidents/new/", {**form, "checked": "1"})
    assert anyway.status_code == 302 and Incident.objects.count() == 3


def test_the_staff_form_reshows_bad_input(categories: Any, staff: GridStaff, personas: Any) -> None:
    response = client_of(staff.dispatcher).post("/grid/incidents/new/", {
        "category": "E0101", "lng": "abc", "lat": "31.95", "description": "", "source": "hotline",
        "reporter_mobile": "123"})
    assert response.status_code == 400
    assert "请输入数字" in response.content.decode() or "数字" in response.content.decode()
    assert Incident.objects.count() == 0
    outside = client_of(staff.dispatcher).post("/grid/incidents/new/", {
        "category": "E0101", "lng": "119.70", "lat": "31.95", "description": "垃圾", "source": "hotline"})
    assert outside.status_code == 400 and 'value="119.70"' in outside.content.decode()


# ---------------------------------------------------------------- home cards and the menu

def test_home_cards_and_the_menu_link_the_queue_for_those_who_may_open_it(staff: GridStaff, personas: Any) -> None:
    leader = make_staff("town_leader", roles=["leader"], scope=personas.town_staff.scope_area)
    for user in (staff.dispatcher, staff.village_leader, personas.grid_worker_a, personas.county_staff, leader):
        html = client_of(user).get("/").content.decode()
        assert html.count('href="/grid/incidents/"') >= 2, user.username  # the card and the menu
        assert client_of(user).get("/grid/incidents/").status_code == 200
    clerk = client_of(personas.town_staff).get("/").content.decode()
    assert 'href="/grid/incidents/"' not in clerk  # no grid role: neither card nor menu (it would be a 403)
    citizen = client_of(personas.citizen).get("/").content.decode()
    assert 'href="/public/grid/report/"' in citizen and 'href="/grid/incidents/"' not in citizen
