"""The warning's API: the village worker records the visit with a photo; reads are audited; grid B's worker,
the window clerk and the supervisor see counts only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.assistance.services.warnings import warnings_scan
from zhenwu.assistance.tests.warn.factories import person, settle
from zhenwu.casework.models import AuditEntry
from zhenwu.testing import PNG

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_village_worker_records_the_visit_and_only_readers_see_it(clock, town, worker_a, civil, personas,
                                                                       settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    someone = person(town.grid_a, name="赵六")
    settle(someone, dt.date(2025, 9, 29), 8000)
    [warning] = warnings_scan(as_of=dt.date(2025, 9, 30))
    number = warning.case.number
    url = f"/api/v1/assistance/warnings/{number}"
    body = _client(worker_a).get(url).json()
    assert body["person_name"] == "赵六" and body["settlements"][0]["out_of_pocket"] == "8000.00"
    assert AuditEntry.objects.filter(subject=number, action="view", actor=worker_a).exists()
    for outsider in (personas.grid_worker_b, personas.town_staff, personas.county_staff, personas.admin):
        assert _client(outsider).get(url).status_code == 404
        assert _client(outsider).get("/api/v1/assistance/warnings").json()["items"] == []
    counts = _client(personas.county_staff).get("/api/v1/assistance/warnings/counts").json()
    assert counts["villages"][0]["raised"] == 1 and "赵六" not in str(counts)

    stale = _client(worker_a).post(f"{url}/visit", {"record": "x", "outcome": "no_need", "expected_version": 99})
    assert stale.status_code == 409
    done = _client(worker_a).post(f"{url}/visit", {
        "record": "家庭困难，已代为申请", "outcome": "application_opened", "application_number": "JZ-1",
        "expected_version": body["version"], "photos": SimpleUploadedFile("p.png", PNG, content_type="image/png")})
    assert done.status_code == 200, done.content
    out = done.json()
    assert out["state"] == "closed" and out["visit"]["record"].startswith("家庭")
    sha = out["visit"]["photos"][0]
    assert _client(civil).get(f"{url}/photos/{sha}").status_code == 200
    assert _client(personas.grid_worker_b).get(f"{url}/photos/{sha}").status_code == 404
    # the kernel does not serve the photo: it is not filed on the case the scope's staff can read
    assert _client(personas.county_staff).get(f"/api/v1/casework/attachments/{sha}").status_code == 404
    page = _client(civil).get(f"/assistance/warnings/{number}/")
    assert page.status_code == 200 and "家庭困难" in page.content.decode()


def test_civil_affairs_reassign_to_a_reader_only(clock, town, worker_a, civil, personas):
    someone = person(town.grid_a)
    settle(someone, dt.date(2025, 9, 29), 8000)
    [warning] = warnings_scan(as_of=dt.date(2025, 9, 30))
    url = f"/api/v1/assistance/warnings/{warning.case.number}/reassign"
    bad = _client(civil).post(url, {"handler": personas.grid_worker_b.pk}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "handler"
    assert _client(worker_a).post(url, {"handler": civil.pk}, content_type="application/json").status_code == 403
    ok = _client(civil).post(url, {"handler": civil.pk, "reason": "村干部外出"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["handler"] == "civil"
