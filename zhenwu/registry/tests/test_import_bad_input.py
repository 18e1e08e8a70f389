"""Files that cannot be imported answer one clear message and create no job, no rows."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from zhenwu.errors import FieldError
from zhenwu.registry.importing import import_job_create
from zhenwu.registry.models import ImportJob, ImportStatus, Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    csv_bytes,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _refused(personas, data: bytes) -> str:
    with pytest.raises(FieldError) as info:
        import_job_create(actor=personas.town_staff, kind="residents", data=data)
    assert ImportJob.objects.count() == 0 and Resident.objects.count() == 0
    assert info.value.field == "file"
    return info.value.text("en")


def test_it_rejects_a_file_that_is_neither_xlsx_nor_csv(personas) -> None:
    assert "not an xlsx, xls, ods or csv" in _refused(personas, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_it_rejects_a_zip_that_is_not_a_workbook(personas) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "not an xlsx, xls, ods or csv" in _refused(personas, out.getvalue())


def test_it_rejects_a_damaged_workbook(personas) -> None:
    data = xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)])
    assert "damaged" in _refused(personas, data[: len(data) // 2])


def test_it_rejects_ten_megabytes_of_random_bytes(personas) -> None:
    assert "not an xlsx, xls, ods or csv" in _refused(personas, os.urandom(10 * 1024 * 1024))


def test_it_rejects_random_bytes_without_a_zero_byte(personas) -> None:
    noise = bytes(b for b in os.urandom(2 * 1024 * 1024) if b)
    assert "not an xlsx, xls, ods or csv" in _refused(personas, noise)


def test_it_rejects_an_empty_file(personas) -> None:
    assert "empty" in _refused(personas, b"")
    assert "empty" in _refused(personas, b" \r\n")


def test_it_names_every_missing_column(personas) -> None:
    message = _refused(personas, csv_bytes(["姓名", "手机号"], [["李明", "13512342210"]]))
    for header in ("身份证号", "所属网格", "居住状态"):
        assert header in message
    assert "姓名" not in message.split(":", 1)[1]


def test_it_rejects_a_file_with_only_the_header(personas) -> None:
    job = import_job_create(actor=personas.town_staff, kind="residents", data=xlsx_bytes(RESIDENT_HEADERS, []))
    assert job.status == ImportStatus.FAILED
    assert job.report["file_errors"][0]["message_en"] == "The file has no data rows."


def test_it_names_the_sheets_when_no_sheet_has_the_columns(personas) -> None:
    book = xlsx_bytes(["项目", "金额"], [["a", 1]], title="汇总", extra_sheets=["附表"])
    message = _refused(personas, book)
    assert "汇总" in message and "附表" in message and "身份证号" in message


def test_it_finds_the_data_on_a_later_sheet(personas) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.active.append(["说明：本表用于导入"])
    data_sheet = book.create_sheet("居民")
    data_sheet.append(RESIDENT_HEADERS)
    data_sheet.append(resident_row(1, GRID_A))
    out = io.BytesIO()
    book.save(out)
    job = import_job_create(actor=personas.town_staff, kind="residents", data=out.getvalue())
    assert (job.status, job.valid_rows, job.report["sheet"]) == (ImportStatus.VALIDATED, 1, "居民")


def test_it_rejects_more_rows_than_the_setting_allows(personas, settings) -> None:
    settings.REGISTRY_IMPORT_MAX_ROWS = 3
    data = xlsx_bytes(RESIDENT_HEADERS, [resident_row(n, GRID_A) for n in range(1, 5)])
    job = import_job_create(actor=personas.town_staff, kind="residents", data=data)
    assert job.status == ImportStatus.FAILED
    assert "more than 3 data rows" in job.report["file_errors"][0]["message_en"]
    assert Resident.objects.count() == 0


def test_it_rejects_an_unknown_kind(personas) -> None:
    with pytest.raises(FieldError) as info:
        import_job_create(actor=personas.town_staff, kind="dogs", data=b"a,b\n1,2\n")
    assert info.value.field == "kind"
