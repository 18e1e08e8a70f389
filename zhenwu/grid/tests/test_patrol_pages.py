"""巡查记录 for staff: the grid leader sees the patrols of the scope (filters by worker, grid and dates, time and
distance with totals, 25 a page, xlsx of every row of the filter) and one patrol's track on a map; a worker
sees their own; outside the scope 404, other staff 403, citizens 404."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from zhenwu.accounts.choices import Role
from zhenwu.grid.services.patrols import checkin_create, patrol_points_add, patrol_start, patrol_stop
from zhenwu.registry.tests import factories
from zhenwu.testing import GRID_A, VILLAGE_A, make_staff

pytestmark = pytest.mark.django_db
LNG, LAT, M_PER_DEG_LAT = 119.52, 31.95, 111_195.0
URL = "/grid/patrols/"


def client_of(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def patrol(worker: Any, start: dt.datetime, *, metres: int = 600, lng: float = LNG, place: Any = None) -> Any:
    """A stopped patrol walking north ``metres`` in 10-metre steps, one every 10 s (3.6 km/h), checking in at
    ``place`` on the way."""
    made, _ = patrol_start(actor=worker, client_id=f"p-{start.isoformat()}", started_at=start)
    points = [{"t": start + dt.timedelta(seconds=10 * i), "lng": lng, "lat": LAT + 10 * i / M_PER_DEG_LAT,
               "accuracy": 5} for i in range(metres // 10 + 1)]
    patrol_points_add(actor=worker, patrol_id=made.pk, points=points)
    if place is not None:
        checkin_create(actor=worker, place_id=place.pk, lng=place.lng, lat=place.lat,
                       at=start + dt.timedelta(seconds=60))
    return patrol_stop(actor=worker, patrol_id=made.pk, ended_at=start + dt.timedelta(seconds=10 * (metres // 10)))


@pytest.fixture
def leader(town: Any) -> Any:
    return make_staff("gl_a", roles=[Role.GRID_LEADER], scope=town.village_a, full_name="东山村网格长")


@pytest.fixture
def today() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=3)


def test_the_grid_leader_sees_the_scopes_patrols_with_time_distance_and_totals(personas, leader, today):
    patrol(personas.grid_worker_a, today, metres=600)
    patrol(personas.grid_worker_a, today - dt.timedelta(days=3), metres=1000)
    patrol(personas.grid_worker_b, today, metres=300, lng=119.57)  # grid B: outside village A
    page = client_of(leader).get(URL)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r["worker"], r["km"], r["minutes"]) for r in rows] == [("gw_a", 0.6, 10), ("gw_a", 1.0, 17)]
    assert page.context["totals"] == {"patrols": 2, "km": 1.6, "hours": 0.4}
    html = page.content.decode()
    assert "巡查记录" in html and 'data-patrols="2"' in html and "gw_b" not in html
    since = (today - dt.timedelta(days=1)).date().isoformat()
    assert len(client_of(leader).get(URL, {"since": since}).context["rows"]) == 1
    assert client_of(leader).get(URL, {"worker": personas.grid_worker_b.pk}).context["rows"] == []
    assert len(client_of(leader).get(URL, {"grid": GRID_A}).context["rows"]) == 2


def test_a_worker_sees_their_own_and_others_are_refused(personas, leader, today, town):
    patrol(personas.grid_worker_a, today)
    assert client_of(personas.grid_worker_b).get(URL).context["rows"] == []
    assert len(client_of(personas.grid_worker_a).get(URL).context["rows"]) == 1
    assert client_of(personas.town_staff).get(URL).status_code == 403  # a window clerk
    assert client_of(personas.citizen).get(URL).status_code == 404
    assert len(client_of(personas.county_staff).get(URL).context["rows"]) == 1  # a supervisor of the county


def test_bad_filters_are_400_naming_the_field(leader):
    for params, field in (({"since": "2026-13-01"}, "since"), ({"since": "2026-05-02", "until": "2026-05-01"}, "until"),
                          ({"worker": "abc"}, "worker"), ({"since": "2024-01-01", "until": "2026-01-01"}, "until")):
        response = client_of(leader).get(URL, params)
        assert response.status_code == 400 and field in response.context["error"]


def test_pages_of_25(personas, leader, today):
    for i in range(27):
        patrol(personas.grid_worker_a, today - dt.timedelta(hours=i * 5), metres=20)
    first = client_of(leader).get(URL)
    assert len(first.context["rows"]) == 25 and first.context["totals"]["patrols"] == 27
    assert len(client_of(leader).get(URL, {"page": 2}).context["rows"]) == 2


def test_the_export_holds_every_row_of_the_filter(personas, leader, today):
    for i in range(3):
        patrol(personas.grid_worker_a, today - dt.timedelta(days=i), metres=200)
    patrol(personas.grid_worker_b, today, metres=200, lng=119.57)
    response = client_of(leader).get(URL + "export.xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("网格员", "网格") and len(rows) == 4
    assert {r[0] for r in rows[1:]} == {"gw_a"} and rows[1][5] == 0.2
    assert client_of(leader).get(URL + "export.xlsx", {"since": "x"}).status_code == 400


def test_a_patrols_track_and_check_ins_on_its_map(personas, leader, today, town):
    place = factories.place(town.grid_a, name="东山便民超市", lng=LNG, lat=LAT + 0.0005)
    made = patrol(personas.grid_worker_a, today, metres=300, place=place)
    page = client_of(leader).get(f"{URL}{made.pk}/")
    assert page.status_code == 200
    config = page.context["map_config"]
    assert config["track"] == made.track and len(config["track"]) >= 2
    html = page.content.decode()
    assert 'id="patrol-map-config"' in html and "vendor/leaflet/leaflet.js" in html and "grid/patrol-map.js" in html
    assert json.loads(html.split('id="patrol-map-config" type="application/json">')[1].split("</script>")[0])[
        "track"] == made.track
    outsider = make_staff("gl_b", roles=[Role.GRID_LEADER], scope=town.village_b)
    assert client_of(outsider).get(f"{URL}{made.pk}/").status_code == 404
    assert client_of(personas.grid_worker_b).get(f"{URL}{made.pk}/").status_code == 404
    assert client_of(personas.citizen).get(f"{URL}{made.pk}/").status_code == 404
    assert client_of(leader).get(f"{URL}999999/").status_code == 404
    assert made.area_code.startswith(VILLAGE_A) and page.context["checkins"][0].place == place
    assert 'id="checkins"' in html and "东山便民超市" in html
