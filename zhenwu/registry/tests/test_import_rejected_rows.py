"""Import errors (issue 7 §3): paged in the page, and the rejected rows as xlsx with a reason column,
as the office uploaded them, ready to fix and upload again."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from zhenwu.registry.models import ImportJob, Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    bad_checksum,
    id_number,
    media,
    office_xlsx,
    resident_row,
)
from zhenwu.testing import GRID_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
BAD = 250  # more rejected rows than one page shows


@pytest.fixture
def clerk(personas) -> Client:
    client = Client()
    client.force_login(personas.town_staff)
    return client


@pytest.fixture
def job(clerk: Client, settings) -> ImportJob:
    settings.REGISTRY_IMPORT_INLINE_ROWS = 10_000
    rows = [resident_row(i, GRID_A, 身份证号=bad_checksum(id_number(i))) for i in range(1, BAD + 1)]
    rows.append(resident_row(BAD + 1, GRID_A, 姓名="@SUM(A1)", 手机号="999"))
    rows.append(resident_row(BAD + 2, GRID_A, 居住状态="暂住", 身份证号=110105198001010016))
    data = office_xlsx(RESIDENT_HEADERS, rows)
    clerk.post("/registry/import/", {"kind": "residents", "file": SimpleUploadedFile("台账.xlsx", data)})
    return ImportJob.objects.get()


def _rows_shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"<tr><td>(\d+)</td><td>", page)]


def test_the_report_shows_one_page_at_a_time(clerk: Client, job: ImportJob) -> None:
    assert job.rejected_rows == BAD + 2
    first = clerk.get(f"/registry/import/{job.pk}/").content.decode()
    assert len(_rows_shown(first)) == 100 and _rows_shown(first)[0] == 4  # title, blank line… header on row 3
    assert 'href="?page=2"' in first and "1 of 3" in first.replace("第 1 页，共 3 页", "1 of 3")
    last = clerk.get(f"/registry/import/{job.pk}/", {"page": "3"}, headers={"HX-Request": "true"}).content.decode()
    assert _rows_shown(last)[-1] == BAD + 5 and 'href="?page=2"' in last and "<html" not in last
    assert clerk.get(f"/registry/import/{job.pk}/", {"page": "99999999999999999999"}).status_code == 200


def test_the_rejected_rows_download_keeps_the_cells_and_adds_the_reasons(clerk: Client, job: ImportJob) -> None:
    page = clerk.get(f"/registry/import/{job.pk}/").content.decode()
    assert f"/registry/import/{job.pk}/rejected.xlsx" in page
    response = clerk.get(f"/registry/import/{job.pk}/rejected.xlsx")
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:len(RESIDENT_HEADERS)]) == RESIDENT_HEADERS and rows[0][-2:] == ("原文件行号", "原因")
    assert len(rows) == 1 + BAD + 2
    first = rows[1]
    assert first[1] == bad_checksum(id_number(1)) and first[-2] == "4" and first[-1].startswith("身份证号：校验码")
    rounded = rows[-1]
    assert rounded[1] == "110105198001010000" and "居住状态：" in rounded[-1] and "身份证号：" in rounded[-1]
    formula = next(c for c in sheet.iter_rows() if str(c[0].value).startswith("@"))[0]
    assert formula.data_type == "s" and formula.quotePrefix


def test_the_rejected_rows_can_be_fixed_and_uploaded_again(clerk: Client, job: ImportJob) -> None:
    book = load_workbook(io.BytesIO(clerk.get(f"/registry/import/{job.pk}/rejected.xlsx").content))
    sheet = book.active
    for index, row in enumerate(sheet.iter_rows(min_row=2), start=1):
        row[1].value = id_number(index)  # corrected
        row[2].value, row[6].value = "", "户籍"
    out = io.BytesIO()
    book.save(out)
    clerk.post("/registry/import/", {"kind": "residents", "file": SimpleUploadedFile("改正.xlsx", out.getvalue())})
    again = ImportJob.objects.latest("pk")
    assert (again.valid_rows, again.rejected_rows) == (BAD + 2, 0), again.report


def test_the_api_answers_the_same_download_and_hides_it_from_others(job: ImportJob, personas) -> None:
    from zhenwu.registry.tests import factories as f

    own = f.client_for(personas.town_staff).get(f"/api/v1/registry/io/imports/{job.pk}/rejected")
    assert own.status_code == 200 and len(list(load_workbook(io.BytesIO(own.content)).active.rows)) == BAD + 3
    other = f.client_for(personas.grid_worker_a)
    assert other.get(f"/api/v1/registry/io/imports/{job.pk}/rejected").status_code == 404
    assert other.get(f"/registry/import/{job.pk}/rejected.xlsx").status_code == 404
    assert Resident.objects.count() == 0
