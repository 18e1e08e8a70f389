"""What a person sees on a page or in an export, and the English words in it.

Used by the English crawl (``test_english_crawl.py``): every page's visible text (text nodes outside
scripts and styles, the <title>, and the attributes a browser shows: title, placeholder, aria-label,
alt, data-label, button values) and the text of every export (xlsx cells, csv, PDF) is searched for
words in Latin letters. Identifiers are not words: a token with a digit, an underscore, an @ or a file
extension (case numbers, item codes, e-mail addresses, ``photo.png``) and a web address are skipped.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

# Abbreviations and names Chinese offices use as they are; SQ, SJ, JF, ZG, SG, ZF, JZ, YJ: case-kind codes (case
# numbers' prefix).
ALLOWED = frozenset({"SQ", "SJ", "JF", "ZG", "SG", "ZF", "JZ", "YJ", "API", "PDF", "QR", "xlsx", "XLSX", "xls", "csv",
                     "CSV", "ID", "IP", "GPS", "Excel",
                     "WPS", "GeoJSON", "SHA", "km", "Leaflet", "ECharts", "chinesecalendar", "Ctrl"})

SHOWN_ATTRIBUTES = frozenset({"title", "placeholder", "aria-label", "data-label"})
BUTTON_TYPES = frozenset({"submit", "button", "reset"})
HIDDEN_CONTENT = frozenset({"script", "style", "template"})
CODE = frozenset({"code", "kbd", "samp"})  # an HTTP header or a command to type: code, not prose

_TOKEN = re.compile(r"[^\s，。、；：;,()（）\[\]【】「」《》“”\"'·|/<>!?！？=×→←…—–]+")
# A digit, underscore, mask star or colon inside, a file extension, a code prefix like ``SQ-``: an identifier.
_IDENTIFIER = re.compile(r"[0-9_@#%&$*\\:]|\.[A-Za-z0-9]{2,5}$|^\.|^[A-Z]{2,4}-")
_WORD = re.compile(r"[A-Za-z]{2,}")
_ADDRESS = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.IGNORECASE)


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_CONTENT or tag in CODE:
            self._hidden += 1
        values = dict(attrs)
        for name, value in attrs:
            if value and name in SHOWN_ATTRIBUTES:
                self.parts.append(value)
        if tag == "input" and (values.get("type") or "").lower() in BUTTON_TYPES and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if (tag in HIDDEN_CONTENT or tag in CODE) and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and not _is_json(data):
            self.parts.append(data)


def _is_json(text: str) -> bool:
    """A JSON document shown for editing (the admin's JSON fields): machine data, keys are not words."""
    text = text.strip()
    if not text or text[0] not in "[{" and text != "null":
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "\n".join(p for p in parser.parts if p.strip())


def english_words(text: str) -> list[str]:
    """Latin-letter words outside identifiers and the allow-list, in the order they appear."""
    found: list[str] = []
    for token in _TOKEN.findall(_ADDRESS.sub(" ", text)):
        if _IDENTIFIER.search(token):
            continue
        found.extend(w for w in _WORD.findall(token) if w not in ALLOWED)
    return found


def xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    parts = []
    for sheet in book.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if isinstance(v, str))
    return "\n".join(parts)


def csv_text(data: bytes) -> str:
    text = data.decode("utf-8-sig")
    return "\n".join(cell for row in csv.reader(io.StringIO(text)) for cell in row)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


EXPORT_READERS = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": xlsx_text,
    "text/csv": csv_text,
    "application/pdf": pdf_text,
}


def response_text(content_type: str, content: bytes) -> str | None:
    """The visible text of a response, or None for content nobody reads as text (images, JSON)."""
    kind = content_type.split(";")[0].strip()
    if kind in EXPORT_READERS:
        return EXPORT_READERS[kind](content)
    if kind == "text/html":
        return visible_text(content.decode("utf-8", "replace"))
    return None
