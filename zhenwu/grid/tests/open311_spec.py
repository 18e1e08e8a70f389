"""The GeoReport v2 rules the conformance tests check, written down once as data.

For each document: its XML root and item element, whether JSON answers a list or one object, the
fields the spec defines (in its order), which are required, and the allowed values of enumerated
fields. A response is read back from XML (stdlib ElementTree) or JSON into the same plain shape and
checked against these rules, so every endpoint is held to the spec in both formats by one checker.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET  # noqa: N817 - parsing our own responses in tests

CONTENT_TYPES = {"xml": "text/xml", "json": "application/json"}
BOOLEAN = {"true", "false"}
# ISO 8601 with a UTC offset or Z, as the spec's "Date/time format" requires
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


@dataclass(frozen=True)
class Doc:
    root: str
    item: str | None  # the XML item element of a list document; None for a single object
    fields: tuple[str, ...]
    required: tuple[str, ...]
    enums: dict[str, set[str]] = field(default_factory=dict)
    datetimes: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()


SERVICE = Doc("services", "service",
              ("service_code", "service_name", "description", "metadata", "type", "keywords", "group"),
              ("service_code", "service_name", "type", "metadata"),
              enums={"type": {"realtime", "batch", "blackbox"}, "metadata": BOOLEAN})
ATTRIBUTE_FIELDS = ("variable", "code", "datatype", "required", "datatype_description", "order", "description",
                    "values")
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
DEFINITION = Doc("service_definition", None, ("service_code", "attributes"), ("service_code", "attributes"))
REQUEST = Doc("service_requests", "request",
              ("service_request_id", "status", "status_notes", "service_name", "service_code", "description",
               "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
               "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"),
              ("service_request_id", "status", "service_code", "requested_datetime"),
              enums={"status": {"open", "closed"}},
              datetimes=("requested_datetime", "updated_datetime", "expected_datetime"), numbers=("lat", "long"))
# "token" is the spec's alternative to the id; we file synchronously and send the id, the token last beside it
CREATED = Doc("service_requests", "request", ("service_request_id", "service_notice", "account_id", "token"),
              ("service_request_id",))
TOKEN = Doc("service_requests", "request", ("service_request_id", "token"), ("token",))
DISCOVERY = Doc("discovery", None, ("changeset", "contact", "key_service", "endpoints"),
                ("changeset", "endpoints"), datetimes=("changeset",))
ERRORS = Doc("errors", "error", ("code", "description"), ("code", "description"))


LIST_TAGS = {"values", "formats", "attributes", "endpoints"}  # list elements nested in documents


def _element(element: ET.Element) -> Any:
    children = list(element)
    if element.tag in LIST_TAGS:
        return [_element(c) for c in children]
    if not children:
        return element.text
    return {c.tag: _element(c) for c in children}


def read(response: Any, fmt: str, doc: Doc) -> Any:
    """The body as plain data (XML text stays text; JSON keeps its types), after checking the envelope."""
    assert response["Content-Type"].split(";")[0] == CONTENT_TYPES[fmt]
    assert "charset=utf-8" in response["Content-Type"].lower()
    if fmt == "json":
        return json.loads(response.content.decode("utf-8"))
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == doc.root, root.tag
    if doc.item is not None:
        assert all(c.tag == doc.item for c in root), [c.tag for c in root]
        return [_element(c) for c in root]
    return {c.tag: _element(c) for c in root}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_object(obj: dict[str, Any], doc: Doc, fmt: str) -> None:
    assert set(obj) <= set(doc.fields), set(obj) - set(doc.fields)
    if fmt == "xml":
        assert list(obj) == [f for f in doc.fields if f in obj], "XML elements out of the spec's order"
    for name in doc.required:
        assert obj.get(name) not in (None, ""), f"{name} is required"
    for name, allowed in doc.enums.items():
        if obj.get(name) is not None:
            assert _text(obj[name]) in allowed, (name, obj[name])
    for name in doc.datetimes:
        if obj.get(name) is not None:
            assert DATETIME.match(obj[name]), (name, obj[name])
            dt.datetime.fromisoformat(obj[name])
    for name in doc.numbers:
        if obj.get(name) is not None:
            float(obj[name])
            if fmt == "json":
                assert isinstance(obj[name], int | float)


def check_attribute(attr: dict[str, Any], fmt: str) -> None:
    assert set(attr) <= set(ATTRIBUTE_FIELDS)
    for name in ("variable", "code", "datatype", "required"):
        assert attr.get(name) is not None, name
    assert _text(attr["variable"]) in BOOLEAN and _text(attr["required"]) in BOOLEAN
    assert attr["datatype"] in DATATYPES
    if attr["datatype"] in ("singlevaluelist", "multivaluelist"):
        assert attr["values"], "a list datatype needs values"
        for value in attr["values"]:
            assert set(value) == {"key", "name"}


def check(response: Any, fmt: str, doc: Doc, status: int = 200) -> Any:
    """Check ``response`` against ``doc`` in ``fmt``; returns the data read."""
    assert response.status_code == status, (response.status_code, response.content[:300])
    data = read(response, fmt, doc)
    if doc.item is not None:
        assert isinstance(data, list)
        for obj in data:
            check_object(obj, doc, fmt)
    else:
        assert isinstance(data, dict)
        check_object(data, doc, fmt)
    return data


def check_errors(response: Any, fmt: str, status: int) -> list[dict[str, Any]]:
    """The spec's error list: one or more {code, description}, code the HTTP status."""
    errors = check(response, fmt, ERRORS, status=status)
    assert errors
    for error in errors:
        assert str(error["code"]) == str(status)
        assert error["description"]
    return errors
