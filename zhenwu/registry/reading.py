"""读表: opening a registry spreadsheet as offices send it — xlsx, xls, ods or csv, read once.

Offices do not fill in the template: their ledgers (台账) have a title row above the header
(``徐霞客镇居民信息台账（2026年11月）`` merged across the columns), cells merged down a household's
members, full-width digits typed with a Chinese input method, ID numbers in number cells, and
come as ``.xls`` or ``.ods`` as often as ``.xlsx``. This module finds the sheet and the header row,
and hands the importer every data row with Excel's row number; the importer cleans the cells.

Workbooks are read with python-calamine (a Rust reader, many times faster than openpyxl and able to
read ``.xls`` and ``.ods``); openpyxl is kept for writing. A file is parsed once: the ``Table`` holds
its rows in memory and the dry run, which runs in the same process unless a Celery broker is
configured, cleans those very rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.errors import FieldError

if TYPE_CHECKING:
    from zhenwu.registry.importing import Kind

HEADER_SEARCH_ROWS = 10  # a header row below more title and note rows than this is not a ledger's header
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file signature of .xls (and of encrypted xlsx)
WORKBOOK_FORMATS = ("xlsx", "xls", "ods")
NOT_READABLE = _("This is not an xlsx, xls, ods or csv file.")


def _fmt(message: Any, **params: Any) -> Any:
    return lazy(lambda: str(message) % params, str)()


@dataclass
class Table:
    """A sheet ready to check: where each field's column is, the header, and every row below it.

    ``rows`` are ``(Excel row number, cells)``; ``headers`` are the header row's cells as written,
    kept for the rejected-rows download.
    """

    format: str
    sheet: str
    positions: dict[str, int]
    rows: list[tuple[int, Sequence[Any]]]
    header_row: int = 1
    headers: list[str] = field(default_factory=list)

    @property
    def estimate(self) -> int:
        return len(self.rows)


# --- what kind of file ----------------------------------------------------------------------------

def sniff_format(data: bytes) -> str:
    """"xlsx", "xls", "ods" or "csv" from the content (never from the name); anything else is refused."""
    if not data.strip():
        raise FieldError("file", _("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        return _zip_format(data)
    if data[:8] == OLE2:
        return "xls"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "csv"  # UTF-16 text, as Excel's "Unicode text" saves it
    if re.match(rb"\s*(<!DOCTYPE html|<html|<\?xml[^>]*>\s*<html|<table)", data[:512], re.IGNORECASE):
        raise FieldError("file", _("This file is a web page saved under a spreadsheet name (some systems "
                                   "export their .xls like this). Open it in Excel or WPS and save it as "
                                   ".xlsx, then upload that file."))
    if b"\x00" in data[:65536]:
        raise FieldError("file", NOT_READABLE)
    return "csv"


def _zip_format(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.spreadsheet"):
                return "ods"
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise FieldError("file", _("The spreadsheet is damaged and cannot be read.")) from exc
    raise FieldError("file", NOT_READABLE)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (what Chinese Excel saves as csv)."""
    encodings: tuple[str, ...] = ("utf-16",) if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FieldError("file", _("This is not an xlsx, xls, ods or csv file (the text is neither UTF-8 nor "
                               "GB18030)."))


# --- cells -----------------------------------------------------------------------------------------

def cell_value(cells: Sequence[Any], index: int) -> Any:
    """One cell as the cleaners want it: text NFKC-normalised (full-width → ASCII) and stripped,
    empty text as None, a date-time at midnight as a date; numbers, dates and booleans as they are."""
    value = cells[index] if index < len(cells) else None
    if isinstance(value, str):
        value = unicodedata.normalize("NFKC", value).strip()
        return value or None
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def normalise_header(value: Any) -> str:
    """A header as compared with the template's: NFKC, no spaces or required-marks, ASCII brackets."""
    return re.sub(r"[\s*]", "", unicodedata.normalize("NFKC", str(value or "")))


# --- the header row --------------------------------------------------------------------------------

def positions(kind: Kind, header: Iterable[Any]) -> tuple[dict[str, int], list[str]]:
    """Field → column index for the headers found, and the headers of required columns that are missing."""
    by_name: dict[str, Any] = {}
    for column in kind.columns:
        for name in (column.header, *column.aliases):
            by_name.setdefault(normalise_header(name), column)
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        known = by_name.get(normalise_header(value))
        if known is not None and known.field not in found:
            found[known.field] = index
    missing = [c.header for c in kind.columns if c.required and c.field not in found]
    return found, missing


@dataclass
class _Header:
    index: int  # 0-based row index in the sheet
    positions: dict[str, int]
    missing: list[str]


def find_header(kind: Kind, rows: Sequence[Sequence[Any]]) -> _Header:
    """The first of the top rows that has every required column; else the one that came closest."""
    best: _Header | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found, missing = positions(kind, row)
        header = _Header(index, found, missing)
        if not missing:
            return header
        if best is None or len(missing) < len(best.missing):
            best = header
    return best or _Header(0, {}, [c.header for c in kind.columns if c.required])


def _missing_error(missing: list[str]) -> FieldError:
    return FieldError("file", _fmt(_("Missing columns: %(columns)s."), columns="、".join(missing)))


def _table(fmt: str, sheet: str, rows: list[list[Any]], header: _Header) -> Table:
    start = header.index + 1
    numbered: list[tuple[int, Sequence[Any]]] = list(enumerate(rows[start:], start=start + 1))
    headers = ["" if h is None else str(h) for h in rows[header.index]]
    return Table(fmt, sheet, header.positions, numbered, header.index + 1, headers)


# --- opening ---------------------------------------------------------------------------------------

def open_table(data: bytes, kind: Kind) -> Table:
    """Parse ``data`` once and find the sheet, header row and columns of ``kind``; FieldError if it cannot."""
    if len(data) > settings.REGISTRY_IMPORT_MAX_BYTES:
        raise FieldError("file", _("The file is too large."))
    fmt = sniff_format(data)
    return _open_csv(data, kind) if fmt == "csv" else _open_workbook(data, fmt, kind)


def _open_csv(data: bytes, kind: Kind) -> Table:
    text = decode_text(data)
    first_lines = text.lstrip("\r\n").split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS]
    tabbed = sum("\t" in line for line in first_lines) > sum("," in line for line in first_lines)
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter="\t" if tabbed else ",")]
    if not any(any(str(c).strip() for c in r) for r in rows):
        raise FieldError("file", _("The file is empty."))
    header = find_header(kind, rows)
    if header.missing:
        raise _missing_error(header.missing)
    return _table("csv", "", rows, header)


def _open_workbook(data: bytes, fmt: str, kind: Kind) -> Table:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return _find_sheet(book, fmt, kind)
        finally:
            book.close()
    except python_calamine.PasswordError as exc:
        raise FieldError("file", _("The spreadsheet is protected by a password; save it without one "
                                   "and upload it again.")) from exc
    except FieldError:
        raise
    except BaseException as exc:  # calamine's errors, and a Rust panic (BaseException) on a malformed file
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise FieldError("file", _("The spreadsheet is damaged and cannot be read.")) from exc


def _find_sheet(book: Any, fmt: str, kind: Kind) -> Table:
    """The first work sheet with every required column among its top rows."""
    sheets = _worksheets(book)
    first_missing: list[str] | None = None
    for name in sheets:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        header = find_header(kind, rows)
        if not header.missing:
            _fill_merged_down(rows, sheet.merged_cell_ranges, below=header.index)
            return _table(fmt, name, rows, header)
        first_missing = header.missing if first_missing is None else first_missing
    missing = first_missing or [c.header for c in kind.columns if c.required]
    if len(sheets) > 1:
        raise FieldError("file", _fmt(
            _("No sheet has the columns of %(kind)s (sheets in the file: %(sheets)s). Missing in the first "
              "sheet: %(columns)s."), kind=kind.label, sheets="、".join(sheets), columns="、".join(missing)))
    raise _missing_error(missing)


def _worksheets(book: Any) -> list[str]:
    """Work sheets (not chart sheets), visible ones first."""
    import python_calamine

    meta = [m for m in book.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet]
    visible = [m.name for m in meta if m.visible == python_calamine.SheetVisibleEnum.Visible]
    return visible + [m.name for m in meta if m.name not in visible]


def _fill_merged_down(rows: list[list[Any]], merged: Any, *, below: int) -> None:
    """A cell merged down several data rows (a household's number beside each member) holds its value
    in the top row only; every row of the block gets it, as the person reading the sheet sees it."""
    for (top, left), (bottom, _right) in merged or ():
        if top <= below or bottom <= top:
            continue
        value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        for row in rows[top + 1:bottom + 1]:
            if left < len(row) and row[left] in ("", None):
                row[left] = value
