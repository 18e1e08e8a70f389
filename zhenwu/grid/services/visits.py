"""Every write of 走访: a grid worker records a visit to a household, an enterprise or a place.

Photos are stored as content-addressed attachments (``attachment_store``: sniffed type, size and pixel
limits, EXIF time and GPS kept, the uploader's daily quota) and named on the visit by their SHA-256.
A phone's retry under the same Idempotency-Key is answered by the API through ``casework.idempotency``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.casework.services import attachment_store
from zhenwu.errors import FieldError, Forbidden
from zhenwu.errors import gettext as _
from zhenwu.grid import policy_disputes as policy
from zhenwu.grid.choices_disputes import VisitTarget
from zhenwu.grid.models import Visit
from zhenwu.grid.services.incidents import check_photos
from zhenwu.registry.models import Enterprise, Household, Place

TARGET_MODELS: dict[str, type[models.Model]] = {VisitTarget.HOUSEHOLD: Household,
                                                VisitTarget.ENTERPRISE: Enterprise, VisitTarget.PLACE: Place}
RECORD_MAX = 2000
CLOCK_SKEW = dt.timedelta(minutes=10)  # a phone's clock may run a little ahead


@dataclass(frozen=True)
class VisitInput:
    target_kind: str
    target_id: int
    record: str
    visited_at: dt.datetime | None = None
    lng: float | None = None
    lat: float | None = None


def _target(actor: User, kind: str, target_id: int) -> Any:
    model = TARGET_MODELS.get(kind)
    if model is None:
        raise FieldError("target_kind", _("Choose one of: %(values)s.") % {"values": ", ".join(VisitTarget.values)})
    found = restrict(model.objects.select_related("grid"), actor).filter(pk=target_id).first()  # type: ignore[attr-defined]
    if found is None:
        raise FieldError("target_id", _("No such household, enterprise or place in your scope."))
    return found


def _point(lng: float | None, lat: float | None) -> tuple[float | None, float | None]:
    if lng is None and lat is None:
        return None, None
    if lng is None or lat is None:
        raise FieldError("lng" if lng is None else "lat", _("Give both longitude and latitude, or neither."))
    if not (math.isfinite(lng) and -180 <= lng <= 180):
        raise FieldError("lng", _("A longitude is between -180 and 180."))
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise FieldError("lat", _("A latitude is between -90 and 90."))
    return lng, lat


def _when(visited_at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if visited_at is None:
        return now
    if timezone.is_naive(visited_at):
        visited_at = timezone.make_aware(visited_at)
    if visited_at > now + CLOCK_SKEW:
        raise FieldError("visited_at", _("The visit time is in the future."))
    return visited_at


def _photos(actor: User, photos: Sequence[bytes]) -> list[str]:
    """Photos checked as the incidents' are (images only, size, count: 400 ``photos``), then stored."""
    hashes = []
    for _name, data in check_photos([("", data) for data in photos]):
        try:
            hashes.append(attachment_store(actor=actor, data=data).sha256)
        except FieldError as exc:  # the store names its input "file"; here it is one of the photos
            raise FieldError("photos", exc.errors[0][1], status=exc.status, code=exc.code) from exc
    return list(dict.fromkeys(hashes))


@transaction.atomic
def visit_record(*, actor: User, data: VisitInput, photos: Sequence[bytes] = (),
                 now: dt.datetime | None = None) -> Visit:
    """Record a visit (入户走访) by a grid worker, grid leader or village staff to a target in their scope."""
    if not policy.may_visit_somewhere(actor):
        raise Forbidden(_("Only grid staff record visits."))
    return _create(actor, data, photos, now or timezone.now())


def _create(actor: User, data: VisitInput, photos: Sequence[bytes], now: dt.datetime) -> Visit:
    target = _target(actor, data.target_kind, data.target_id)
    if not policy.may_visit(actor, area_code=target.area_code):
        raise Forbidden(_("Only grid staff record visits."))
    record = str(data.record or "").strip()
    if not record:
        raise FieldError("record", _("This field is required."))
    if len(record) > RECORD_MAX:
        raise FieldError("record", _("At most %(n)d characters.") % {"n": RECORD_MAX})
    lng, lat = _point(data.lng, data.lat)
    visit = Visit(worker=actor, target_kind=data.target_kind, grid=target.grid, area_code=target.area_code,
                  record=record, lng=lng, lat=lat, visited_at=_when(data.visited_at, now))
    setattr(visit, data.target_kind, target)
    visit.photos = _photos(actor, photos)
    visit.save(force_insert=True)
    return visit
