"""The daily upload quota per user (issue 8): bytes past the allowance answer 429 ``file``; the count is
atomic, so concurrent uploads — threads on PostgreSQL, clients of a live server — never pass it."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.accounts.tests.live import LiveClient, at_once
from zhenwu.casework.models import AttachmentUpload
from zhenwu.casework.services import attachment_store
from zhenwu.errors import FieldError
from zhenwu.testing import PASSWORD

PDF = b"%PDF-1.4\n"


def pdf(size: int, tag: int | str = 0) -> bytes:
    head = PDF + f"{tag}:{uuid.uuid4().hex}\n".encode()
    return head + b"x" * (size - len(head))


@pytest.fixture(autouse=True)
def _quota(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "upload_bytes_public": "1000/86400",
                               "upload_bytes_staff": "3000/86400"}


@pytest.mark.django_db
def test_uploads_past_the_daily_allowance_are_refused(personas):
    attachment_store(actor=personas.citizen, data=pdf(600))
    with pytest.raises(FieldError) as err:
        attachment_store(actor=personas.citizen, data=pdf(600))
    assert (err.value.field, err.value.status) == ("file", 429)
    attachment_store(actor=personas.citizen, data=pdf(400))  # the refused bytes were not counted
    with pytest.raises(FieldError):
        attachment_store(actor=personas.citizen, data=pdf(1))
    attachment_store(actor=personas.town_staff, data=pdf(2500))  # staff: their own, larger allowance


@pytest.mark.django_db
def test_the_same_file_again_from_the_same_user_costs_nothing(personas):
    data = pdf(600)
    first = attachment_store(actor=personas.citizen, data=data)
    assert attachment_store(actor=personas.citizen, data=data) == first
    attachment_store(actor=personas.citizen, data=pdf(400))


@pytest.mark.django_db
def test_the_api_answers_429_with_a_message_in_both_languages(client, personas):
    client.force_login(personas.citizen)
    url = "/api/v1/services/uploads"
    assert client.post(url, {"file": SimpleUploadedFile("a.pdf", pdf(900))}).status_code == 201
    r = client.post(url, {"file": SimpleUploadedFile("b.pdf", pdf(900))})
    assert r.status_code == 429
    error = r.json()["errors"][0]
    assert error["field"] == "file" and "upload" in error["message_en"] and "上传" in error["message"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_on_postgres_never_pass_the_quota(personas):
    results = at_once(20, lambda i: _try_store(personas.citizen, pdf(100, i)))
    assert results.count(True) == 10
    assert AttachmentUpload.objects.filter(user=personas.citizen).count() == 10


def _try_store(user, data: bytes) -> bool:
    try:
        attachment_store(actor=user, data=data)
    except FieldError as exc:
        assert exc.status == 429
        return False
    return True


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_clients_of_a_live_server_never_pass_the_quota(live_server, personas):
    clients = []
    for _i in range(16):
        c = LiveClient(live_server.url)
        status, _page = c.post_form("/login/", {"username": personas.citizen.username, "password": PASSWORD})
        assert status == 302
        clients.append(c)

    def send(i: int) -> int:
        body, kind = _multipart(pdf(250, i))
        token = next(k.value or "" for k in clients[i].jar if k.name == "csrftoken")
        return clients[i].request("POST", "/api/v1/services/uploads", body,
                                  {"Content-Type": kind, "X-CSRFToken": token, "Referer": live_server.url})[0]

    statuses = at_once(16, send)
    assert statuses.count(201) == 4 and statuses.count(429) == 12
