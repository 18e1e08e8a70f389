"""The GeoReport v2 documents, built as plain values in the spec's field order (``formats`` renders them).

Field by field from our models: a service is a minor category (``group`` its major class); a service
request is an incident, ``service_request_id`` its case number, ``status`` open/closed from the case,
``agency_responsible`` the handling department, ``media_url`` the absolute address of its first photo.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.process import process_get
from zhenwu.errors import gettext as _
from zhenwu.grid.models import Category, Incident, Open311Attribute, Open311Request
from zhenwu.grid.models.open311 import LIST_DATATYPES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def service_notice(category: Category) -> str:
    """What happens next: the department and the category's time limit."""
    version = category.current_version
    if version is None:
        return ""
    if version.limit_unit == DeadlineUnit.HOURS:
        limit = _("%(n)d hours") % {"n": version.limit_value}
    else:
        limit = _("%(n)d working days") % {"n": version.limit_value}
    return str(_("%(department)s handles it within %(limit)s of dispatch.")
               % {"department": version.department_name or "—", "limit": limit})


def service(category: Category) -> dict[str, Any]:
    major = category.parent.name if category.parent else ""
    kind = category.get_type_display()
    description = str(_("%(major)s (%(kind)s). %(notice)s")
                      % {"major": major, "kind": kind, "notice": service_notice(category)})
    return {"service_code": category.code, "service_name": category.name, "description": description,
            "metadata": bool(category.open311_attributes.all()), "type": "realtime",
            "keywords": ", ".join(k for k in (category.name, major, str(kind)) if k), "group": major}


def attribute(row: Open311Attribute) -> dict[str, Any]:
    values = [{"key": str(v.get("key", "")), "name": str(v.get("name", ""))} for v in row.values or []]
    return {"variable": row.variable, "code": row.code, "datatype": row.datatype, "required": row.required,
            "datatype_description": row.datatype_description or None, "order": row.order,
            "description": row.description, "values": values if row.datatype in LIST_DATATYPES else []}


def service_definition(category: Category) -> dict[str, Any]:
    return {"service_code": category.code, "attributes": [attribute(a) for a in category.open311_attributes.all()]}


def media_url(request: HttpRequest, incident: Incident) -> str | None:
    if incident.photos:
        return request.build_absolute_uri(reverse("open311:media", args=[incident.case.number, incident.photos[0]]))
    sent = getattr(incident, "open311", None)
    return (sent.media_url or None) if sent is not None else None


def status_notes(incident: Incident) -> str:
    case = incident.case
    label = process_get(case.process).state_label(case.status)
    into = incident.merged_into if incident.merged_into_id else None
    if into is not None:
        return str(_("%(state)s; merged into %(number)s.") % {"state": label, "number": into.case.number})
    return str(label)


def _agency(incident: Incident) -> str | None:
    unit = incident.case.handler_unit
    return unit.name if unit is not None else (incident.category_version.department_name or None)


def service_request(request: HttpRequest, incident: Incident) -> dict[str, Any]:
    """One incident as a GeoReport service request: public fields only, never the reporter's."""
    case, sent = incident.case, getattr(incident, "open311", None)
    return {"service_request_id": case.number, "status": "open" if incident.is_open else "closed",
            "status_notes": status_notes(incident), "service_name": incident.category_version.name,
            "service_code": incident.category.code, "description": incident.description,
            "agency_responsible": _agency(incident), "service_notice": service_notice(incident.category),
            "requested_datetime": incident.created_at, "updated_datetime": case.updated_at,
            "expected_datetime": case.deadline_due_at, "address": incident.address or None,
            "address_id": (sent.address_id or None) if sent is not None else None, "zipcode": None,
            "lat": incident.lat, "long": incident.lng, "media_url": media_url(request, incident)}


CREATED_FIELDS = ("service_request_id", "service_notice", "account_id", "token")


def created(row: Open311Request) -> dict[str, Any]:
    """The answer to POST requests: we file synchronously, so the id at once (and the token as well)."""
    return {"service_request_id": row.incident.case.number, "service_notice": service_notice(row.incident.category),
            "account_id": row.account_id or None, "token": row.token}


def created_in_order(answer: dict[str, Any]) -> dict[str, Any]:
    """``answer`` (maybe replayed from an idempotency record: PostgreSQL's jsonb reorders keys) in the spec's
    element order, which XML clients may rely on."""
    return {k: answer[k] for k in CREATED_FIELDS if k in answer}


def token(row: Open311Request) -> dict[str, Any]:
    return {"service_request_id": row.incident.case.number, "token": row.token}


def discovery(request: HttpRequest, changeset: Any, contact: str, key_service: str) -> dict[str, Any]:
    base = request.build_absolute_uri(reverse("open311:root"))
    return {"changeset": changeset, "contact": contact, "key_service": key_service,
            "endpoints": [{"specification": SPECIFICATION, "url": base.rstrip("/"), "changeset": changeset,
                           "type": "production", "formats": ["text/xml", "application/json"]}]}
