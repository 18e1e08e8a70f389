"""A file with good and bad rows: the dry run writes nothing; each choice writes exactly what it says."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import AuditEntry
from zhenwu.registry.importing import import_job_commit, import_job_create
from zhenwu.registry.models import ImportStatus, Resident, ResidentTag
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    bad_checksum,
    id_number,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A, GRID_B

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _mixed_file() -> bytes:
    rows = [resident_row(1, GRID_A, 人员标签="党员、独居老人"),
            resident_row(2, GRID_B, 身份证号=bad_checksum(id_number(2))),
            resident_row(3, GRID_A, 居住状态="流动", 来到本地日期="2024-03-01", 户籍地="安徽省阜阳市"),
            resident_row(4, GRID_A, 手机号="2345")]
    return xlsx_bytes(RESIDENT_HEADERS, rows)


def _job(personas, data: bytes):
    return import_job_create(actor=personas.town_staff, kind="residents", data=data, file_name="r.xlsx")


def test_the_dry_run_reports_every_bad_row_and_writes_nothing(personas) -> None:
    job = _job(personas, _mixed_file())
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.rejected_rows) == (4, 2, 2)
    errors = {(e["row"], e["column"]) for e in job.report["errors"]}
    assert errors == {(3, "身份证号"), (5, "手机号")}
    assert "check character" in job.report["errors"][0]["message_en"]
    assert Resident.objects.count() == 0


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(personas) -> None:
    job = import_job_commit(actor=personas.town_staff, job=_job(personas, _mixed_file()), choice="all_or_nothing")
    assert job.status == ImportStatus.REFUSED
    assert job.imported_rows == 0
    assert Resident.objects.count() == 0


def test_all_or_nothing_imports_everything_when_no_row_is_bad(personas) -> None:
    data = xlsx_bytes(RESIDENT_HEADERS, [resident_row(n, GRID_A) for n in range(1, 6)])
    job = import_job_commit(actor=personas.town_staff, job=_job(personas, data), choice="all_or_nothing")
    assert job.status == ImportStatus.IMPORTED
    assert Resident.objects.count() == 5 == job.imported_rows


def test_valid_only_imports_exactly_the_good_rows(personas) -> None:
    job = import_job_commit(actor=personas.town_staff, job=_job(personas, _mixed_file()), choice="valid_only")
    assert job.status == ImportStatus.IMPORTED
    assert sorted(Resident.objects.values_list("id_number", flat=True)) == [id_number(1), id_number(3)]
    first = Resident.objects.get(id_number=id_number(1))
    assert (first.area_code, first.birth_date.isoformat(), first.status) == (GRID_A, "1995-01-01", "registered")
    assert sorted(ResidentTag.objects.filter(resident=first).values_list("tag", flat=True)) == [
        "elderly_alone", "party"]
    assert Resident.objects.get(id_number=id_number(3)).status == "floating"


def test_an_import_writes_one_audit_entry_with_the_counts_and_file_hash(personas) -> None:
    job = import_job_commit(actor=personas.town_staff, job=_job(personas, _mixed_file()), choice="valid_only")
    entry = AuditEntry.objects.get(subject=f"registry.import:{job.pk}")
    assert entry.actor == personas.town_staff
    assert entry.data is not None and entry.data["file_sha256"] == job.file_sha256
    assert (entry.data["imported_rows"], entry.data["rejected_rows"]) == (2, 2)


def test_it_refuses_to_import_the_same_job_twice(personas) -> None:
    from zhenwu.errors import Conflict

    job = import_job_commit(actor=personas.town_staff, job=_job(personas, _mixed_file()), choice="valid_only")
    with pytest.raises(Conflict):
        import_job_commit(actor=personas.town_staff, job=job, choice="valid_only")
    assert Resident.objects.count() == 2
