"""The phone app's shell: the page, its manifest and its service worker (scope /m/, the shell cached)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_shell_opens_without_a_login_and_holds_no_inline_script():
    response = Client().get("/m/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'rel="manifest" href="/m/manifest.webmanifest"' in html
    assert "上报事件" in html and "附近场所" in html  # Chinese, from the catalogue
    assert "<script>" not in html  # the CSP allows only script files ('self')


@pytest.mark.django_db
def test_the_manifest_makes_an_installable_app_scoped_to_m():
    body = Client().get("/m/manifest.webmanifest").json()
    assert (body["start_url"], body["scope"], body["display"]) == ("/m/", "/m/", "standalone")
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}


@pytest.mark.django_db
def test_the_service_worker_caches_the_shell_and_leaves_the_api_alone():
    response = Client().get("/m/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    script = response.content.decode()
    for path in ('"/m/"', "/static/grid/mobile/app.js", "/static/grid/mobile/store.js",
                 "/static/vendor/leaflet/leaflet.js"):
        assert path in script
    assert 'indexOf("/api/") === 0) return' in script
