"""Reading GeoReport v2 parameters: POST fields, ``attribute[code]`` pairs, dates, lists and paging.

Each reader raises :class:`Open311Error` (400) naming the parameter, so a client learns which field to
fix; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.errors import gettext
from zhenwu.grid.open311.formats import Open311Error, comma_list, unique

ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]{1,100})\](\[\])?$")
TEXT_LIMITS = {"address_string": 500, "address_id": 100, "email": 254, "device_id": 100, "account_id": 100,
               "first_name": 50, "last_name": 50, "phone": 30, "description": 4000, "media_url": 1000}
MAX_IDS = 1000  # service_request_id values in one GET requests


@dataclass
class RequestInput:
    """A POST requests body, read and trimmed (``attributes``: code → list of values as sent)."""

    api_key: str
    jurisdiction_id: str
    service_code: str
    lat: float | None
    long: float | None
    texts: dict[str, str]
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return self.texts.get(name, "")


def bad(message: Any) -> Open311Error:
    return Open311Error(400, message)


def _float(data: QueryDict, name: str) -> float | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise bad(gettext("%(field)s: enter a number in decimal degrees (WGS84).") % {"field": name})
    return value


def _texts(data: QueryDict) -> dict[str, str]:
    texts: dict[str, str] = {}
    errors: list[Any] = []
    for name, limit in TEXT_LIMITS.items():
        value = (data.get(name) or "").strip()
        if len(value) > limit:
            errors.append(gettext("%(field)s: at most %(limit)d characters.") % {"field": name, "limit": limit})
        texts[name] = value
    if errors:
        raise Open311Error(400, *errors)
    return texts


def _attributes(data: QueryDict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE_KEY.match(key)
        if match:
            values = [v.strip() for v in data.getlist(key) if v.strip()]
            found.setdefault(match.group(1), []).extend(values)
    return found


def request_input(data: QueryDict, query: QueryDict) -> RequestInput:
    """The POST requests fields (``api_key`` and ``jurisdiction_id`` also from the query string)."""
    lat, long = _float(data, "lat"), _float(data, "long")
    if (lat is None) != (long is None):
        raise bad(_("lat and long: send both coordinates, or neither and an address_string."))
    return RequestInput(
        api_key=(data.get("api_key") or query.get("api_key") or "").strip(),
        jurisdiction_id=(data.get("jurisdiction_id") or query.get("jurisdiction_id") or "").strip(),
        service_code=(data.get("service_code") or "").strip(), lat=lat, long=long,
        texts=_texts(data), attributes=_attributes(data))


def parse_datetime(name: str, raw: str | None) -> dt.datetime | None:
    """An ISO 8601 time (``Z`` or an offset; a bare date or a time without offset is taken as local)."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw.replace(" ", "+") if "T" in raw else raw)
    except ValueError:
        raise bad(gettext("%(field)s: enter a time in ISO 8601, e.g. 2026-11-05T08:15:30+08:00.")
                  % {"field": name}) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


@dataclass(frozen=True)
class RequestQuery:
    """GET requests filters after defaults: ids (overriding the rest), codes, statuses, the window, a page."""

    ids: list[str]
    service_codes: list[str]
    statuses: list[str]
    start: dt.datetime
    end: dt.datetime
    page: int
    page_size: int


def _positive(query: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = (query.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise bad(gettext("%(field)s: enter a whole number from 1 to %(max)d.") % {"field": name, "max": maximum})
    return int(raw)


def _statuses(query: QueryDict) -> list[str]:
    statuses = unique(s.lower() for s in comma_list(query.get("status")))
    if any(s not in ("open", "closed") for s in statuses):
        raise bad(_("status: use open, closed, or both separated by a comma."))
    return statuses


def _window(query: QueryDict, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    span = dt.timedelta(days=settings.OPEN311_DEFAULT_DAYS)
    start = parse_datetime("start_date", query.get("start_date"))
    end = parse_datetime("end_date", query.get("end_date"))
    if start is None and end is None:
        return now - span, now
    if start is None:
        assert end is not None
        return end - span, end
    if end is None:
        return start, min(start + span, max(now, start))
    if end < start:
        raise bad(_("end_date: must not be before start_date."))
    if end - start > span:
        raise bad(gettext("start_date and end_date: the range may span at most %(days)d days.")
                  % {"days": settings.OPEN311_DEFAULT_DAYS})
    return start, end


def request_query(query: QueryDict, now: dt.datetime | None = None) -> RequestQuery:
    """The GET requests parameters; the window defaults to the last ``OPEN311_DEFAULT_DAYS`` days."""
    ids = unique(comma_list(query.get("service_request_id")))
    if len(ids) > MAX_IDS:
        raise bad(gettext("service_request_id: at most %(max)d at once.") % {"max": MAX_IDS})
    limit = settings.OPEN311_MAX_RESULTS
    start, end = _window(query, now or timezone.now())
    return RequestQuery(ids=ids, service_codes=unique(comma_list(query.get("service_code"))),
                        statuses=_statuses(query), start=start, end=end,
                        page=_positive(query, "page", 1, 1_000_000),
                        page_size=_positive(query, "page_size", limit, limit))
