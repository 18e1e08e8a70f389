"""Patrols through the API: start, idempotent point batches, the speed check, the simplified track, stop."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhenwu.casework.models import IdempotencyRecord
from zhenwu.grid.models import Patrol, TrackPoint
from zhenwu.grid.track import Fix, first_too_fast, length_m, simplified

URL = "/api/v1/grid/patrols/"
LNG, LAT = 119.52, 31.95  # inside grid A
M_PER_DEG_LAT = 111_195.0


def client_of(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def walk(start: dt.datetime, n: int, *, step_m: float = 10.0, every_s: int = 10, lat0: float = LAT,
         index0: int = 0) -> list[dict[str, Any]]:
    """``n`` points walking north ``step_m`` metres every ``every_s`` seconds (3.6 km/h for the defaults)."""
    return [{"t": (start + dt.timedelta(seconds=every_s * (index0 + i))).isoformat(), "lng": LNG,
             "lat": lat0 + (index0 + i) * step_m / M_PER_DEG_LAT, "accuracy": 8} for i in range(n)]


def post(client: Client, url: str, body: dict[str, Any], key: str | None = None) -> Any:
    return client.post(url, body, content_type="application/json", headers={"Idempotency-Key": key} if key else None)


def started(client: Client, at: dt.datetime, client_id: str = "phone-1") -> int:
    response = post(client, URL, {"client_id": client_id, "started_at": at.isoformat()})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


@pytest.fixture
def t0() -> dt.datetime:
    return timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)


@pytest.mark.django_db
def test_a_patrol_is_recorded_in_batches_and_stopped(personas, t0):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    again = post(c, URL, {"client_id": "phone-1", "started_at": t0.isoformat()})
    assert (again.status_code, again.json()["id"]) == (200, pid)
    first = post(c, f"{URL}{pid}/points", {"points": walk(t0, 5)}, key="b1")
    assert first.status_code == 201 and first.json()["accepted"] == 5
    second = post(c, f"{URL}{pid}/points", {"points": walk(t0, 5, index0=5)}, key="b2")
    assert second.json()["patrol"]["point_count"] == 10
    stop = post(c, f"{URL}{pid}/stop", {"ended_at": (t0 + dt.timedelta(minutes=2)).isoformat()})
    body = stop.json()
    assert stop.status_code == 200 and body["ended_at"] is not None
    assert body["duration_s"] == 120
    assert math.isclose(body["distance_m"], 90.0, abs_tol=1.0)  # nine 10 m steps in a straight line
    assert c.get(f"{URL}{pid}").json()["track"] == [[LNG, LAT], [LNG, round(LAT + 90 / M_PER_DEG_LAT, 7)]]


@pytest.mark.django_db
def test_a_retried_batch_is_stored_once_and_another_body_under_its_key_is_refused(personas, t0):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    points = walk(t0, 4)
    assert post(c, f"{URL}{pid}/points", {"points": points}, key="k").status_code == 201
    replay = post(c, f"{URL}{pid}/points", {"points": points}, key="k")
    assert (replay.status_code, replay.json()["accepted"]) == (201, 4)  # the first answer, again
    other = post(c, f"{URL}{pid}/points", {"points": walk(t0, 3)}, key="k")
    assert other.status_code == 409 and other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert TrackPoint.objects.filter(patrol_id=pid).count() == 4
    assert IdempotencyRecord.objects.count() == 1


@pytest.mark.django_db
def test_an_overlapping_batch_under_a_new_key_adds_only_the_new_points(personas, t0):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    post(c, f"{URL}{pid}/points", {"points": walk(t0, 4)}, key="a")
    response = post(c, f"{URL}{pid}/points", {"points": walk(t0, 6)}, key="b")
    assert response.json()["accepted"] == 2
    assert TrackPoint.objects.filter(patrol_id=pid).count() == 6


@pytest.mark.django_db
def test_an_impossible_speed_refuses_the_batch_naming_the_point(personas, t0, settings):
    settings.GRID_PATROL_MAX_SPEED_KMH = 120
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    points = walk(t0, 4)
    points[2]["lat"] += 5000 / M_PER_DEG_LAT  # 5 km in 10 s: 1,800 km/h
    response = post(c, f"{URL}{pid}/points", {"points": points}, key="jump")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "points[2]" and "120" in error["message"]
    assert not TrackPoint.objects.filter(patrol_id=pid).exists()
    assert not IdempotencyRecord.objects.exists()  # nothing half-written: the same key may be used again


@pytest.mark.django_db
def test_the_speed_check_looks_back_at_the_last_stored_point(personas, t0):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    post(c, f"{URL}{pid}/points", {"points": walk(t0, 3)}, key="a")
    far = walk(t0, 2, index0=3, lat0=LAT + 0.05)  # 5.5 km north of the last point, 10 s later
    response = post(c, f"{URL}{pid}/points", {"points": far}, key="b")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "points[0]")


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    (lambda p: p[1].update(lng=200), "points[1].lng"),
    (lambda p: p[0].update(lat=-95), "points[0].lat"),
    (lambda p: p[2].update(t=p[0]["t"]), "points[2].t"),
    (lambda p: p[1].update(accuracy=-3), "points[1].accuracy"),
    (lambda p: p[1].update(t=(timezone.now() + dt.timedelta(hours=2)).isoformat()), "points[1].t"),
    (lambda p: p[0].update(t="2001-01-01T00:00:00+08:00"), "points[0].t"),
    (lambda p: p.clear(), "points"),
])
def test_a_bad_point_is_named_and_nothing_is_stored(personas, t0, change, field):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    points = walk(t0, 3)
    change(points)
    response = post(c, f"{URL}{pid}/points", {"points": points}, key="x")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not TrackPoint.objects.exists()


@pytest.mark.django_db
def test_a_batch_needs_an_idempotency_key(personas, t0):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    response = post(c, f"{URL}{pid}/points", {"points": walk(t0, 2)})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "Idempotency-Key")


@pytest.mark.django_db
def test_a_new_start_closes_the_patrol_whose_stop_was_lost(personas, t0):
    c = client_of(personas.grid_worker_a)
    first = started(c, t0, "p1")
    post(c, f"{URL}{first}/points", {"points": walk(t0, 3)}, key="a")
    started(c, t0 + dt.timedelta(minutes=30), "p2")
    assert Patrol.objects.get(pk=first).ended_at == t0 + dt.timedelta(seconds=20)


@pytest.mark.django_db
def test_stopping_twice_changes_nothing_and_a_stop_before_the_start_is_refused(personas, t0):
    c = client_of(personas.grid_worker_a)
    pid = started(c, t0)
    early = post(c, f"{URL}{pid}/stop", {"ended_at": (t0 - dt.timedelta(hours=1)).isoformat()})
    assert (early.status_code, early.json()["errors"][0]["field"]) == (400, "ended_at")
    end = t0 + dt.timedelta(minutes=5)
    post(c, f"{URL}{pid}/stop", {"ended_at": end.isoformat()})
    post(c, f"{URL}{pid}/stop", {"ended_at": (end + dt.timedelta(hours=1)).isoformat()})
    assert Patrol.objects.get(pk=pid).ended_at == end


@pytest.mark.django_db
def test_only_grid_workers_and_leaders_record_patrols(personas, t0):
    response = post(client_of(personas.town_staff), URL, {"client_id": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_same_client_id_with_another_start_time_is_a_conflict(personas, t0):
    c = client_of(personas.grid_worker_a)
    started(c, t0)
    response = post(c, URL, {"client_id": "phone-1", "started_at": (t0 + dt.timedelta(hours=1)).isoformat()})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (409, "client_id")


# ---------------------------------------------------------------- the geometry itself

def test_douglas_peucker_drops_jitter_within_the_tolerance():
    t = timezone.now()
    jitter = [Fix(t + dt.timedelta(seconds=i), LNG + (1e-5 if i % 2 else 0), LAT + i * 20 / M_PER_DEG_LAT)
              for i in range(50)]  # ±1 m sideways on a 980 m straight walk
    line = simplified(jitter, 5.0)
    assert len(line) == 2
    assert math.isclose(length_m(line), 980.0, rel_tol=0.01)
    assert len(simplified(jitter, 0.1)) == 50


def test_the_first_fix_too_fast_is_found_with_its_speed():
    t = timezone.now()
    fixes = [Fix(t, LNG, LAT), Fix(t + dt.timedelta(seconds=60), LNG, LAT + 1000 / M_PER_DEG_LAT),
             Fix(t + dt.timedelta(seconds=61), LNG, LAT + 2000 / M_PER_DEG_LAT)]
    index, kmh = first_too_fast(None, fixes, 120) or (None, None)
    assert index == 2 and kmh == pytest.approx(3600, rel=0.01)
    assert first_too_fast(None, fixes[:2], 120) is None  # 60 km/h: a car, possible
