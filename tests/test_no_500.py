"""No endpoint in the OpenAPI document answers 500 to malformed input, and every 4xx has the usual body.

Walks every operation of /api/v1/openapi.json as an administrator (who passes every role check, so the
input itself is what is exercised) and sends hostile path, query and body values: among them numbers
past 64 bits (``?page=9223372036854775807``, ``?offset=9223372036854775808``), ``1e20``, 31-digit
integers in bodies and a lone UTF-16 surrogate in JSON (issue 7). Every 4xx answer must be
``{"errors": [{field, message (Chinese), message_en (no Chinese)}]}``.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client

from zhenwu.errors import CJK

HOSTILE = ["", "0", "-1", "99999999999999999999", "1e309", "nan", "abc", "' OR 1=1 --", "../../etc/passwd",
           "%00", "a\x00b", "中文", "2025-02-30", "x" * 3000, "<script>", "true", "[]", "{}",
           "9223372036854775807", "9223372036854775808", "-9223372036854775809", "1e20", "1" * 31, "9999-12-31"]
BODIES = [None, "", "not json", "[]", "{}", '{"a": 1}', "null", '"text"', "1", '{"name": "a\\u0000b"}',
          '{"name": "\\ud800", "device": "\\udfff"}', "1" * 31, '{"a": ' + "9" * 5000 + "}", "{" * 10000]


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    ops = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ops.append((method.upper(), path, op))
    return ops


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value.replace("/", "%2F").replace("?", "%3F").replace("#", "%23") or "x", path)


def _params(op: dict) -> list[str]:
    return [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]


def _body_fields(op: dict, spec: dict) -> list[str]:
    content = op.get("requestBody", {}).get("content", {})
    schema = (content.get("application/json") or {}).get("schema", {})
    ref = schema.get("$ref", "")
    if ref:
        schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return list(schema.get("properties", {}))


@pytest.mark.django_db
def test_no_operation_answers_500(personas):
    client = Client(raise_request_exception=False)
    client.force_login(personas.admin)
    spec = client.get("/api/v1/openapi.json").json()
    failures = []
    for method, path, op in _operations(spec):
        params, fields = _params(op), _body_fields(op, spec)
        for value, body in itertools.zip_longest(HOSTILE, BODIES, fillvalue=None):
            value = value if value is not None else "1"
            url = _fill(path, value)
            query = {name: value for name in params}
            if method == "GET":
                response = client.get(url, query)
            else:
                if fields and body is None:
                    payload: object = {f: value for f in fields}
                    data, ctype = payload, "application/json"
                else:
                    data, ctype = (body or ""), "application/json"
                response = getattr(client, method.lower())(url + "?" + "&".join(f"{k}=1" for k in params),
                                                           data=data, content_type=ctype)
            if response.status_code >= 500:
                failures.append(f"{method} {url[:80]} query={str(query)[:60]} -> {response.status_code}")
            elif response.status_code >= 400 and (problem := _body_problem(response)):
                failures.append(f"{method} {url[:80]} -> {response.status_code}: {problem}")
    assert failures == []


def _body_problem(response: object) -> str | None:
    if not response["Content-Type"].startswith("application/json"):  # type: ignore[index]
        return "not JSON"
    errors = response.json().get("errors")  # type: ignore[attr-defined]
    if not errors or any(set(e) != {"field", "message", "message_en"} for e in errors):
        return f"not the usual body: {str(errors)[:100]}"
    stuck = [e["message_en"] for e in errors if CJK.search(e["message_en"]) and e["message_en"] == e["message"]]
    return f"message_en in Chinese: {stuck[0][:80]}" if stuck else None


@pytest.mark.django_db
def test_numbers_past_64_bits_in_every_body_field_answer_400(personas):
    """A 31-digit integer in every field of every JSON body: refused as input, never a 500."""
    client = Client(raise_request_exception=False)
    client.force_login(personas.admin)
    spec = client.get("/api/v1/openapi.json").json()
    failures = []
    for method, path, op in _operations(spec):
        fields = _body_fields(op, spec)
        if method == "GET" or not fields:
            continue
        body = "{" + ", ".join(f'"{f}": {"1" * 31}' for f in fields) + "}"
        response = getattr(client, method.lower())(_fill(path, "1"), data=body, content_type="application/json")
        if response.status_code >= 500 or (response.status_code >= 400 and _body_problem(response)):
            failures.append(f"{method} {path} -> {response.status_code}")
    assert failures == []
