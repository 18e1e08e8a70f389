"""Check-ins at places and the day's patrol summary, each seen by the right people only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.grid.models import CheckIn
from zhenwu.grid.services.patrols import checkin_create, patrol_points_add, patrol_start, patrol_stop
from zhenwu.grid.tests.factories import report
from zhenwu.grid.tests.test_patrols import LAT, LNG, M_PER_DEG_LAT, client_of, post, walk
from zhenwu.registry.tests import factories
from zhenwu.testing import local, make_staff

URL = "/api/v1/grid/patrols/checkins"


@pytest.fixture
def shop(town):
    return factories.place(town.grid_a, lng=LNG, lat=LAT)


@pytest.mark.django_db
def test_a_worker_checks_in_near_a_place_once_per_key(personas, shop):
    c = client_of(personas.grid_worker_a)
    body = {"place_id": shop.pk, "lng": LNG, "lat": LAT + 40 / M_PER_DEG_LAT}
    first = post(c, URL, body, key="c1")
    assert first.status_code == 201 and first.json()["distance_m"] == pytest.approx(40, abs=0.5)
    again = post(c, URL, body, key="c1")
    assert (again.status_code, again.json()["id"]) == (201, first.json()["id"])
    assert post(c, URL, {**body, "lng": LNG + 0.0001}, key="c1").status_code == 409
    assert CheckIn.objects.count() == 1


@pytest.mark.django_db
def test_a_check_in_too_far_from_the_place_is_refused(personas, shop, settings):
    settings.GRID_CHECKIN_MAX_METERS = 100
    c = client_of(personas.grid_worker_a)
    response = post(c, URL, {"place_id": shop.pk, "lng": LNG, "lat": LAT + 350 / M_PER_DEG_LAT})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "place_id" and "350" in error["message"] and "100" in error["message"]
    assert not CheckIn.objects.exists()


@pytest.mark.django_db
def test_a_place_of_another_grid_is_not_found(personas, shop):
    response = post(client_of(personas.grid_worker_b), URL, {"place_id": shop.pk, "lng": LNG, "lat": LAT})
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_check_in_during_a_patrol_belongs_to_it(personas, shop):
    patrol, _ = patrol_start(actor=personas.grid_worker_a, client_id="p")
    c = client_of(personas.grid_worker_a)
    assert post(c, URL, {"place_id": shop.pk, "lng": LNG, "lat": LAT}).json()["patrol_id"] == patrol.pk


@pytest.mark.django_db
def test_places_to_check_in_at_are_those_of_my_grid_nearest_first(personas, town, shop):
    far = factories.place(town.grid_a, name="远处仓库", lng=LNG + 0.01, lat=LAT)
    factories.place(town.grid_b, name="西河商店", lng=119.57, lat=LAT)
    rows = client_of(personas.grid_worker_a).get("/api/v1/grid/patrols/places",
                                                 {"lng": str(LNG + 0.009), "lat": str(LAT)}).json()
    assert [r["id"] for r in rows] == [far.pk, shop.pk]


def _record(worker, start, client_id, points=6):
    patrol, _ = patrol_start(actor=worker, client_id=client_id, started_at=start)
    patrol_points_add(actor=worker, patrol_id=patrol.pk, points=[
        {**p, "t": dt.datetime.fromisoformat(p["t"])} for p in walk(start, points)])
    return patrol_stop(actor=worker, patrol_id=patrol.pk, ended_at=start + dt.timedelta(minutes=30))


@pytest.fixture
def day_of_patrols(town, personas):
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=1)
    _record(personas.grid_worker_a, start, "a1")
    _record(personas.grid_worker_a, start + dt.timedelta(hours=2), "a2")
    _record(personas.grid_worker_b, start, "b1", points=11)
    return start.date()


@pytest.mark.django_db
def test_the_summary_adds_up_a_workers_day(personas, day_of_patrols):
    rows = client_of(personas.grid_worker_a).get("/api/v1/grid/patrols/summary", {"day": day_of_patrols}).json()
    assert [(r["worker"], r["patrols"], r["duration_s"], r["distance_m"]) for r in rows] == [("gw_a", 2, 3600, 100.0)]


@pytest.mark.django_db
def test_a_grid_leader_and_a_dispatcher_see_their_scopes_patrols(town, personas, day_of_patrols):
    leader = make_staff("leader_a", roles=[Role.GRID_LEADER], scope=town.village_a)
    dispatcher = make_staff("dispatch", roles=[Role.DISPATCHER], scope=town.town)
    seen = {}
    for user in (leader, dispatcher, personas.town_staff, personas.grid_worker_b):
        rows = client_of(user).get("/api/v1/grid/patrols/summary", {"day": day_of_patrols}).json()
        seen[user.username] = sorted(r["worker"] for r in rows)
    assert seen == {"leader_a": ["gw_a"], "dispatch": ["gw_a", "gw_b"], "clerk": [], "gw_b": ["gw_b"]}


@pytest.mark.django_db
def test_another_workers_patrol_is_not_found_and_cannot_be_written(town, personas, day_of_patrols):
    theirs = client_of(personas.grid_worker_a).get("/api/v1/grid/patrols/", {"day": day_of_patrols}).json()[0]["id"]
    gw_b = client_of(personas.grid_worker_b)
    assert gw_b.get(f"/api/v1/grid/patrols/{theirs}").status_code == 404
    assert post(gw_b, f"/api/v1/grid/patrols/{theirs}/points", {"points": walk(timezone.now(), 1)},
                key="z").status_code == 404
    dispatcher = client_of(make_staff("dispatch", roles=[Role.DISPATCHER], scope=town.town))
    assert dispatcher.get(f"/api/v1/grid/patrols/{theirs}").status_code == 200
    assert post(dispatcher, f"/api/v1/grid/patrols/{theirs}/stop", {}).status_code == 404  # reads, never writes


@pytest.mark.django_db
def test_the_summary_counts_the_days_reports_and_check_ins(personas, town, categories, day_of_patrols):
    day = day_of_patrols
    report(personas.grid_worker_a, reported_at=local(day.year, day.month, day.day, 10, 0))
    report(personas.grid_worker_a)  # today, not that day
    shop = factories.place(town.grid_a, lng=LNG, lat=LAT)
    checkin_create(actor=personas.grid_worker_a, place_id=shop.pk, lng=LNG, lat=LAT,
                   at=local(day.year, day.month, day.day, 9, 10))
    row = client_of(personas.grid_worker_a).get("/api/v1/grid/patrols/summary", {"day": day}).json()[0]
    assert (row["reports"], row["checkins"]) == (1, 1)
