"""From an application to its PDF notices: builds the frozen dataclasses of ``documents.py`` from the
case's own record (application fields and audit entries) and renders them.

A notice exists only when the case's history has the step it certifies: 受理 (an ``accept`` entry),
不予受理 (the case was rejected), 补正 (a ``request_supplement`` entry; the latest one), 办结 (a
decision). Asking for any other answers ``NotFound``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.utils import timezone

from zhenwu.areas.models import Area
from zhenwu.casework.models import AuditEntry
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import documents as docs
from zhenwu.services.choices import DeliveryMode, Result, Status
from zhenwu.services.models import Application
from zhenwu.services.services.codes import code_display

KINDS = ("acceptance", "rejection", "supplement", "completion")
TRACK_PATH = "/public/track/"


def tracking_url(application: Application, *, base_url: str = "") -> str:
    """Absolute URL of the public tracking page for this case (``base_url`` = scheme and host)."""
    return f"{base_url.rstrip('/')}{TRACK_PATH}?{urlencode({'number': application.case.number})}"


def _issuer(application: Application) -> str:
    # The town is the issuing authority of every service-hall notice.
    name = Area.objects.filter(code=application.case.town_code).values_list("name", flat=True).first()
    return name or application.case.town_code


def _day(moment: dt.datetime | None) -> dt.date:
    return timezone.localdate(moment or timezone.now())


def _last(application: Application, *actions: str) -> AuditEntry | None:
    return AuditEntry.objects.filter(subject=application.case.number, action__in=actions).order_by("-seq").first()


def _base(application: Application, base_url: str) -> dict[str, object]:
    return {"case_number": application.case.number, "issuer": _issuer(application), "issued_on": _day(None),
            "tracking_url": tracking_url(application, base_url=base_url),
            "applicant_name": application.applicant_name, "item_name": application.item_version.name}


def _absent() -> NotFound:
    return NotFound(_("This notice does not apply to this application."), field="kind")


def acceptance_data(application: Application, *, base_url: str = "",
                    tracking_code: str = "") -> docs.AcceptanceNoticeData:
    entry = _last(application, "accept")
    if entry is None:
        raise _absent()
    app, clerk = application, application.first_contact
    accepted = _day(entry.created_at)
    due = _day(app.case.deadline_due_at) if app.case.deadline_due_at else accepted
    received = tuple(m["name"] for m in app.materials if m.get("provided"))
    return docs.AcceptanceNoticeData(**_base(app, base_url), accepted_on=accepted,  # type: ignore[arg-type]
                                     promised_days=app.item_version.promised_limit_days, due_on=due,
                                     clerk_name=clerk.full_name or str(clerk) if clerk else entry.actor_name,
                                     materials_received=received,
                                     tracking_code=code_display(tracking_code) if tracking_code else "")


def rejection_data(application: Application, *, base_url: str = "") -> docs.RejectionNoticeData:
    app = application
    if app.case.status != Status.REJECTED:
        raise _absent()
    return docs.RejectionNoticeData(**_base(app, base_url), submitted_on=_day(app.case.created_at),  # type: ignore[arg-type]
                                    reason=app.result_reason or "—",
                                    legal_basis=app.item_version.legal_basis or "—", review_authority="", court="")


def supplement_data(application: Application, *, base_url: str = "") -> docs.SupplementNoticeData:
    entry = _last(application, "request_supplement")
    names = ((entry.data or {}).get("fields") or {}).get("missing") if entry else None
    if entry is None or not names:
        raise _absent()
    forms = {m["name"]: m for m in application.item_version.materials}
    missing = tuple(docs.MissingMaterial(name=n, form=forms.get(n, {}).get("form", "copy"),
                                         count=int(forms.get(n, {}).get("count", 1))) for n in names)
    clerk = entry.actor_name
    return docs.SupplementNoticeData(**_base(application, base_url),  # type: ignore[arg-type]
                                     submitted_on=_day(application.case.created_at), missing=missing,
                                     clerk_name=clerk)


def completion_data(application: Application, *, base_url: str = "") -> docs.CompletionNoticeData:
    app = application
    if app.result not in (Result.APPROVED, Result.DENIED):
        raise _absent()
    delivery = app.delivery_mode or (app.item_version.delivery or [DeliveryMode.WINDOW])[0]
    approved = app.result == Result.APPROVED
    return docs.CompletionNoticeData(**_base(app, base_url), completed_on=_day(app.decided_at),  # type: ignore[arg-type]
                                     approved=approved, delivery=delivery,
                                     reason="" if approved else (app.result_reason or "—"),
                                     tracking_number=app.tracking_number)


RENDER: dict[str, Callable[[Application, str, str], bytes]] = {
    "acceptance": lambda a, u, c: docs.acceptance_notice(acceptance_data(a, base_url=u, tracking_code=c)),
    "rejection": lambda a, u, c: docs.rejection_notice(rejection_data(a, base_url=u)),
    "supplement": lambda a, u, c: docs.supplement_notice(supplement_data(a, base_url=u)),
    "completion": lambda a, u, c: docs.completion_notice(completion_data(a, base_url=u)),
}


def notice_kinds(application: Application) -> list[str]:
    """The notices this case's history has (in the order they happen)."""
    found = []
    for kind, build in (("acceptance", acceptance_data), ("supplement", supplement_data),
                        ("rejection", rejection_data), ("completion", completion_data)):
        try:
            build(application)
        except NotFound:
            continue
        found.append(kind)
    return found


def notice_pdf(application: Application, kind: str, *, base_url: str = "", tracking_code: str = "") -> bytes:
    """The PDF of one notice (acceptance, rejection, supplement, completion); NotFound when that notice
    does not apply to the case's history. ``tracking_code`` (known only right after it was issued) is
    printed on the acceptance notice."""
    if kind not in RENDER:
        raise _absent()
    return RENDER[kind](application, base_url, tracking_code)


def notice_filename(application: Application, kind: str) -> str:
    return f"{application.case.number}-{kind}.pdf"
