"""`zhenwu registry import|export|template`: the report with row numbers and the exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from zhenwu.registry.models import Resident
from zhenwu.registry.tests.import_files import (  # noqa: F401 (media is a fixture)
    RESIDENT_HEADERS,
    media,
    resident_row,
    xlsx_bytes,
)
from zhenwu.testing import GRID_A, GRID_B

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def mixed(tmp_path: Path, town) -> Path:
    path = tmp_path / "居民.xlsx"
    path.write_bytes(xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A), resident_row(2, GRID_A, 手机号="12"),
                                                   resident_row(3, GRID_B)]))
    return path


def _run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("registry", *args, stdout=out, stderr=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def test_a_dry_run_prints_the_rejected_rows_and_exits_2_in_all_or_nothing_mode(mixed: Path) -> None:
    with translation.override("en"):
        code, output = _run("import", "residents", str(mixed), "--dry-run")
    assert code == 2
    assert "row 3, 手机号: Enter a mobile number of 11 digits starting with 1." in output
    assert "3 rows: 2 valid, 1 rejected." in output
    assert Resident.objects.count() == 0


def test_all_or_nothing_exits_2_and_writes_nothing(mixed: Path) -> None:
    code, _output = _run("import", "residents", str(mixed))
    assert code == 2 and Resident.objects.count() == 0


def test_valid_only_imports_the_good_rows_and_exits_0(mixed: Path) -> None:
    code, _output = _run("import", "residents", str(mixed), "--valid-only")
    assert code == 0 and Resident.objects.count() == 2
    assert _run("import", "residents", str(mixed), "--dry-run", "--valid-only")[0] == 0


def test_a_clean_file_imports_and_exits_0(tmp_path: Path, town) -> None:
    path = tmp_path / "ok.dat"  # sniffed by content, not by name
    path.write_bytes(xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)]))
    assert _run("import", "residents", str(path))[0] == 0 and Resident.objects.count() == 1


def test_an_unreadable_file_exits_2(tmp_path: Path, town) -> None:
    garbage = tmp_path / "x.xlsx"
    garbage.write_bytes(b"\x00garbage")
    assert _run("import", "residents", str(garbage))[0] == 2
    assert _run("import", "residents", str(tmp_path / "missing.xlsx"))[0] == 2


def test_as_a_grid_worker_rows_outside_the_grid_are_rejected(mixed: Path, personas) -> None:
    code, _output = _run("import", "residents", str(mixed), "--valid-only", "--as", "gw_a")
    assert code == 0
    assert list(Resident.objects.values_list("area_code", flat=True)) == [GRID_A]


def test_export_and_template_write_workbooks(tmp_path: Path, mixed: Path) -> None:
    _run("import", "residents", str(mixed), "--valid-only")
    target = tmp_path / "out.xlsx"
    assert _run("export", "residents", "--output", str(target), "--grid", GRID_B)[0] == 0
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and "*" in str(rows[1][1])
    template = tmp_path / "t.xlsx"
    assert _run("template", "enterprises", "--output", str(template))[0] == 0
    assert openpyxl.load_workbook(template).worksheets[0]["A1"].value == "统一社会信用代码"
