"""CSRF in the API, seen by a client that enforces it (Django's default test client skips the check).

For every write operation of the OpenAPI document: a bearer token needs no CSRF token; a session
without one is refused with the usual error body (403); a session sending it gets through.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.spec import body_for, fill_path, is_csrf_refusal, needs_login, write_operations
from zhenwu.accounts.services import token_create
from zhenwu.testing import Personas

SECRET = "k" * 32  # a CSRF secret as the cookie holds it; the header may repeat it unmasked


def _send(client: Client, method: str, path: str, op: dict, **headers: str) -> tuple[int, bytes]:
    body, ctype = body_for(op)
    response = client.generic(method, fill_path(path, {"token_id": 999_999}), data=body or b"",
                              content_type=ctype or "application/octet-stream", headers=headers)
    return response.status_code, response.content


@pytest.fixture
def spec(db: None) -> dict:
    return Client().get("/api/v1/openapi.json").json()


def test_a_token_needs_no_csrf_token_for_any_write(spec: dict, personas: Personas) -> None:
    _row, secret = token_create(user=personas.town_staff, device="phone")
    client = Client(enforce_csrf_checks=True)
    refused = [f"{m} {p} -> {status}" for m, p, op in write_operations(spec)
               for status, body in [_send(client, m, p, op, Authorization=f"Bearer {secret}")]
               if status == 401 or is_csrf_refusal(status, body)]
    assert refused == []


def test_a_session_without_the_csrf_token_is_refused_on_every_write(spec: dict, personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.town_staff)
    let_through = [f"{m} {p} -> {status}" for m, p, op in write_operations(spec) if needs_login(op)
                   for status, body in [_send(client, m, p, op)] if not is_csrf_refusal(status, body)]
    assert let_through == []


def test_a_session_with_the_csrf_token_gets_through_on_every_write(spec: dict, personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.town_staff)
    client.cookies["csrftoken"] = SECRET
    refused = [f"{m} {p} -> {status}" for m, p, op in write_operations(spec)
               for status, body in [_send(client, m, p, op, X_CSRFToken=SECRET)]
               if status == 401 or is_csrf_refusal(status, body)]
    assert refused == []


def test_the_csrf_refusal_has_the_usual_body_in_both_languages(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.town_staff)
    response = client.post("/api/v1/accounts/tokens", {"device": "x"}, content_type="application/json")
    assert response.status_code == 403
    [error] = response.json()["errors"]
    assert error["field"] is None and "CSRF" in error["message_en"] and "刷新" in error["message"]
