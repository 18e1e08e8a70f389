"""Extreme input answers 400 (or 404/405/413) with the usual error body, never a 500 or an HTML page.

Each value below answered 500 before (issue 7, defect 5); unknown paths and over-long upload names
answered Django's HTML pages. Every answer here is ``{"errors": [{field, message, message_en}]}``
with Chinese in ``message`` and none in ``message_en``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.errors import CJK
from zhenwu.registry.tests import factories as f
from zhenwu.services.tests.factories import PDF
from zhenwu.testing import Personas

BIG = "1" * 31


@pytest.fixture
def admin(personas: Personas) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(personas.admin)
    return client


def assert_error(response: Any, status: int, field: str | None = "*") -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    [error, *_rest] = response.json()["errors"]
    assert set(error) == {"field", "message", "message_en"}
    assert CJK.search(error["message"]) and not CJK.search(error["message_en"]), error
    if field != "*":
        assert error["field"] == field
    return error


@pytest.mark.parametrize("url, field", [
    ("/api/v1/accounts/staff?page=9223372036854775807", "page"),
    ("/api/v1/accounts/staff?page=1e20", "page"),
    ("/api/v1/areas?page=9223372036854775807", "page"),
    ("/api/v1/services/applications?offset=9223372036854775808", "offset"),
    ("/api/v1/services/applications?limit=9223372036854775808", "limit"),
    ("/api/v1/registry/residents?after=9223372036854775808", "after"),
    ("/api/v1/casework/calendar/add-workdays?start=9999-12-31&days=3660", "start"),
])
def test_it_refuses_out_of_range_query_values(admin: Client, url: str, field: str) -> None:
    assert_error(admin.get(url), 400, field)


def test_it_refuses_a_31_digit_integer_in_a_patch(admin: Client, town: Any) -> None:
    row = f.enterprise(town.grid_a)
    response = admin.patch(f"/api/v1/registry/enterprises/{row.pk}", f'{{"complaint_count": {BIG}}}',
                           content_type="application/json")
    assert_error(response, 400)


def test_it_refuses_a_31_digit_id_in_a_path(admin: Client) -> None:
    response = admin.patch(f"/api/v1/registry/residents/{BIG}", "{}", content_type="application/json")
    assert response.status_code in (400, 404)
    assert_error(response, response.status_code)


def test_it_refuses_a_31_digit_version(admin: Client, personas: Personas) -> None:
    response = admin.post("/api/v1/casework/cases/SQ-1/transitions", f'{{"action": "x", "version": {BIG}}}',
                          content_type="application/json")
    assert_error(response, response.status_code)
    assert response.status_code in (400, 404)


def test_it_refuses_a_lone_surrogate_in_json(admin: Client) -> None:
    response = admin.post("/api/v1/accounts/tokens", '{"device": "\\ud800"}', content_type="application/json")
    assert_error(response, 400)


def test_it_keeps_a_real_surrogate_pair(admin: Client) -> None:
    response = admin.post("/api/v1/accounts/tokens", '{"device": "phone \\ud83d\\ude00"}',
                          content_type="application/json")
    assert response.status_code == 201 and response.json()["device"] == "phone \U0001f600"


def test_it_answers_malformed_json_with_the_usual_body(admin: Client) -> None:
    assert_error(admin.post("/api/v1/accounts/tokens", "{", content_type="application/json"), 400)


def test_it_answers_an_unknown_api_path_with_json(admin: Client) -> None:
    assert_error(admin.get("/api/v1/no/such/thing"), 404, None)
    assert_error(Client().get("/api/v1/nope"), 404, None)


def test_it_answers_a_wrong_method_with_json_and_allow(admin: Client) -> None:
    response = admin.put("/api/v1/accounts/me")
    assert_error(response, 405, None)
    assert response["Allow"] == "GET"


def test_it_answers_an_over_long_upload_name_with_json(admin: Client) -> None:
    # Written by hand: Django's test client would cut the name to 255 characters before sending it.
    body = (b'--B\r\nContent-Disposition: form-data; name="file"; filename="' + b"b" * 2000 + b'.pdf"\r\n'
            b"Content-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--B--\r\n")
    response = admin.generic("POST", "/api/v1/services/uploads", body, content_type="multipart/form-data; boundary=B")
    assert "文件名" in assert_error(response, 400, None)["message"]


def test_it_keeps_a_long_but_readable_upload_name(admin: Client) -> None:
    upload = SimpleUploadedFile("b" * 250 + ".pdf", PDF, content_type="application/pdf")
    assert admin.post("/api/v1/services/uploads", {"file": upload}).status_code == 201


def test_it_answers_a_too_large_body_with_413(admin: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = admin.post("/api/v1/accounts/tokens", '{"device": "' + "x" * 2000 + '"}',
                          content_type="application/json")
    assert_error(response, 413, None)


def test_it_answers_ninja_s_own_errors_with_the_usual_body(admin: Client) -> None:
    assert_error(Client().get("/api/v1/accounts/me"), 401, None)
    assert_error(admin.get("/api/v1/areas/locate?lng=abc&lat=1"), 400, "lng")


def test_it_leaves_pages_outside_the_api_alone(admin: Client) -> None:
    response = admin.get("/no/such/page/")
    assert response.status_code == 404 and not response["Content-Type"].startswith("application/json")
