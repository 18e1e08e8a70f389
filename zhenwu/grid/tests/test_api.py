"""/api/v1/grid/: categories, report with photos and Idempotency-Key, queue, detail, actions, duplicates,
my tasks, map."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.casework.models import Case, IdempotencyRecord
from zhenwu.grid.models import Incident
from zhenwu.grid.tests.factories import OUTSIDE, POINT_A, GridStaff, jpeg, report
from zhenwu.testing import GRID_A, Personas

pytestmark = pytest.mark.django_db
URL = "/api/v1/grid/incidents"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**extra):
    data = {"category": "E0101", "lng": str(POINT_A[0]), "lat": str(POINT_A[1]), "description": "路边垃圾",
            "source": "patrol", "address": "东山路3号"}
    data.update(extra)
    return data


def photo(colour="red", name="a.jpg"):
    return SimpleUploadedFile(name, jpeg(colour), content_type="image/jpeg")


def test_categories_are_listed_with_the_recently_used_first(categories, personas: Personas) -> None:
    client = client_of(personas.grid_worker_a)
    first = client.get("/api/v1/grid/categories").json()
    assert {c["code"] for c in first} == set(categories) and not any(c["recent"] for c in first)
    row = next(c for c in first if c["code"] == "E0101")
    assert row["major_name"] == "市容环境" and row["department"] == "镇环卫所" and row["self_close"] is True
    report(personas.grid_worker_a, category="P0201")
    again = client.get("/api/v1/grid/categories").json()
    assert again[0]["code"] == "P0201" and again[0]["recent"] is True


def test_a_report_with_photos_answers_201_and_an_offline_replay_makes_one_incident(categories,
                                                                                  personas: Personas) -> None:
    client = client_of(personas.grid_worker_a)
    answers = [client.post(URL, {**form(), "photos": [photo(), photo("blue", "b.jpg")]},
                           HTTP_IDEMPOTENCY_KEY="offline-0001") for _ in range(5)]
    assert [a.status_code for a in answers] == [201] * 5
    bodies = [a.json() for a in answers]
    assert all(b == bodies[0] for b in bodies)
    assert Incident.objects.count() == 1 and Case.objects.count() == 1
    body = bodies[0]
    assert body["grid_code"] == GRID_A and body["grid_name"] == "东山村第一网格" and body["status"] == "reported"
    assert len(body["photos"]) == 2 and body["photos"][0]["url"].startswith("/api/v1/casework/attachments/")
    assert body["light"] == "green" and body["due_at"]


def test_the_same_key_with_another_body_is_a_409_and_writes_nothing(categories, personas: Personas) -> None:
    client = client_of(personas.grid_worker_a)
    assert client.post(URL, form(), HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    second = client.post(URL, form(description="另一处垃圾"), HTTP_IDEMPOTENCY_KEY="k1")
    assert second.status_code == 409 and second.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Incident.objects.count() == 1 and IdempotencyRecord.objects.count() == 1


def test_a_second_report_nearby_is_offered_the_first_as_a_duplicate(categories, personas: Personas) -> None:
    client = client_of(personas.grid_worker_a)
    first = client.post(URL, form()).json()
    second = client.post(URL, form(lng=str(POINT_A[0] + 0.0002))).json()
    assert [d["number"] for d in second["duplicates"]] == [first["number"]]
    assert 10 < second["duplicates"][0]["distance_m"] < 30
    where = {"category": "E0101", "lng": str(POINT_A[0]), "lat": str(POINT_A[1])}
    near = client.get("/api/v1/grid/duplicates", where).json()
    assert {d["number"] for d in near} == {first["number"], second["number"]}
    assert client_of(personas.grid_worker_b).get("/api/v1/grid/duplicates", where).json() == []


def test_the_answer_offers_only_the_duplicates_the_reporter_may_see(categories, personas: Personas) -> None:
    staff = client_of(personas.grid_worker_a).post(URL, form()).json()
    near = form(lng=str(POINT_A[0] + 0.0002))
    theirs = client_of(personas.citizen).post(URL, near)
    assert theirs.status_code == 201 and theirs.json()["duplicates"] == []  # a citizen sees only their own
    again = client_of(personas.citizen).post(URL, near).json()
    assert [d["number"] for d in again["duplicates"]] == [theirs.json()["number"]]
    worker = client_of(personas.grid_worker_a).post(URL, near).json()  # the grid's worker sees all three
    assert [d["number"] for d in worker["duplicates"]] == [again["number"], theirs.json()["number"], staff["number"]]


@pytest.mark.parametrize(("change", "files", "field"), [
    ({"category": "Z0000"}, [], "category"),
    ({"lng": str(OUTSIDE[0]), "lat": str(OUTSIDE[1])}, [], "lng"),
    ({"lng": "east"}, [], "lng"),
    ({}, [SimpleUploadedFile("x.jpg", b"MZ not an image", content_type="image/jpeg")], "photos"),
    ({"reported_at": "yesterday"}, [], "reported_at"),
])
def test_bad_reports_answer_400_on_the_field_and_write_nothing(categories, personas: Personas, change, files,
                                                               field) -> None:
    response = client_of(personas.grid_worker_a).post(URL, {**form(**change), "photos": files},
                                                      HTTP_IDEMPOTENCY_KEY="bad-1")
    assert response.status_code == 400, response.content
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Incident.objects.exists() and not Case.objects.exists() and not IdempotencyRecord.objects.exists()


def test_a_photo_over_the_limit_is_refused_before_it_is_read(categories, personas: Personas, settings) -> None:
    settings.GRID_PHOTO_MAX_BYTES = 100
    response = client_of(personas.grid_worker_a).post(URL, {**form(), "photos": [photo()]})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "photos"
    assert not Incident.objects.exists()


def test_staff_without_a_grid_role_cannot_report(categories, personas: Personas) -> None:
    assert client_of(personas.town_staff).post(URL, form()).status_code == 403


def test_the_queue_filters_and_pages(categories, personas: Personas, staff: GridStaff) -> None:
    a1 = report(personas.grid_worker_a)
    report(personas.grid_worker_a, category="P0201")
    report(personas.grid_worker_b, point=(119.57, 31.95), source="patrol")
    client = client_of(staff.dispatcher)
    whole = client.get(URL).json()
    assert whole["count"] == 3
    assert client.get(URL, {"grid": GRID_A}).json()["count"] == 2
    assert client.get(URL, {"category": "P02"}).json()["count"] == 1  # a major class
    assert client.get(URL, {"q": a1.case.number}).json()["items"][0]["number"] == a1.case.number
    assert client.get(URL, {"status": "open", "light": "green"}).json()["count"] == 3
    assert client.get(URL, {"light": "red"}).json()["count"] == 0
    page = client.get(URL, {"limit": 2, "offset": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert client.get(URL, {"light": "purple"}).status_code == 400
    assert client_of(personas.grid_worker_b).get(URL).json()["count"] == 1


def test_the_detail_lists_exactly_the_actions_allowed_now(categories, personas: Personas, staff: GridStaff) -> None:
    incident = report(personas.grid_worker_a)
    number = incident.case.number
    dispatcher = client_of(staff.dispatcher).get(f"{URL}/{number}").json()
    assert {a["key"] for a in dispatcher["actions"]} == {"register", "reject", "merge", "escalate"}
    worker = client_of(personas.grid_worker_a).get(f"{URL}/{number}").json()
    assert {a["key"] for a in worker["actions"]} == {"self_close", "merge", "escalate"}
    assert worker["timeline"][0]["action"] == "create"


def test_an_action_by_http_and_a_stale_version_is_a_409(categories, personas: Personas, staff: GridStaff) -> None:
    incident = report(personas.grid_worker_a)
    url = f"{URL}/{incident.case.number}/actions/register"
    client = client_of(staff.dispatcher)
    assert client.post(url, {"expected_version": 1}).json()["status"] == "registered"
    stale = client.post(f"{URL}/{incident.case.number}/actions/reject", {"expected_version": 1, "reason": "重复"})
    assert stale.status_code == 409
    assert client.post(f"{URL}/{incident.case.number}/actions/fly", {}).status_code == 400
    detail = client.get(f"{URL}/{incident.case.number}").json()
    assert detail["suggested_department"]["name"] == "镇环卫所" and detail["suggested_squad"]["name"] == "城管一中队"


def test_self_closure_by_http_with_the_photo_after(categories, personas: Personas) -> None:
    incident = report(personas.grid_worker_a)
    client = client_of(personas.grid_worker_a)
    url = f"{URL}/{incident.case.number}/actions/self_close"
    missing = client.post(url, {"result": "已清理"})
    assert missing.status_code == 400 and "photos" in [e["field"] for e in missing.json()["errors"]]
    done = client.post(url, {"result": "已清理", "photos": [photo("green")]})
    assert done.status_code == 200 and done.json()["status"] == "closed" and len(done.json()["result_photos"]) == 1


def test_my_tasks_and_the_map(categories, personas: Personas) -> None:
    incident = report(personas.grid_worker_a)
    client = client_of(personas.grid_worker_a)
    tasks = client.get("/api/v1/grid/my-tasks").json()
    assert [(t["number"], t["task"]) for t in tasks] == [(incident.case.number, "self_close")]
    geo = client.get("/api/v1/grid/map").json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"]["coordinates"] == list(POINT_A)
    assert client_of(personas.grid_worker_b).get("/api/v1/grid/map").json()["features"] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_concurrent_sends_of_one_offline_report_make_one_incident(categories, personas: Personas) -> None:
    import threading

    from django.db import connection

    barrier = threading.Barrier(5)
    statuses: list[int] = []
    numbers: list[str] = []

    def send() -> None:
        try:
            client = client_of(personas.grid_worker_a)
            barrier.wait()
            response = client.post(URL, {**form(), "photos": [photo()]}, HTTP_IDEMPOTENCY_KEY="phone-42")
            statuses.append(response.status_code)
            numbers.append(response.json().get("number", ""))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [201] * 5
    assert len(set(numbers)) == 1 and Incident.objects.count() == 1


def test_the_loop_over_http(categories, personas: Personas, staff: GridStaff) -> None:
    worker, dispatcher, handler = (client_of(u) for u in (personas.grid_worker_a, staff.dispatcher, staff.handler))
    number = worker.post(URL, {**form(category="E0106"), "photos": [photo()]}).json()["number"]
    act = f"{URL}/{number}/actions"
    assert dispatcher.post(f"{act}/register", {"expected_version": 1}).status_code == 200
    detail = dispatcher.get(f"{URL}/{number}").json()
    assert detail["suggested_squad"]["id"] == staff.squad.pk
    done = dispatcher.post(f"{act}/dispatch", {"handler": staff.handler.username, "expected_version": 2}).json()
    assert done["status"] == "dispatched" and done["handler"] == str(staff.handler) and done["light"] == "green"
    assert [t["task"] for t in handler.get("/api/v1/grid/my-tasks").json()] == ["handle"]
    no_photo = handler.post(f"{act}/handle", {"result": "已拆除"})
    assert no_photo.status_code == 400
    handled = handler.post(f"{act}/handle", {"result": "已拆除", "photos": [photo("green")]})
    assert handled.json()["status"] == "fed_back"
    assert [t["task"] for t in worker.get("/api/v1/grid/my-tasks").json()] == ["verify"]
    # someone not of that grid: grid B's worker does not see it, the village's grid leader may not verify it
    assert client_of(personas.grid_worker_b).post(f"{act}/verify_pass", {"photos": [photo()]}).status_code == 404
    refused = client_of(staff.village_leader).post(f"{act}/verify_pass", {"photos": [photo("white")]})
    assert refused.status_code == 403
    after = worker.get(f"{URL}/{number}").json()
    assert after["status"] == "fed_back" and after["verify_photos"] == []
    closed = worker.post(f"{act}/verify_pass", {"photos": [photo("white")]}).json()
    assert closed["status"] == "closed" and len(closed["verify_photos"]) == 1
    assert dispatcher.post(f"{act}/evaluate", {"score": "9"}).status_code == 400
    assert dispatcher.post(f"{act}/evaluate", {"score": "4", "note": "较好"}).json()["status"] == "evaluated"
    steps_done = [e["action"] for e in dispatcher.get(f"{URL}/{number}").json()["timeline"]]
    assert {"create", "register", "dispatch", "handle", "verify_pass", "evaluate"} <= set(steps_done)
