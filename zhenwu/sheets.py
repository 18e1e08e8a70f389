"""Cells that stay data: every string an export writes is text, never a formula (issue 8.5).

A ledger holds values people typed (a place's name, an item's name, an address). Written as they
are, ``=HYPERLINK("http://…"&A1, …)`` becomes a live formula in the administrator's Excel and can
send the sheet's data out. openpyxl turns any string starting with ``=`` into a formula, and Excel
or WPS re-read a cell starting with ``+ - @`` (or a tab / carriage return) as one when it is edited.
So each string is written as a text cell, and those that start with such a character carry
Excel's "quote prefix" (the leading apostrophe, not shown, not part of the value), which keeps
them text after an edit too. Characters that XML cannot hold are dropped instead of failing the
export. Every xlsx writer of the project uses ``safe_row``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(sheet: Any, value: Any) -> Any:
    """``value`` ready for ``sheet.append``: strings as text cells (quote-prefixed when risky), others as is."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not text.startswith(FORMULA_TRIGGERS):
        return text  # openpyxl stores any other string as a plain string cell
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl made "=…" a formula; a string it is
    cell.quotePrefix = True
    return cell


def safe_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """A row of ``safe_cell`` values."""
    return [safe_cell(sheet, v) for v in values]
