"""The phone app for officers: my tasks, evidence with the GPS fix and the time taken (sent once however often
the outbox retries), and patrols whose last position and mileage show on the officers list."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.casework.models import AuditEntry, CaseAttachment
from zhenwu.enforcement.services.cases import Party, case_act, general_open
from zhenwu.enforcement.tests import factories as f
from zhenwu.testing import GRID_A, VALID_USCC

M_PER_DEG_LAT = 111_195.0


def api(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def investigating(team: Any) -> Any:
    row = general_open(actor=team.a.user, power_code=team.power.code, party=Party("东山机械", uscc=VALID_USCC),
                       area_code=GRID_A, facts="占道堆放", investigators=[team.a.pk, team.b.pk])
    return case_act(actor=team.leader, number=row.case.number, action="approve_filing", fields={"opinion": "同意"})


def test_my_tasks_are_the_cases_i_investigate(team, personas):
    row = investigating(team)
    mine = api(team.a.user).get("/api/v1/enforcement/my-tasks").json()
    assert (mine["officer"], mine["certificate_valid"]) == (True, True)
    assert [c["number"] for c in mine["cases"]] == [row.case.number] and mine["followups"] == []
    assert api(team.c.user).get("/api/v1/enforcement/my-tasks").json()["cases"] == []  # not an investigator
    assert api(personas.grid_worker_a).get("/api/v1/enforcement/my-tasks").status_code == 403
    assert api(personas.citizen).get("/api/v1/enforcement/my-tasks").status_code == 404
    assert Client().get("/api/v1/enforcement/my-tasks").status_code == 401


def evidence(client: Client, number: str, key: str | None, **fields: Any) -> Any:
    body = {"file": SimpleUploadedFile("现场.png", f.PNG, content_type="image/png"), **fields}
    return client.post(f"/api/v1/enforcement/cases/{number}/evidence", body,
                       headers={"Idempotency-Key": key} if key else None)


def test_evidence_from_the_phone_carries_the_fix_and_the_time_and_is_filed_once(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = investigating(team)
    c = api(team.a.user)
    fields = {"lng": "119.521234", "lat": "31.951234", "accuracy": "6.5", "taken_at": "2025-09-30T09:58:00+08:00",
              "place": "东山路口"}
    first = evidence(c, row.case.number, "k-1", **fields)
    assert first.status_code == 201, first.content
    assert first.json()["name"] == "现场.png @ 东山路口 119.521234,31.951234 ±6m 2025-09-30 09:58:00"
    again = evidence(c, row.case.number, "k-1", **fields)  # the outbox's retry after a lost answer
    assert (again.status_code, again.json()) == (201, first.json())
    assert CaseAttachment.objects.filter(case=row.case).count() == 1
    assert AuditEntry.objects.filter(subject=row.case.number, action="attachment_add").count() == 1
    other = evidence(c, row.case.number, "k-1", **{**fields, "place": "别处"})
    assert other.status_code == 409  # the same key with another body


def test_evidence_with_a_bad_fix_is_refused_and_nothing_is_filed(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = investigating(team)
    c = api(team.a.user)
    cases = [({"lng": "119.5", "lat": "95"}, "lat"), ({"lng": "119.5"}, "lat"), ({"accuracy": "-1"}, "accuracy"),
             ({"taken_at": "2099-01-01T00:00:00+08:00"}, "taken_at")]
    for fields, field in cases:
        response = evidence(c, row.case.number, None, **fields)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, (fields, response.json())
    assert not CaseAttachment.objects.filter(case=row.case).exists()
    assert evidence(api(team.c.user), row.case.number, None).status_code == 201  # any officer of the scope
    assert evidence(api(team.expired.user), row.case.number, None).status_code == 400  # not with an expired card


def test_an_officer_patrols_and_the_officers_list_shows_the_last_position_and_mileage(team, clock):
    c = api(team.a.user)
    t0 = clock.now - dt.timedelta(hours=1)
    start = c.post("/api/v1/grid/patrols/", json.dumps({"client_id": "zf-1", "started_at": t0.isoformat()}),
                   content_type="application/json")
    assert start.status_code == 201, start.content
    pid = start.json()["id"]
    points = [{"t": (t0 + dt.timedelta(seconds=10 * i)).isoformat(), "lng": 119.52,
               "lat": 31.95 + i * 10 / M_PER_DEG_LAT, "accuracy": 8} for i in range(101)]
    batch = c.post(f"/api/v1/grid/patrols/{pid}/points", json.dumps({"points": points}),
                   content_type="application/json", headers={"Idempotency-Key": "zf-b1"})
    assert batch.status_code == 201, batch.content
    c.post(f"/api/v1/grid/patrols/{pid}/stop", json.dumps({}), content_type="application/json")
    rows = {r["id"]: r for r in api(team.leader).get("/api/v1/enforcement/officers").json()["items"]}
    a, b = rows[team.a.pk], rows[team.b.pk]
    assert abs(a["last_lat"] - points[-1]["lat"]) < 1e-9 and a["last_lng"] == 119.52
    assert dt.datetime.fromisoformat(a["last_seen_at"]) == t0 + dt.timedelta(seconds=1000)
    assert a["patrol_km_today"] == a["patrol_km_month"] and abs(a["patrol_km_today"] - 1.0) < 0.01
    assert (b["last_lat"], b["last_seen_at"], b["patrol_km_today"]) == (None, None, 0.0)
    clock.advance(days=1)  # 1 October: a new day and a new month
    a = {r["id"]: r for r in api(team.leader).get("/api/v1/enforcement/officers").json()["items"]}[team.a.pk]
    assert (a["patrol_km_today"], a["patrol_km_month"]) == (0.0, 0.0) and a["last_lat"] is not None
