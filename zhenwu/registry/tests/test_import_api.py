"""/api/v1/registry/io/: upload (dry run), report, explicit commit, templates; errors in the API's shape."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.registry.models import Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    bad_checksum,
    id_number,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
BASE = "/api/v1/registry/io"


@pytest.fixture
def clerk(personas) -> Client:
    client = Client()
    client.force_login(personas.town_staff)
    return client


def _upload(client: Client, data: bytes, kind: str = "residents"):
    return client.post(f"{BASE}/imports", {"kind": kind, "file": SimpleUploadedFile("r.xlsx", data)})


def test_upload_report_and_valid_only_commit(clerk: Client) -> None:
    rows = [resident_row(1, GRID_A), resident_row(2, GRID_A, 身份证号=bad_checksum(id_number(2)))]
    response = _upload(clerk, xlsx_bytes(RESIDENT_HEADERS, rows))
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["valid_rows"], job["rejected_rows"]) == ("validated", 1, 1)
    assert job["errors"][0]["row"] == 3 and job["errors"][0]["column"] == "身份证号"
    assert clerk.get(f"{BASE}/imports/{job['id']}").json()["errors_total"] == 1
    done = clerk.post(f"{BASE}/imports/{job['id']}/commit", {"choice": "valid_only"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["imported_rows"] == 1
    assert Resident.objects.count() == 1


def test_it_answers_400_with_the_field_for_a_bad_file(clerk: Client) -> None:
    response = _upload(clerk, b"\x00\x01garbage")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    assert "not an xlsx, xls, ods or csv" in response.json()["errors"][0]["message_en"]


def test_it_answers_400_for_an_unknown_choice(clerk: Client) -> None:
    job = _upload(clerk, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)])).json()
    response = clerk.post(f"{BASE}/imports/{job['id']}/commit", {"choice": "some"}, content_type="application/json")
    assert response.status_code == 400 and Resident.objects.count() == 0


def test_another_user_gets_404_for_my_job(clerk: Client, personas) -> None:
    job = _upload(clerk, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)])).json()
    other = Client()
    other.force_login(personas.grid_worker_a)
    assert other.get(f"{BASE}/imports/{job['id']}").status_code == 404
    assert other.post(f"{BASE}/imports/{job['id']}/commit", {"choice": "valid_only"},
                      content_type="application/json").status_code == 404


def test_a_role_without_edit_rights_gets_403(personas) -> None:
    client = Client()
    client.force_login(personas.county_staff)
    assert _upload(client, xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)])).status_code == 403


@pytest.mark.parametrize("kind", ["residents", "households", "enterprises", "places", "cameras"])
def test_the_template_has_the_headers_and_notes(clerk: Client, kind: str) -> None:
    response = clerk.get(f"{BASE}/templates/{kind}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert "所属网格" in header and book.sheetnames[1] == "说明"
    assert book.worksheets[0].max_row == 1  # no example row that could be imported by mistake
