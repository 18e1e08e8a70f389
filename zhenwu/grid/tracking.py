"""事件查询 without login: the incident number and its 查询码 (or the last four digits of the reporter's
mobile) show the status and the outcome — never a name, a mobile, an address or a photo.

The 查询码 is not stored: it is a keyed hash of the number (``SECRET_KEY``), 8 characters of 31, so the
report page, the staff page and the hotline can all tell it again. Guessing is limited per client
address and per number (``accounts.throttle``, scopes ``grid_track_ip`` and ``grid_track_number``); the
per-number limit is what keeps the four digits of a mobile from being tried through.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.crypto import constant_time_compare, salted_hmac

from zhenwu.accounts.throttle import throttle
from zhenwu.casework.models import AuditEntry
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid.models import Incident
from zhenwu.grid.process import FINISHED_STATES, LABELS

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXY"  # no 0/O, 1/I, Z/2 confusions: 31 characters
CODE_LENGTH = 8


def tracking_code(number: str) -> str:
    """The 查询码 of an incident number (the same every time it is asked for)."""
    digest = int.from_bytes(salted_hmac("zhenwu.grid.tracking", number.upper()).digest()[:8], "big")
    out = []
    for _i in range(CODE_LENGTH):
        digest, rest = divmod(digest, len(ALPHABET))
        out.append(ALPHABET[rest])
    return "".join(out)


def _matches(incident: Incident, secret: str) -> bool:
    text = "".join((secret or "").split()).upper()
    if len(text) == CODE_LENGTH and constant_time_compare(text, tracking_code(incident.case.number)):
        return True
    mobile = incident.reporter_mobile or ""
    return len(text) == 4 and text.isdigit() and len(mobile) == 11 and constant_time_compare(text, mobile[-4:])


def tracking_find(*, number: str, secret: str, ip: str) -> Incident:
    """The incident when ``secret`` is its 查询码 or the last 4 digits of the reporter's mobile; 404
    otherwise (as for an unknown number); 429 beyond the attempt limits."""
    number = (number or "").strip().upper()[:64]
    throttle(scope="grid_track_ip", key=ip or "-", field="code")
    throttle(scope="grid_track_number", key=number or "-", field="code")
    incident = (Incident.objects.select_related("case", "category_version", "merged_into__case")
                .filter(case__number=number).first())
    if incident is None or not _matches(incident, secret):
        raise NotFound(_("No incident matches this number and code."), field="code")
    return incident


@dataclass(frozen=True)
class IncidentTracking:
    number: str
    category: str
    status: str
    status_label: str
    reported_at: dt.datetime
    finished: bool
    finished_at: dt.datetime | None
    merged_into: str
    merged_status_label: str
    steps: list[dict[str, Any]]


def tracking_view(incident: Incident) -> IncidentTracking:
    """What the public sees: the category, the states passed with their times, and the outcome."""
    case = incident.case
    entries = AuditEntry.objects.filter(subject=case.number).exclude(to_state="").order_by("seq")
    steps = [{"state": e.to_state, "label": LABELS.get(e.to_state, e.to_state), "at": e.created_at} for e in entries]
    finished = case.status in FINISHED_STATES
    finished_at: dt.datetime | None = None
    if finished:
        finished_at = next((e.created_at for e in reversed(list(entries)) if e.to_state == case.status), None)
    target = incident.merged_into if incident.merged_into_id else None
    merged = target.case.number if target is not None else ""
    merged_label = LABELS.get(target.case.status, target.case.status) if target is not None else ""
    return IncidentTracking(number=case.number, category=incident.category_version.name, status=case.status,
                            status_label=LABELS.get(case.status, case.status), reported_at=case.created_at,
                            finished=finished, finished_at=finished_at, merged_into=merged,
                            merged_status_label=merged_label, steps=steps)
