"""The two wire formats of GeoReport v2: XML (required by the spec) and JSON, chosen by the URL suffix.

Every answer is first built as plain Python (dicts in field order, lists, scalars), then rendered.
JSON is that value as it is. XML needs names the value does not carry: the root element's, and each
list's item element (``services`` holds ``service`` elements, ``service_requests`` holds ``request``,
``errors`` holds ``error``, …), given by :data:`ITEM_NAMES`. ``None`` is an empty element in XML and
``null`` in JSON; booleans are ``true``/``false`` in both; times are ISO 8601 with their UTC offset.

Errors are the spec's list of ``{code, description}``. The description gives the Chinese message
followed by the English one in parentheses, so a foreign 311 client and a Chinese operator both read it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET  # noqa: N817 - building, never parsing, so no XML attack surface

from django.http import HttpResponse
from django.utils import timezone

from zhenwu.errors import render

FORMATS: dict[str, str] = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
DEFAULT_FORMAT = "xml"  # the format the spec requires; used for errors when the URL names none

ITEM_NAMES: dict[str, str] = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


class Open311Error(Exception):
    """One or more spec errors answered with one HTTP status (400, 403, 404, 405, 429)."""

    def __init__(self, status: int, *messages: Any) -> None:
        self.status = status
        self.messages = list(messages)
        super().__init__("; ".join(render(m, "en") for m in self.messages))

    def items(self) -> list[dict[str, Any]]:
        return [{"code": self.status, "description": describe(m)} for m in self.messages]


def describe(message: Any) -> str:
    """``中文 (English)``: the message in both languages, once when they are the same."""
    chinese, english = render(message, "zh-hans"), render(message, "en")
    return chinese if chinese == english else f"{chinese} ({english})"


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 in the site's time zone with its offset (``2026-11-26T17:23:41+08:00``)."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso(value)
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list | tuple):
        item = ITEM_NAMES[element.tag]
        for child in value:
            _fill(ET.SubElement(element, item), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """``value`` as an XML document under ``root``, with the UTF-8 declaration the spec asks for."""
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode("utf-8")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_json_default).encode("utf-8")


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    """The answer in ``fmt`` (``xml`` or ``json``); ``root`` names the XML root element."""
    body = to_json(value) if fmt == "json" else to_xml(root, value)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS[DEFAULT_FORMAT]))


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    return respond(fmt if fmt in FORMATS else DEFAULT_FORMAT, "errors", error.items(), status=error.status)


def comma_list(value: str | None) -> list[str]:
    """``"a, b,,c"`` → ``["a", "b", "c"]`` (the spec's comma-delimited parameters)."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
