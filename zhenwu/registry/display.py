"""How base-data rows are shown: one dict per row, personal values masked unless revealed.

Shared by the API (the dicts match the Out schemas) and the pages, so a list never shows more in
one place than in the other. ``unmasked=True`` is only passed after ``services.*_reveal`` wrote
the audit entry.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.utils import timezone

from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_name
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident


def _plain(value: str, unmasked: bool, mask: Any) -> str:
    return value if unmasked else mask(value) if value else ""


def age_on(birth: datetime.date, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def resident_row(r: Resident, *, unmasked: bool = False, tags: list[str] | None = None) -> dict[str, Any]:
    """A resident; masked: ID number, mobile and name, and no birth date (the age instead)."""
    tag_values = tags if tags is not None else [t.tag for t in r.tags.all()]
    return {
        "id": r.pk, "id_number": _plain(r.id_number, unmasked, mask_id_number),
        "name": _plain(r.name, unmasked, mask_name), "mobile": _plain(r.mobile, unmasked, mask_mobile),
        "sex": r.sex, "sex_label": str(r.get_sex_display()), "age": age_on(r.birth_date),
        "birth_date": r.birth_date if unmasked else None,
        "status": r.status, "status_label": str(r.get_status_display()),
        "relation": r.relation, "relation_label": str(r.get_relation_display()) if r.relation else "",
        "household": {"id": r.household.pk, "number": r.household.number} if r.household else None,
        "grid": r.area_code, "arrival_date": r.arrival_date, "origin": r.origin,
        "tags": tag_values, "lng": r.lng, "lat": r.lat, "masked": not unmasked,
    }


def household_row(h: Household, *, unmasked: bool = False) -> dict[str, Any]:
    """A household; the head's name is masked."""
    return {
        "id": h.pk, "number": h.number, "address": h.address, "kind": h.kind,
        "kind_label": str(h.get_kind_display()), "grid": h.area_code,
        "head": ({"id": h.head.pk, "name": _plain(h.head.name, unmasked, mask_name)} if h.head else None),
        "lng": h.lng, "lat": h.lat,
    }


def enterprise_row(e: Enterprise, *, unmasked: bool = False) -> dict[str, Any]:
    """An enterprise; the USCC is public, the legal representative and the mobile are masked."""
    return {
        "id": e.pk, "uscc": e.uscc, "name": e.name,
        "legal_representative": _plain(e.legal_representative, unmasked, mask_name),
        "industry": e.industry, "address": e.address, "grid": e.area_code,
        "operating_status": e.operating_status, "operating_status_label": str(e.get_operating_status_display()),
        "risk_level": e.risk_level, "risk_level_label": str(e.get_risk_level_display()),
        "abnormal_listed": e.abnormal_listed, "complaint_count": e.complaint_count,
        "mobile": _plain(e.mobile, unmasked, mask_mobile), "lng": e.lng, "lat": e.lat,
    }


def place_row(p: Place, *, unmasked: bool = False) -> dict[str, Any]:
    """A place; the contact's name and mobile are masked."""
    enterprise = p.enterprise
    return {
        "id": p.pk, "kind": p.kind, "kind_label": str(p.get_kind_display()), "name": p.name,
        "address": p.address, "grid": p.area_code,
        "enterprise": {"id": enterprise.pk, "name": enterprise.name, "uscc": enterprise.uscc} if enterprise else None,
        "contact_name": _plain(p.contact_name, unmasked, mask_name),
        "contact_mobile": _plain(p.contact_mobile, unmasked, mask_mobile), "lng": p.lng, "lat": p.lat,
    }


def hide_credentials(url: str) -> str:
    """A stream URL without the user and password some video systems put in it."""
    parts = urlsplit(url)
    if not parts.password and not parts.username:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def camera_row(c: Camera, *, unmasked: bool = False) -> dict[str, Any]:
    """A camera; credentials in the stream URL are hidden."""
    return {
        "id": c.pk, "code": c.code, "name": c.name, "source_system": c.source_system,
        "stream_url": c.stream_url if unmasked else hide_credentials(c.stream_url),
        "grid": c.area_code, "lng": c.lng, "lat": c.lat,
    }


def assignment_row(a: GridAssignment) -> dict[str, Any]:
    """A grid assignment (staff names are not masked: staff act in their official capacity)."""
    return {
        "id": a.pk, "grid": a.grid.code, "grid_name": a.grid.name, "user_id": a.user_id,
        "user": a.user.full_name or a.user.username, "duty": a.duty, "duty_label": str(a.get_duty_display()),
        "started_on": a.started_on, "ended_on": a.ended_on, "current": a.ended_on is None,
    }
