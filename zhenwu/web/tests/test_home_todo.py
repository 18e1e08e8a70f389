"""Each role's home page opens with its to-do counts (each a link to exactly the list it counts), then
its charts, each figure linking to its cases and carrying its table."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from zhenwu.registry.tests import factories as rf
from zhenwu.services.services import application_accept, application_request_supplement
from zhenwu.services.tests.factories import build_hall, make_item, online_app, window_app

pytestmark = pytest.mark.django_db


def home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def tile(page: str, label: str) -> tuple[int, str]:
    found = re.search(r'<a class="tile[^"]*" href="([^"]+)" data-count="(\d+)">\s*<span class="n">\d+</span>'
                      r'<span class="label">' + label, page)
    assert found, f"no tile {label}"
    return int(found.group(2)), found.group(1).replace("&amp;", "&")


def chart(page: str, key: str) -> dict:
    found = re.search(rf'<script id="chart-data-{key}" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no chart {key}"
    return json.loads(found.group(1))


def test_a_clerk_sees_the_counts_first_and_each_opens_its_list(town: Any, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    hall = build_hall(town)
    make_item()
    window_app(hall), window_app(hall)
    application_request_supplement(actor=hall.clerk, application=window_app(hall), missing=["照片"])
    page = home(hall.clerk)
    assert page.index('class="tiles"') < page.index('class="chart-grid"') < page.index('class="card role-card"')
    assert tile(page, "待受理") == (2, "/services/?tab=accept")
    assert tile(page, "补正中") == (1, "/services/?tab=all&status=supplement")
    assert tile(page, "超期") == (0, "/services/?tab=all&light=red")
    listed = Client()
    listed.force_login(hall.clerk)
    assert listed.get("/services/?tab=accept").context["page"].paginator.count == 2


def test_the_clerks_charts_link_each_bar_to_its_cases(town: Any, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    hall = build_hall(town)
    make_item()
    application_accept(actor=hall.clerk, application=window_app(hall))  # accepted: the deadline runs, green
    page = home(hall.clerk)
    lights = chart(page, "lights")
    assert lights["series"][0]["data"] == [1, 0, 0]
    assert lights["links"] == ["/services/?tab=all&light=green", "/services/?tab=all&light=yellow",
                               "/services/?tab=all&light=red"]
    trend = chart(page, "trend")
    assert len(trend["categories"]) == 30 and sum(trend["series"][0]["data"]) == 1
    assert trend["series"][1]["name"] == "其中已办结"
    assert trend["links"][-1].startswith("/services/?tab=all&filed=")
    assert "查看表格" in page and 'data-label="申请件数"' in page


def test_a_day_of_the_trend_opens_the_cases_filed_that_day(town: Any, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    hall = build_hall(town)
    make_item()
    app = window_app(hall)
    client = Client()
    client.force_login(hall.clerk)
    day = app.case.created_at.astimezone().date().isoformat()
    assert app.case.number in client.get(f"/services/?tab=all&filed={day}").content.decode()
    assert app.case.number not in client.get("/services/?tab=all&filed=2020-01-01").content.decode()
    assert client.get("/services/?tab=all&filed=bad").status_code == 200  # the form shows the error


def test_a_grid_worker_sees_their_grid_and_the_people_cared_for(town: Any, personas) -> None:
    rf.resident(town.grid_a, tags=("elderly_alone",))
    rf.resident(town.grid_a)
    page = home(personas.grid_worker_a)
    assert tile(page, "居民") == (2, "/registry/residents/")
    assert tile(page, "关爱对象") == (1, "#care")
    care = chart(page, "care")
    assert care["categories"] == ["独居老人"] and care["links"] == ["/registry/residents/?tag=elderly_alone"]


def test_a_citizen_sees_what_is_expected_of_them(town: Any, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    hall = build_hall(town)
    make_item()
    app = online_app(hall)
    from zhenwu.services.services import application_precheck

    application_precheck(actor=hall.clerk, application=app)
    application_request_supplement(actor=hall.clerk, application=app, missing=["照片"])
    page = home(hall.citizen)
    assert tile(page, "需补正材料") == (1, "/portal/")
    assert "chart-data" not in page


def test_the_dispatcher_and_the_grid_see_their_incidents_to_do(town: Any, personas, settings, tmp_path) -> None:
    """指挥中心 and the grid open on the incidents waiting for them, each tile the queue it counts."""
    from zhenwu.grid.tests.factories import build_grid_staff, make_categories, report

    settings.MEDIA_ROOT = tmp_path
    make_categories()
    staff = build_grid_staff(town)
    report(personas.grid_worker_a)
    page = home(staff.dispatcher)
    count, url = tile(page, "待立案事件")
    assert (count, url) == (1, "/grid/incidents/?status=reported")
    listed = Client()
    listed.force_login(staff.dispatcher)
    assert "共 1 件事件" in listed.get(url).content.decode()
    assert tile(page, "超期事件") == (0, "/grid/incidents/?light=red")
    worker = home(personas.grid_worker_a)
    assert tile(worker, "待核查事件") == (0, "/grid/incidents/?status=fed_back")
    assert "待立案事件" not in worker
