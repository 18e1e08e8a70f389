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


TITLE = "徐霞客镇居民信息台账（2026年11月）"


def office_xlsx(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = TITLE,
                merge_down: Sequence[tuple[int, int, int]] = ()) -> bytes:
    """A ledger as an office keeps it: a blank line, a title merged across the columns, then the header.

    ``merge_down`` holds (column, first data row, last data row), 1-based within the data rows: cells
    merged down those rows, the value in the first one only (as Excel keeps it).
    """
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([])
    sheet.append([title])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for column, first, last in merge_down:
        sheet.merge_cells(start_row=3 + first, start_column=column, end_row=3 + last, end_column=column)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xls_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "") -> bytes:
    """The old binary .xls (BIFF8), written with xlwt as old office software does; numbers are exact doubles."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("居民")
    lines = ([[title]] if title else []) + [list(headers), *[list(r) for r in rows]]
    for r, line in enumerate(lines):
        for c, value in enumerate(line):
            if value not in ("", None):
                sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """An OpenDocument spreadsheet (LibreOffice, WPS), written with odfpy."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="居民")
    for line in [list(headers), *[list(r) for r in rows]]:
        tr = TableRow()
        for value in line:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
