"""办件查询 without login: the case number and its 查询码 (tracking code, from the acceptance notice or
SMS) show the status, the expected completion date, the result and the steps.

Guessing is limited per client IP and per case number by atomic counters shared by every web process
(``limits``): each attempt is counted before the code is checked, and a right code gives its count back.
The code is random (8 characters of 31), so locking a number out gains an attacker nothing, and the
per-IP limit keeps anyone from locking many numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhenwu.accounts.masking import mask_mobile
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services.choices import Status
from zhenwu.services.lights import live_light
from zhenwu.services.limits import limit_give_back, limit_key, limit_take
from zhenwu.services.models import Application, Rating
from zhenwu.services.selectors import application_timeline
from zhenwu.services.services.codes import code_matches
from zhenwu.services.services.ratings import RATEABLE


@dataclass(frozen=True)
class Tracking:
    number: str
    item: str
    status: str
    status_label: str
    light: str
    due_at: dt.datetime | None
    created_at: dt.datetime
    steps: list[dict[str, Any]]
    expected_on: dt.date | None = None
    promised_days: int = 0
    result: str = ""
    result_label: str = ""
    result_reason: str = ""
    decided_at: dt.datetime | None = None
    delivery_mode: str = ""
    delivery_label: str = ""
    express_number: str = ""
    delivered_at: dt.datetime | None = None
    rateable: bool = False
    rating_label: str = ""
    mobile: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _too_many() -> FieldError:
    return FieldError("code", _("Too many attempts; try again later."), status=429)


def tracking_find(*, number: str, code: str, ip: str) -> Application:
    """The application when ``code`` is its 查询码; NotFound otherwise (as for an unknown number); 429
    beyond ``SERVICES_TRACKING_IP_MAX_ATTEMPTS`` per IP or ``SERVICES_TRACKING_MAX_ATTEMPTS`` per number
    in ``SERVICES_TRACKING_WINDOW_SECONDS``."""
    number = (number or "").strip().upper()[:64]
    window = settings.SERVICES_TRACKING_WINDOW_SECONDS
    by_ip, by_number = limit_key("track-ip", ip or "-"), limit_key("track-number", number)
    if not limit_take(by_ip, limit=settings.SERVICES_TRACKING_IP_MAX_ATTEMPTS, window=window):
        raise _too_many()
    if not limit_take(by_number, limit=settings.SERVICES_TRACKING_MAX_ATTEMPTS, window=window):
        raise _too_many()
    app = Application.objects.select_related("case", "item_version").filter(case__number=number).first()
    if app is None or not code_matches(app, code):
        raise NotFound(_("No application matches this number and tracking code."), field="code")
    limit_give_back(by_ip)
    limit_give_back(by_number)
    return app


def _result(app: Application) -> dict[str, Any]:
    if not app.result:
        return {}
    return {"result": app.result, "result_label": app.get_result_display(), "decided_at": app.decided_at,
            "result_reason": app.result_reason if app.result == "denied" else ""}


def _delivery(app: Application) -> dict[str, Any]:
    if not app.delivery_mode:
        return {}
    return {"delivery_mode": app.delivery_mode, "delivery_label": app.get_delivery_mode_display(),
            "express_number": app.tracking_number, "delivered_at": app.delivered_at}


def _expected(app: Application) -> dt.date | None:
    """When the applicant can expect it: the decision day, else the live due day."""
    if app.decided_at:
        return timezone.localdate(app.decided_at)
    if app.case.deadline_due_at and app.case.status not in (Status.REJECTED, Status.WITHDRAWN):
        return timezone.localdate(app.case.deadline_due_at)
    return None


def tracking_view(app: Application) -> Tracking:
    """What the tracking page shows of one application."""
    case = app.case
    proc = process_get(case.process)
    steps = [{"state": e.to_state, "label": proc.state_label(e.to_state), "at": e.created_at}
             for e in application_timeline(application=app).exclude(to_state="")]
    rating = Rating.objects.filter(application=app).first()
    return Tracking(number=case.number, item=app.item_version.name, status=case.status,
                    status_label=proc.state_label(case.status), light=live_light(case),
                    due_at=case.deadline_due_at, created_at=case.created_at, steps=steps,
                    expected_on=_expected(app), promised_days=app.item_version.promised_limit_days,
                    rateable=case.status in RATEABLE and rating is None,
                    rating_label=rating.get_level_display() if rating else "",
                    mobile=mask_mobile(app.applicant_mobile), **_result(app), **_delivery(app))


def tracking_get(*, number: str, code: str, ip: str) -> Tracking:
    return tracking_view(tracking_find(number=number, code=code, ip=ip))
