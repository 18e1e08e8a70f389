"""Import jobs: content-addressed upload, background checking with progress, visibility to their creator."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from zhenwu.errors import NotFound
from zhenwu.registry.importing import import_job_commit, import_job_create, import_job_get
from zhenwu.registry.models import ImportStatus, Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def background(settings) -> None:
    """Every file counts as large; with no broker and no threads the task runs in line."""
    settings.REGISTRY_IMPORT_INLINE_ROWS = 0
    settings.REGISTRY_IMPORT_THREADS = False


def _data(n: int = 3) -> bytes:
    return xlsx_bytes(RESIDENT_HEADERS, [resident_row(i, GRID_A) for i in range(1, n + 1)])


def test_the_same_bytes_are_stored_once_under_their_hash(personas) -> None:
    data = _data()  # built once: a workbook carries its creation time
    first = import_job_create(actor=personas.town_staff, kind="residents", data=data)
    second = import_job_create(actor=personas.town_staff, kind="residents", data=data)
    assert first.file_name == second.file_name and first.file_sha256 in first.file_name
    assert default_storage.exists(first.file_name)


@pytest.mark.usefixtures("background")
def test_a_large_file_is_checked_and_imported_by_the_task(personas, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_create(actor=personas.town_staff, kind="residents", data=_data(4))
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows, job.percent) == (ImportStatus.VALIDATED, 4, 4, 100)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_commit(actor=personas.town_staff, job=job, choice="all_or_nothing")
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Resident.objects.count() == 4


def test_a_job_is_not_visible_to_another_staff_member(personas) -> None:
    job = import_job_create(actor=personas.town_staff, kind="residents", data=_data())
    assert import_job_get(user=personas.town_staff, job_id=job.pk) == job
    with pytest.raises(NotFound):
        import_job_get(user=personas.grid_worker_a, job_id=job.pk)


def test_changed_checked_rows_fail_the_import(personas) -> None:
    job = import_job_create(actor=personas.town_staff, kind="residents", data=_data())
    name = f"registry-imports/checked/{job.pk}-{job.file_sha256}.json"
    with default_storage.open(name, "rb") as fh:
        forged = fh.read().replace("居民1".encode(), "冒名".encode())
    with default_storage.open(name, "wb") as fh:
        fh.write(forged)
    job = import_job_commit(actor=personas.town_staff, job=job, choice="valid_only")
    assert job.status == ImportStatus.FAILED and Resident.objects.count() == 0


def test_the_chosen_import_does_not_read_the_upload_again(personas, monkeypatch) -> None:
    job = import_job_create(actor=personas.town_staff, kind="residents", data=_data())

    def parse_again(*args, **kwargs):
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr("zhenwu.registry.importing.open_table", parse_again)
    default_storage.delete(job.file_name)  # not even opened: the dry run's rows are all it needs
    job = import_job_commit(actor=personas.town_staff, job=job, choice="all_or_nothing")
    assert job.status == ImportStatus.IMPORTED and Resident.objects.count() == 3


def test_a_refused_import_may_still_import_the_valid_rows(personas, monkeypatch) -> None:
    rows = [resident_row(1, GRID_A), resident_row(2, GRID_A, 居住状态="未知")]
    job = import_job_create(actor=personas.town_staff, kind="residents", data=xlsx_bytes(RESIDENT_HEADERS, rows))
    job = import_job_commit(actor=personas.town_staff, job=job, choice="all_or_nothing")
    assert job.status == ImportStatus.REFUSED
    monkeypatch.setattr("zhenwu.registry.importing.open_table", lambda *a, **k: pytest.fail("parsed again"))
    job = import_job_commit(actor=personas.town_staff, job=job, choice="valid_only")
    assert job.status == ImportStatus.IMPORTED and Resident.objects.count() == 1


def test_the_chosen_import_re_checks_the_database_after_the_dry_run(personas) -> None:
    from zhenwu.registry.tests.import_files import id_number

    job = import_job_create(actor=personas.town_staff, kind="residents", data=_data(2))
    assert job.rejected_rows == 0
    Resident.objects.create(id_number=id_number(2), name="抢先", birth_date="1995-01-01", sex="M",
                            status="registered", grid=personas.grid_worker_a.scope_area, area_code=GRID_A)
    job = import_job_commit(actor=personas.town_staff, job=job, choice="all_or_nothing")
    assert job.status == ImportStatus.REFUSED and job.report["errors"][0]["row"] == 3
    assert Resident.objects.count() == 1
