"""Content-Security-Policy: scripts only from our static files; no template carries inline script or handlers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import zhenwu

TEMPLATES = sorted(Path(zhenwu.__file__).parent.rglob("templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def test_every_page_carries_the_policy(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src" in policy


def test_the_api_answers_carry_it_too(client, db):
    assert "script-src 'self'" in client.get("/api/v1/openapi.json")["Content-Security-Policy"]


def test_a_configured_tile_server_is_allowed_for_images(client, db, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.cn/{z}/{x}/{y}.png"
    assert "img-src 'self' data: blob: https://*.tiles.example.cn;" in client.get("/login/")[
        "Content-Security-Policy"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(Path(zhenwu.__file__).parent)))
def test_no_template_has_inline_script_or_event_handlers(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not HANDLER.search(text), "inline on…= handler: bind it from a static file"


def test_the_api_docs_are_off_without_debug(client, db):
    assert client.get("/api/v1/docs").status_code == 404
