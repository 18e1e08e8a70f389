"""The import wizard pages: upload → report (fragment polled by htmx) → explicit choice → result."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.registry.models import ImportJob, Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def clerk(personas) -> Client:
    client = Client()
    client.force_login(personas.town_staff)
    return client


def _upload(client: Client, data: bytes):
    return client.post("/registry/import/", {"kind": "residents", "file": SimpleUploadedFile("居民.xlsx", data)})


def test_the_upload_page_offers_kinds_and_templates(clerk: Client) -> None:
    page = clerk.get("/registry/import/").content.decode()
    assert 'name="file"' in page and "/registry/import/template/residents/" in page


def test_upload_shows_the_report_then_imports_the_valid_rows(clerk: Client) -> None:
    data = xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A), resident_row(2, GRID_A, 手机号="999")])
    response = _upload(clerk, data)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/registry/import/{job.pk}/"
    page = clerk.get(response["Location"]).content.decode()
    assert "<td>3</td><td>手机号</td>" in page and 'value="valid_only"' in page
    assert Resident.objects.count() == 0
    clerk.post(f"/registry/import/{job.pk}/commit/", {"choice": "valid_only"})
    assert Resident.objects.count() == 1
    page = clerk.get(f"/registry/import/{job.pk}/").content.decode()
    assert 'data-status="imported"' in page and 'value="valid_only"' not in page


def test_the_htmx_request_gets_only_the_fragment(clerk: Client) -> None:
    _upload(clerk, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)]))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="validating", processed_rows=40, total_rows=100)
    fragment = clerk.get(f"/registry/import/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="import-status"') and 'hx-trigger="every 1s"' in fragment
    assert 'value="40"' in fragment and "<html" not in fragment


def test_a_bad_file_reshows_the_form_with_the_message(clerk: Client) -> None:
    response = _upload(clerk, b"%PDF-1.4\x00\x00binary")
    assert response.status_code == 400
    assert "xlsx" in response.content.decode() and ImportJob.objects.count() == 0


def test_a_citizen_gets_404(personas) -> None:
    client = Client()
    client.force_login(personas.citizen)
    assert client.get("/registry/import/").status_code == 404
