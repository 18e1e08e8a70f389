"""POST requests: check what a client sent against the service's definition and file an incident.

Synchronous: the incident (and its case number, our ``service_request_id``) exists when we answer, so
a token is given only for clients that look one up (``tokens/{id}``). Everything happens in one
transaction: a refused request leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _lazy

from zhenwu.areas.index import locate
from zhenwu.areas.models import Area
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.grid.choices import Source
from zhenwu.grid.models import Category, Open311Attribute, Open311Client, Open311Request
from zhenwu.grid.models.open311 import AttributeDatatype
from zhenwu.grid.open311.address import address_grid
from zhenwu.grid.open311.formats import Open311Error
from zhenwu.grid.open311.params import RequestInput, parse_datetime
from zhenwu.grid.open311.selectors import service_get
from zhenwu.grid.services.incidents import incident_report

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# incident_report's field names → the GeoReport parameter a client would fix
FIELDS = {"category": "service_code", "lng": "long", "lat": "lat", "crs": "lat", "grid_code": "address_string",
          "description": "description", "photos": "media", "address": "address_string", "reporter_mobile": "phone"}


def _answer_names(row: Open311Attribute, values: list[str]) -> list[str]:
    names = {str(v.get("key")): str(v.get("name", v.get("key"))) for v in row.values or []}
    unknown = [v for v in values if v not in names]
    if unknown:
        raise _bad_attribute(row, _("not one of the listed keys: %(keys)s") % {"keys": ", ".join(unknown)})
    return [names[v] for v in values]


def _bad_attribute(row: Open311Attribute, why: Any) -> Open311Error:
    return Open311Error(400, _("attribute[%(code)s]: %(why)s") % {"code": row.code, "why": why})


def _answer(row: Open311Attribute, values: list[str]) -> str:
    """The answer to one question as text for the incident, after the datatype's rule."""
    if row.datatype == AttributeDatatype.MULTI:
        return "、".join(_answer_names(row, values))
    if len(values) > 1:
        raise _bad_attribute(row, _("give one value."))
    value = values[0]
    if row.datatype == AttributeDatatype.SINGLE:
        return _answer_names(row, values)[0]
    if row.datatype == AttributeDatatype.NUMBER:
        try:
            float(value)
        except ValueError:
            raise _bad_attribute(row, _("enter a number.")) from None
    elif row.datatype == AttributeDatatype.DATETIME:
        parse_datetime(f"attribute[{row.code}]", value)
    limit = 4000 if row.datatype == AttributeDatatype.TEXT else 300
    if len(value) > limit:
        raise _bad_attribute(row, _("at most %(limit)d characters.") % {"limit": limit})
    return value


def attributes_check(category: Category, sent: dict[str, list[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The answers kept (code → values) and their text lines; missing required answers are errors,
    codes the service does not ask are ignored (a client may send a form meant for another server)."""
    kept: dict[str, list[str]] = {}
    lines: list[str] = []
    missing: list[Any] = []
    for row in category.open311_attributes.all():
        values = sent.get(row.code) or []
        if not row.variable:
            continue
        if not values:
            if row.required:
                missing.append(_("attribute[%(code)s]: required (%(question)s).")
                               % {"code": row.code, "question": row.description})
            continue
        lines.append(f"{row.description}: {_answer(row, values)}")
        kept[row.code] = values
    if missing:
        raise Open311Error(400, *missing)
    return kept, lines


def _address_grid(data: RequestInput, town: Area) -> str:
    """The grid of a report located by an address only (``open311.address``: the registry's addresses, the
    area names, else the configured grid); the dispatcher places it on the map."""
    code = address_grid(town, address=data.text("address_string"), address_id=data.text("address_id"))
    if code is None:
        raise Open311Error(400, _lazy("address_string: no household, place, village or grid of the town is "
                                      "known at this address; send lat and long."))
    return code


def _location(data: RequestInput, town: Area) -> str | None:
    """The grid for an address-only report, or None when the point (which must lie in the jurisdiction's
    town) decides; without either, the spec's 400."""
    if data.lat is None or data.long is None:
        if not data.text("address_string") and not data.text("address_id"):
            raise Open311Error(400, _lazy("lat/long, address_string or address_id: one location is required."))
        return _address_grid(data, town)
    try:
        found = locate(data.long, data.lat)
    except FieldError as exc:
        raise _field_errors(exc) from exc
    if not found.grid_code or not found.grid_code.startswith(town.code):
        raise Open311Error(400, _("lat/long: the point lies outside %(town)s; this server takes requests for "
                                  "that town only.") % {"town": town.name})
    return None


def _description(data: RequestInput, category: Category, lines: list[str]) -> str:
    text = data.text("description") or category.name
    return "\n".join([text, *lines]) if lines else text


def _reporter(data: RequestInput) -> tuple[str, str]:
    name = " ".join(n for n in (data.text("last_name"), data.text("first_name")) if n)[:100]
    phone = re.sub(r"[\s-]", "", data.text("phone")).removeprefix("+86")
    return name, phone if MOBILE.match(phone) else ""


def _parameter(field: str) -> str:
    """The GeoReport parameter of a service's field name (``photos.0`` → ``media.0``)."""
    head, dot, rest = field.partition(".")
    return FIELDS.get(head, head) + dot + rest


def _field_errors(exc: FieldError) -> Open311Error:
    """A service's FieldError as the spec's error list, named by the GeoReport parameter (both languages)."""
    return Open311Error(400, *(_("%(field)s: %(message)s") % {"field": _parameter(f), "message": m} if f else m
                               for f, m in exc.errors))


@transaction.atomic
def open311_request_create(*, client: Open311Client, town: Area, data: RequestInput,
                           photos: Sequence[tuple[str, bytes]] = (), now: dt.datetime | None = None) -> Open311Request:
    """File the incident a client POSTed (source open311, no acting user) and record the request.
    ``photos``: files sent as ``media`` in a multipart POST (our extension; the spec has only media_url)."""
    if not data.service_code:
        raise Open311Error(400, _lazy("service_code: required; GET services lists the codes."))
    category = service_get(data.service_code, status=400)
    grid_code = _location(data, town)
    kept, lines = attributes_check(category, data.attributes)
    name, mobile = _reporter(data)
    try:
        incident = incident_report(
            actor=None, category=category.code, lng=data.long, lat=data.lat, grid_code=grid_code,
            address=data.text("address_string")[:200], description=_description(data, category, lines),
            source=Source.OPEN311, photos=photos, reporter_name=name, reporter_mobile=mobile, now=now)
    except FieldError as exc:
        raise _field_errors(exc) from exc
    return Open311Request.objects.create(
        client=client, incident=incident, token=secrets.token_hex(16), attributes=kept,
        **{f: data.text(f) for f in ("account_id", "device_id", "email", "first_name", "last_name", "phone",
                                     "address_id", "media_url")})
