"""The OpenAPI document is built once per process and language, not on every request."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

import zhenwu.api
from zhenwu.api import api


@pytest.mark.django_db
def test_two_requests_build_the_document_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[Any] = []
    real = zhenwu.api.CheckedOpenAPISchema

    def counting(**kwargs: Any) -> Any:
        built.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(zhenwu.api, "CheckedOpenAPISchema", counting)
    monkeypatch.setattr(api, "_openapi_built", {})
    first = Client().get("/api/v1/openapi.json")
    second = Client().get("/api/v1/openapi.json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and "/api/v1/accounts/me" in first.json()["paths"]
    assert len(built) == 1
    with translation.override("en"):  # lazy texts render in the active language: its own document
        Client().get("/api/v1/openapi.json")
    assert len(built) == 2
