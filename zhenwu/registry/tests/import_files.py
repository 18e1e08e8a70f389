"""Spreadsheets for the import tests: residents with valid check digits, as xlsx or csv bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from stdnum.cn import ric

RESIDENT_HEADERS = ["姓名", "身份证号", "手机号", "所属网格", "户编号", "与户主关系", "居住状态", "人员标签",
                    "来到本地日期", "户籍地"]


def id_number(serial: int, *, born: str = "19950101", region: str = "321181") -> str:
    body = f"{region}{born}{serial:03d}"
    return body + ric.calc_check_digit(body + "?")


def bad_checksum(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def resident_row(serial: int, grid: str, **over: Any) -> list[Any]:
    row = {"姓名": f"居民{serial}", "身份证号": id_number(serial), "手机号": f"135{serial:08d}",
           "所属网格": grid, "户编号": "", "与户主关系": "", "居住状态": "户籍", "人员标签": "",
           "来到本地日期": "", "户籍地": ""}
    row.update(over)
    return [row[h] for h in RESIDENT_HEADERS]


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "居民",
               extra_sheets: Sequence[str] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for name in extra_sheets:
        book.create_sheet(name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8") -> bytes:
    lines = [",".join(headers), *(",".join(str(c) for c in row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    """Uploaded files go to a temporary media root, not the developer's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
