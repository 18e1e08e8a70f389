"""Requests the server refuses before Django sees them answer in the API's JSON error body.

gunicorn reads the request line and the headers itself and refuses one over its limits (414, 431)
with a bare HTML page; the fuzzer found one (a query of ~5 KB repeated `days=`). `zhenwu serve` runs
gunicorn with its own worker class, whose answers are the usual `{"errors": [...]}` in both languages.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest

from tests.live import LiveServer

pytestmark = pytest.mark.live


def _get(live: LiveServer, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict]:
    parts = urlsplit(live.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.getheader("Content-Type", ""), json.loads(answer.read() or b"{}")
    finally:
        conn.close()


def test_an_over_long_address_is_a_json_414(live: LiveServer) -> None:
    status, content_type, body = _get(live, "/api/v1/casework/calendar/add-workdays?" + "days=1&" * 2000)
    assert (status, content_type) == (414, "application/json")
    error = body["errors"][0]
    assert error["message"] == "地址过长：较长的查询请放在请求体中提交。"
    assert error["message_en"].startswith("The address is too long")


def test_too_many_headers_is_a_json_431(live: LiveServer) -> None:
    status, content_type, body = _get(live, "/api/v1/accounts/me", {f"X-Filler-{i}": "x" for i in range(150)})
    assert (status, content_type) == (431, "application/json")
    assert body["errors"][0]["message_en"] == "The request headers are too large."
