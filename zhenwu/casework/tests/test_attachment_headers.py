"""How stored files are served (issue 8): never cached, never sniffed; images and PDFs inline as a
sandboxed document our own pages may frame (the case page previews them); everything else a download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhenwu.casework.tests.test_attachments import photo_with_gps
from zhenwu.testing import GRID_A

API = "/api/v1/casework"


@pytest.fixture
def upload(client, personas, make_case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_case(area_code=GRID_A)
    client.force_login(personas.grid_worker_a)

    def send(data: bytes, name: str) -> str:
        r = client.post(f"{API}/cases/{case.number}/attachments", {"file": SimpleUploadedFile(name, data)})
        assert r.status_code == 201, r.content
        return r.json()["sha256"]
    return send


def common(r):
    assert r.status_code == 200
    assert r["Cache-Control"] == "private, no-store" and r["X-Content-Type-Options"] == "nosniff"
    csp = r["Content-Security-Policy"]
    assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp


@pytest.mark.django_db
def test_an_image_and_its_thumbnail_are_inline_in_a_sandbox(client, upload):
    sha = upload(photo_with_gps(), "photo.jpg")
    for r in (client.get(f"{API}/attachments/{sha}"), client.get(f"{API}/attachments/{sha}?thumbnail=true")):
        common(r)
        assert r["Content-Disposition"].startswith("inline;") and r["X-Frame-Options"] == "SAMEORIGIN"
        assert r["Content-Type"] == "image/jpeg"


@pytest.mark.django_db
def test_a_pdf_is_inline_for_the_preview_and_a_download_on_request(client, upload):
    sha = upload(b"%PDF-1.4\n%%EOF\n", "a.pdf")
    r = client.get(f"{API}/attachments/{sha}")
    common(r)
    assert r["Content-Disposition"] == f'inline; filename="{sha}.pdf"' and r["Content-Type"] == "application/pdf"
    r = client.get(f"{API}/attachments/{sha}?download=true")
    common(r)
    assert r["Content-Disposition"] == f'attachment; filename="{sha}.pdf"' and r["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_any_other_type_is_always_a_download(client, upload, settings):
    settings.ATTACHMENT_ALLOWED_TYPES = [*settings.ATTACHMENT_ALLOWED_TYPES, "application/octet-stream"]
    sha = upload(b"<html><script>alert(1)</script></html>", "page.html")
    r = client.get(f"{API}/attachments/{sha}")
    common(r)
    assert r["Content-Disposition"] == f'attachment; filename="{sha}.bin"'
    assert r["Content-Type"] == "application/octet-stream" and r["X-Frame-Options"] == "DENY"
