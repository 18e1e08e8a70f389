import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.casework.tests.test_attachments import photo_with_gps
from zhenwu.testing import GRID_A

API = "/api/v1/casework"


@pytest.fixture
def case(make_case):
    return make_case(area_code=GRID_A)


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_scope_decides_who_sees_a_case(client, personas, case):
    assert client.get(f"{API}/cases/{case.number}").status_code == 401
    seen = as_user(client, personas.grid_worker_a).get(f"{API}/cases/{case.number}")
    assert seen.json()["status"] == "registered"
    assert as_user(client, personas.grid_worker_b).get(f"{API}/cases/{case.number}").status_code == 404
    assert as_user(client, personas.citizen).get(f"{API}/cases/{case.number}").status_code == 404
    assert client.get(f"{API}/cases/{case.number}/timeline").status_code == 404


@pytest.mark.django_db
def test_transitions_answer_200_400_403_409(client, personas, case):
    url = f"{API}/cases/{case.number}/transitions"
    as_user(client, personas.county_staff)
    assert client.post(url, {"action": "accept"}, content_type="application/json").status_code == 403
    as_user(client, personas.grid_worker_a)
    bad = client.post(url, {"action": "close"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "action"
    stale = client.post(url, {"action": "accept", "version": 7}, content_type="application/json")
    assert stale.status_code == 409
    ok = client.post(url, {"action": "accept", "reason": "受理"}, content_type="application/json",
                     headers={"X-Request-ID": "req-42"})
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok.json()["status_label"] == "办理"
    timeline = client.get(f"{API}/cases/{case.number}/timeline").json()
    assert [e["action"] for e in timeline] == ["create", "accept"] and timeline[1]["request_id"] == "req-42"


@pytest.mark.django_db
def test_a_download_is_byte_identical_and_scoped(client, personas, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = photo_with_gps()
    as_user(client, personas.grid_worker_a)
    up = client.post(f"{API}/cases/{case.number}/attachments",
                     {"file": SimpleUploadedFile("photo.jpg", data, "text/plain")})
    assert up.status_code == 201, up.content
    sha = up.json()["sha256"]
    down = client.get(f"{API}/attachments/{sha}")
    downloaded = b"".join(down.streaming_content)
    assert hashlib.sha256(downloaded).hexdigest() == hashlib.sha256(data).hexdigest() == sha
    assert as_user(client, personas.grid_worker_b).get(f"{API}/attachments/{sha}").status_code == 404


@pytest.mark.django_db
def test_the_calendar_endpoints(client, personas):
    as_user(client, personas.citizen)
    got = client.get(f"{API}/calendar/add-workdays", {"start": "2025-09-30", "days": 3}).json()
    assert got == {"start": "2025-09-30", "days": 3, "result": "2025-10-11", "confirmed": True}
    assert client.get(f"{API}/calendar/add-workdays", {"start": "2025-09-30", "days": -1}).status_code == 400
    years = client.get(f"{API}/calendar/years").json()
    assert years[0]["year"] == 2004 and years[-1]["year"] == 2026
