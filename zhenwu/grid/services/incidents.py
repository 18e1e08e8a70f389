"""Incident intake: ``incident_report`` (validate, locate, store the photos, file the case) and
``incident_duplicates`` (open incidents of the same category nearby). The steps of the loop are in
``steps.py``; escalation up the area tree in ``escalation.py``."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.areas.choices import GRID_LEVELS
from zhenwu.areas.coords import to_wgs84
from zhenwu.areas.index import locate
from zhenwu.areas.models import Area
from zhenwu.casework import deadlines
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Case, CaseAttachment
from zhenwu.casework.process import DeadlineSpec
from zhenwu.casework.services import attachment_store, audit_record, case_opening
from zhenwu.casework.services.attachments import sniff_type
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.grid.choices import Source
from zhenwu.grid.models import Category, Incident
from zhenwu.grid.process import INCIDENT_PROCESS, KIND, OPEN_STATES
from zhenwu.querycache import Compiled, hot_cursor, insert, model_sql

Photo = tuple[str, bytes]
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_DESCRIPTION = 2000
MAX_ADDRESS = 200
CLOCK_SKEW = dt.timedelta(minutes=10)  # a phone's clock may run a little ahead
METRES_PER_DEGREE = 111_320.0
_MOBILE = re.compile(r"1\d{10}")


# Compiled once per process (zhenwu.querycache): every report reads it (``code`` is unique: no ORDER BY).
_REPORTABLE = Compiled(lambda code: Category.objects.select_related("current_version", "parent")
                       .filter(code=code, parent__isnull=False, active=True, current_version__isnull=False)[:1])


def category_for_report(code: str | Category) -> Category:
    """The active minor category ``code`` with a current version (400 ``category`` otherwise). A category
    already read by this function may be passed as it is (read once per request)."""
    if isinstance(code, Category):
        return code
    found = _REPORTABLE.first(str(code or "").strip())
    if found is None:
        raise FieldError("category", _("No such category: choose one of the minor categories."))
    return found


def _check_text(description: str, address: str, source: str) -> tuple[str, str]:
    errors: list[tuple[str | None, object]] = []
    text = str(description or "").strip()
    if not text or len(text) > MAX_DESCRIPTION:
        errors.append(("description", _("Describe the incident (at most %(n)d characters).") % {"n": MAX_DESCRIPTION}))
    place = str(address or "").strip()
    if len(place) > MAX_ADDRESS:
        errors.append(("address", _("The address is at most %(n)d characters.") % {"n": MAX_ADDRESS}))
    if source not in Source.values:
        errors.append(("source", _("Unknown source; use one of: %(choices)s.") % {"choices": ", ".join(Source.values)}))
    if errors:
        raise FieldError(None, errors=errors)
    return text, place


def check_photos(photos: Sequence[Photo], *, field: str = "photos") -> list[Photo]:
    """Every photo an image (JPEG, PNG, WebP, by its bytes) within ``GRID_PHOTO_MAX_BYTES``; at most
    ``GRID_MAX_PHOTOS``. Checked before anything is written."""
    photos = list(photos or ())
    if len(photos) > settings.GRID_MAX_PHOTOS:
        raise FieldError(field, _("At most %(n)d photos.") % {"n": settings.GRID_MAX_PHOTOS})
    errors: list[tuple[str | None, object]] = []
    for i, (_name, data) in enumerate(photos, start=1):
        if not data:
            errors.append((field, _("Photo %(n)d is empty.") % {"n": i}))
        elif len(data) > settings.GRID_PHOTO_MAX_BYTES:
            errors.append((field, _("Photo %(n)d is larger than %(mb)d MB.")
                           % {"n": i, "mb": settings.GRID_PHOTO_MAX_BYTES // (1024 * 1024)}))
        elif sniff_type(data) not in IMAGE_TYPES:
            errors.append((field, _("File %(n)d is not a photo: send a JPEG, PNG or WebP image.") % {"n": i}))
    if errors:
        raise FieldError(None, errors=errors)
    return photos


def photos_store(*, actor: User | None, case: Case, photos: Sequence[Photo], field: str = "photos",
                 request_id: str = "") -> list[str]:
    """Store checked photos as the case's attachments (content-addressed, EXIF time and GPS kept); their
    SHA-256 in order. A photo the image reader refuses is a 400 on ``field``."""
    hashes = photos_attach(actor=actor, case=case, photos=photos, field=field)
    photos_record(actor=actor, case=case, hashes=hashes, field=field, request_id=request_id)
    return hashes


def photos_attach(*, actor: User | None, case: Case, photos: Sequence[Photo], field: str = "photos") -> list[str]:
    """``photos_store`` without its audit entry (which names the case's number: ``photos_record``)."""
    hashes: list[str] = []
    for name, data in photos:
        try:
            attachment = attachment_store(actor=actor, data=data)
        except FieldError as exc:
            raise FieldError(field, exc.errors[0][1], status=exc.status, code=exc.code) from exc
        CaseAttachment.objects.get_or_create(case=case, attachment=attachment,
                                             defaults={"name": (name or attachment.sha256)[:200],
                                                       "uploaded_by": actor})
        hashes.append(attachment.sha256)
    return list(dict.fromkeys(hashes))


def photos_record(*, actor: User | None, case: Case, hashes: list[str], field: str = "photos",
                  request_id: str = "") -> None:
    """The case's audit entry for photos just attached (none when there are none)."""
    if hashes:
        audit_record(subject=case.number, case=case, actor=actor, action="attachment_add", attachments=hashes,
                     request_id=request_id, data={"field": field})


QUEUE_COLUMNS = ("status", "is_open", "due_at", "yellow_at")


def queue_columns(incident: Incident, case: Case) -> list[str]:
    """Copy the case's state and running clock onto the incident (the queue's tabs and lights count them
    without the case); returns the names of the columns that changed, for ``save(update_fields=…)``."""
    live = case.deadline_due_at is not None and case.deadline_stopped_at is None
    due = case.deadline_due_at if live else None
    values = {"status": case.status, "is_open": case.status in OPEN_STATES, "due_at": due,
              "yellow_at": deadlines.yellow_from(case.deadline_unit, case.deadline_limit, due) if due else None}
    changed = [name for name, value in values.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, values[name])
    return changed


def coordinate_parse(raw: str, field: str) -> float | None:
    """A longitude or latitude as typed into a form (None when empty); a 400 on ``field`` unless a finite number."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise FieldError(field, _("Enter a number."))
    return value


def _grid_of(actor: User | None, *, lng: float | None, lat: float | None, crs: str,
             grid_code: str | None) -> tuple[str, float | None, float | None]:
    """(grid area code, WGS84 lng, lat): the grid picked, else the deepest regular grid at the point."""
    x = y = None
    if lng is not None or lat is not None:
        if lng is None or lat is None:
            raise FieldError("lng" if lng is None else "lat", _("Give both longitude and latitude."))
        x, y = to_wgs84(float(lng), float(lat), crs)
    if grid_code:
        grid = Area.objects.filter(code=str(grid_code).strip(), level__in=GRID_LEVELS).values_list("code", flat=True)
        code = grid.first()
        if code is None:
            raise FieldError("grid_code", _("No such grid."))
    elif x is not None and y is not None:
        code = locate(x, y).grid_code
        if code is None:
            raise FieldError("lng", _("This point lies outside every grid of the town; check it or choose the "
                                      "grid on the map."))
    else:
        raise FieldError("lng", _("Give the point (longitude and latitude) or choose the grid."))
    if actor is not None and scope_prefix(actor) is not None and not in_scope(actor, code):
        raise FieldError("grid_code" if grid_code else "lng", _("This place lies outside your scope."))
    return code, x, y


def _reported_at(value: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    if value is None:
        return now
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > now + CLOCK_SKEW:
        raise FieldError("reported_at", _("The report time lies in the future."))
    if value < now - dt.timedelta(days=30):
        raise FieldError("reported_at", _("The report time is more than 30 days ago."))
    return value


def _reporter(actor: User | None, name: str, mobile: str) -> tuple[str, str]:
    name = str(name or "").strip()[:100] or (str(actor)[:100] if actor else "")
    mobile = str(mobile or "").strip() or str(getattr(actor, "mobile", "") or "")
    if mobile and not _MOBILE.fullmatch(mobile):
        raise FieldError("reporter_mobile", _("Enter an 11-digit mobile number."))
    return name, mobile


def incident_report(*, actor: User | None, category: str, lng: float | None, lat: float | None,
                    crs: str = "wgs84", grid_code: str | None = None, address: str = "", description: str,
                    source: str, photos: Sequence[Photo] = (), reporter_name: str = "",
                    reporter_mobile: str = "", reported_at: dt.datetime | None = None,
                    merge_into: str | None = None, now: dt.datetime | None = None,
                    request_id: str = "") -> Incident:
    """File an incident: every input checked first (400 on its field, nothing written), the point located
    to its grid (or the grid picked), the photos stored on the case, the case filed (待立案, the dispatch
    limit running). ``actor`` None: an anonymous citizen or Open311 (the system files it).
    ``merge_into``: the reporter saw the incident already reported and merges theirs into it at once."""
    now = now or timezone.now()
    if actor is not None and actor.kind != "staff":
        source = Source.CITIZEN  # a citizen's or enterprise's own account reports as the public
    text, place = _check_text(description, address, source)
    cat = category_for_report(category)
    code, x, y = _grid_of(actor, lng=lng, lat=lat, crs=crs, grid_code=grid_code)
    checked = check_photos(photos)
    when = _reported_at(reported_at, now)
    name, mobile = _reporter(actor, reporter_name, reporter_mobile)
    version = cat.current_version
    assert version is not None  # category_for_report: only categories with a current version
    with transaction.atomic():
        # The incident is written before the case takes its number (case_opening): the town's day counter,
        # on which every filing queues, stays locked only for what names the number (the photos' entry).
        with case_opening(kind=KIND, process=INCIDENT_PROCESS, area_code=code,
                          title=f"{version.name} {place}".strip(), actor=actor, request_id=request_id,
                          deadline=DeadlineSpec(DeadlineUnit.HOURS, settings.GRID_DISPATCH_LIMIT_HOURS)) as case:
            hashes = photos_attach(actor=actor, case=case, photos=checked)
            incident = Incident(
                case=case, area_code=case.area_code, category=cat, category_version=version, source=source, lng=x,
                lat=y, crs_in=crs if x is not None else "", address=place, description=text,
                priority=version.priority, reporter=actor, reporter_name=name, reporter_mobile=mobile,
                photos=hashes, reported_at=when)
            queue_columns(incident, case)
            insert(incident)  # its INSERT written once (zhenwu.querycache), as save(force_insert=True)
        photos_record(actor=actor, case=case, hashes=hashes, request_id=request_id)
        if merge_into:
            from zhenwu.grid.services.steps import incident_merge

            incident_merge(actor=actor, incident=incident, into=merge_into, request_id=request_id)
    return incident


def _box(lat: float, metres: float) -> tuple[float, float]:
    dlat = metres / METRES_PER_DEGREE
    dlng = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return dlng, dlat


def distance_metres(lng0: float, lat0: float, lng1: float, lat1: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p0, p1 = math.radians(lat0), math.radians(lat1)
    dp, dl = p1 - p0, math.radians(lng1 - lng0)
    h = math.sin(dp / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h)))


_NEARBY_SQL: dict[str, str] = {}
_NEARBY_LIMIT = 200  # the newest candidates looked at, as the queryset's slice below


def _nearby_points(cat: Category, x: float, y: float, dlng: float, dlat: float,
                   since: dt.datetime) -> list[tuple[int, float, float]]:
    """(id, lng, lat) of the open incidents of ``cat`` in the box reported since ``since``, the newest: the
    duplicate check's own conditions, on its partial index, as SQL written once and prepared."""
    sql = model_sql(_NEARBY_SQL, Incident, lambda c, table: (
        f"SELECT {c('id')}, {c('lng')}, {c('lat')} FROM {table} "
        f"WHERE {c('category')} = %s AND {c('is_open')} AND {c('lat')} BETWEEN %s AND %s "
        f"AND {c('lng')} BETWEEN %s AND %s AND {c('created_at')} >= %s "
        f"ORDER BY {c('created_at')} DESC LIMIT {_NEARBY_LIMIT}"))
    when = Incident._meta.get_field("created_at").get_db_prep_value(since, connection)
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [cat.pk, y - dlat, y + dlat, x - dlng, x + dlng, when])
        rows = cursor.fetchall()
    return [(int(pk), float(px), float(py)) for pk, px, py in rows if px is not None and py is not None]


def incident_duplicates(*, category: str | Category, lng: float, lat: float, crs: str = "wgs84",
                        now: dt.datetime | None = None, exclude: Iterable[int] = (),
                        within: QuerySet[Incident] | Callable[[], QuerySet[Incident]] | None = None
                        ) -> list[Incident]:
    """Open incidents of the same category within ``GRID_DUPLICATE_METERS`` reported in the last
    ``GRID_DUPLICATE_DAYS`` days, nearest first (a bounding box on the index, then the exact distance).
    ``within``: only among these (a reader's ``selectors.incident_scope``), in the same query; given as a
    function, it is called only when a candidate is near (building a scoped queryset costs more than the
    usual answer, none)."""
    now = now or timezone.now()
    x, y = to_wgs84(float(lng), float(lat), crs)
    cat = category_for_report(category)
    metres = float(settings.GRID_DUPLICATE_METERS)
    dlng, dlat = _box(y, metres)
    since = now - dt.timedelta(days=settings.GRID_DUPLICATE_DAYS)
    # Every report asks, and the usual answer is none: first the bare points of the box, by one prepared
    # statement; the queryset (scope, related rows) is built only when one of them is near enough. Narrowing
    # by ``within`` or ``exclude`` can only take points away.
    points = _nearby_points(cat, x, y, dlng, dlat, since)
    skip = set(exclude)
    ids = [pk for pk, px, py in points if pk not in skip and distance_metres(x, y, px, py) <= metres]
    if not ids:
        return []
    if callable(within):
        within = within()
    base = Incident.objects.all() if within is None else within.select_related(None)
    if len(points) < _NEARBY_LIMIT:  # every candidate was seen; at the limit the query below looks again
        base = base.filter(pk__in=ids)
    rows = (base.select_related("case", "category_version")
            .filter(category=cat, is_open=True, lat__range=(y - dlat, y + dlat), lng__range=(x - dlng, x + dlng),
                    created_at__gte=since)
            .exclude(pk__in=list(exclude)).order_by("-created_at")[:_NEARBY_LIMIT])
    near = [(distance_metres(x, y, r.lng, r.lat), r) for r in rows if r.lng is not None and r.lat is not None]
    return [r for d, r in sorted(near, key=lambda t: t[0]) if d <= metres]


def incident_urge_recipient(case: Case) -> User | None:
    """Who receives 催办 of an incident: its holder, else a staff member of the holding department, else
    (not yet dispatched, or back in the queue) a dispatcher of the incident's town."""
    if case.handler_id is not None:
        return case.handler
    if case.handler_unit_id is not None:
        return User.objects.filter(department_id=case.handler_unit_id, is_active=True).order_by("pk").first()
    return (User.objects.filter(is_active=True, scope_area__code=case.town_code,
                                role_assignments__role=Role.DISPATCHER).order_by("pk").first())
