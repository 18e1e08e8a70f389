"""好差评 from the applicant only, through four channels — staff never choose a level:

- the portal (signed-in citizen or enterprise, channel 网上);
- a signed link sent by SMS at 出件 (HMAC-signed, expiring, no login; used once, as every case is
  rated once — channel 短信);
- the tracking page, after the 查询码 and a one-time code sent to the applicant's mobile (channel 查询页);
- the window's rating pad: the clerk opens a paired tablet for a handed-out case, the applicant taps the
  level there (channel 窗口评价器).

不满意 and 非常不满意 open a rectification task.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from zhenwu.accounts.masking import SECRET_MARK
from zhenwu.accounts.models import User
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.services import policy
from zhenwu.services.choices import RatingChannel, RatingLevel, Status
from zhenwu.services.models import Application, Rating, RatingCode, RatingPad, RectificationTask
from zhenwu.services.services.common import check_owner, is_applicant_account, note, sms
from zhenwu.services.services.feedback import rectification_open
from zhenwu.services.stats import stats_rated

RATEABLE = (Status.FINISHED, Status.DENIED, Status.DELIVERED)
BAD_LEVELS = (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)
LINK_SALT = "zhenwu.services.rating-link"
RATE_PATH = "/public/rate/"
PAD_PATH = "/public/pad/"


def _level(level: object) -> int:
    try:
        value = int(str(level))
    except ValueError:
        value = 0
    if value not in RatingLevel.values:
        raise FieldError("level", _("Choose one of the five rating levels."))
    return value


def _rectification_open(rating: Rating) -> RectificationTask:
    return rectification_open(rating)  # the task and its case (kind ZG)


def rateable(app: Application) -> bool:
    """Finished, denied or handed out, and not rated yet."""
    return app.case.status in RATEABLE and not Rating.objects.filter(application=app).exists()


def _rate(*, app: Application, level: object, comment: str, channel: str, rated_by: User | None,
          request_id: str = "") -> Rating:
    """The one way a rating is written: once per application (409), only after 办结 (400)."""
    value = _level(level)
    app.case.refresh_from_db(fields=["status"])
    if app.case.status not in RATEABLE:
        raise FieldError("level", _("An application can be rated once it is finished."))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(application=app, level=value, comment=(comment or "").strip()[:2000],
                                           channel=channel, rated_by=rated_by)
    except IntegrityError:
        raise Conflict(_("This application has been rated already."), field="level") from None
    note(actor=rated_by, app=app, action="rate", request_id=request_id, data={"level": value, "channel": channel})
    stats_rated(app, value)
    if value in BAD_LEVELS:
        _rectification_open(rating)
    return rating


@transaction.atomic
def application_rate(*, actor: User, application: Application, level: int, comment: str = "",
                     request_id: str = "") -> Rating:
    """好差评 in the portal by the applicant's own account (others: 404; staff may not rate: 403)."""
    if not is_applicant_account(actor):
        raise Forbidden(_("Ratings come from the applicant; staff cannot enter them."))
    check_owner(actor, application)
    return _rate(app=application, level=level, comment=comment, channel=RatingChannel.ONLINE, rated_by=actor,
                 request_id=request_id)


# ---------------------------------------------------------------- the signed SMS link

def rating_link_token(app: Application) -> str:
    """A signed, timestamped token naming the application (valid ``SERVICES_RATING_LINK_DAYS``)."""
    return signing.dumps({"a": app.pk, "n": app.case.number}, salt=LINK_SALT, compress=True)


def rating_link_url(app: Application, base_url: str = "") -> str:
    return f"{(base_url or settings.SITE_URL).rstrip('/')}{RATE_PATH}{rating_link_token(app)}/"


def rating_link_sms(app: Application, base_url: str = "") -> None:
    """At 出件: ask the applicant to rate by the link (sent once the delivery commits)."""
    sms(app, _("Application %(number)s has been handed out. Please rate our service: %(url)s")
        % {"number": app.case.number, "url": SECRET_MARK}, secret=rating_link_url(app, base_url))


def rating_link_application(token: str) -> Application:
    """The application a link names; 404 for a forged or mangled link, 400 for an expired one."""
    max_age = dt.timedelta(days=settings.SERVICES_RATING_LINK_DAYS)
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise FieldError("token", _("This rating link has expired.")) from None
    except signing.BadSignature:
        raise NotFound(_("This rating link is not valid."), field="token") from None
    app = Application.objects.select_related("case", "item_version").filter(pk=data.get("a")).first()
    if app is None or app.case.number != data.get("n"):
        raise NotFound(_("This rating link is not valid."), field="token")
    return app


@transaction.atomic
def rating_by_link(*, token: str, level: int, comment: str = "") -> Rating:
    """好差评 from the SMS link, no login; the link is dead once the case is rated."""
    app = rating_link_application(token)
    return _rate(app=app, level=level, comment=comment, channel=RatingChannel.SMS, rated_by=None)


# ---------------------------------------------------------------- the tracking page's SMS code

def _code_hash(app: Application, code: str) -> str:
    return salted_hmac("zhenwu.services.rating-code", f"{app.pk}:{code.strip()}").hexdigest()


@transaction.atomic
def rating_code_send(*, application: Application) -> RatingCode:
    """Send a 6-digit code to the applicant's mobile to rate from the tracking page (one a minute)."""
    app, now = application, timezone.now()
    if not rateable(app) or not app.applicant_mobile:
        raise FieldError("level", _("An application can be rated once it is finished."))
    last = RatingCode.objects.filter(application=app).order_by("-created_at").first()
    if last is not None and now - last.created_at < dt.timedelta(seconds=60):
        raise FieldError("code", _("A code was sent a moment ago; wait a minute before asking again."), status=429)
    RatingCode.objects.filter(application=app, used_at__isnull=True).update(used_at=now)
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.SERVICES_RATING_CODE_MINUTES
    row = RatingCode.objects.create(application=app, code_hash=_code_hash(app, code), created_at=now,
                                    expires_at=now + dt.timedelta(minutes=minutes))
    sms(app, _("Code %(code)s to rate application %(number)s, valid for %(n)d minutes.")
        % {"code": SECRET_MARK, "number": app.case.number, "n": minutes}, secret=code,
        secret_ttl_seconds=minutes * 60)
    return row


def _code_check(app: Application, code: str) -> FieldError | None:
    """Count the try, then compare; the error (or None) is returned, not raised, so that the count commits."""
    now = timezone.now()
    row = RatingCode.objects.filter(application=app, used_at__isnull=True).order_by("-created_at").first()
    if row is None or row.expires_at <= now:
        return FieldError("code", _("The code has expired or was already used; ask for a new one."))
    # Count the try before comparing, in one UPDATE: parallel guesses cannot exceed the limit.
    counted = RatingCode.objects.filter(pk=row.pk, attempts__lt=settings.SERVICES_RATING_CODE_MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1)
    if not counted:
        return FieldError("code", _("Too many wrong codes; ask for a new one."), status=429)
    if not constant_time_compare(row.code_hash, _code_hash(app, code)):
        return FieldError("code", _("Wrong code."))
    if not RatingCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
        return FieldError("code", _("The code has expired or was already used; ask for a new one."))
    return None


def rating_by_code(*, application: Application, code: str, level: int, comment: str = "") -> Rating:
    """好差评 from the tracking page with the code sent to the applicant's mobile. The code check commits
    on its own (a wrong try counts even though nothing is rated)."""
    _level(level)
    with transaction.atomic():
        error = _code_check(application, code)
    if error is not None:
        raise error
    with transaction.atomic():
        return _rate(app=application, level=level, comment=comment, channel=RatingChannel.TRACKING, rated_by=None)


# ---------------------------------------------------------------- the window's rating pad

def _pad_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _clerk(actor: User) -> None:
    if is_applicant_account(actor) or not actor.has_role(*policy.ACTION_ROLES["open_pad"]):
        raise Forbidden(_("Your roles do not allow this action."))


@transaction.atomic
def rating_pad_pair(*, actor: User) -> tuple[RatingPad, str]:
    """Pair (or re-pair) the clerk's rating pad: a new secret address; the old one stops working."""
    _clerk(actor)
    token = secrets.token_urlsafe(24)
    pad, _created = RatingPad.objects.update_or_create(
        clerk=actor, defaults={"token_hash": _pad_hash(token), "application": None, "opened_at": None,
                               "paired_at": timezone.now()})
    return pad, token


@transaction.atomic
def rating_pad_open(*, actor: User, application: Application, request_id: str = "") -> RatingPad:
    """Show a handed-out case on the clerk's pad so the applicant can tap a level."""
    _clerk(actor)
    from zhenwu.casework.services.cases import _check_scope

    _check_scope(actor, application.case.area_code)
    pad = RatingPad.objects.select_for_update().filter(clerk=actor).first()
    if pad is None:
        raise FieldError("pad", _("Pair a rating pad first (Service hall → Rating pad)."))
    if not rateable(application):
        raise FieldError("action", _("This action is not possible in the case's current state."))
    pad.application, pad.opened_at = application, timezone.now()
    pad.save(update_fields=["application", "opened_at"])
    note(actor=actor, app=application, action="rating_pad_open", request_id=request_id)
    return pad


def rating_pad_get(token: str) -> RatingPad:
    pad = RatingPad.objects.select_related("clerk").filter(token_hash=_pad_hash(token or "")).first()
    if pad is None:
        raise NotFound(_("This rating pad is not paired."), field="token")
    return pad


def rating_pad_case(pad: RatingPad) -> Application | None:
    """The case open on the pad now: opened within ``SERVICES_RATING_PAD_MINUTES`` and not rated yet."""
    if pad.application_id is None or pad.opened_at is None:
        return None
    if timezone.now() - pad.opened_at > dt.timedelta(minutes=settings.SERVICES_RATING_PAD_MINUTES):
        return None
    app = Application.objects.select_related("case", "item_version").get(pk=pad.application_id)
    return app if rateable(app) else None


@transaction.atomic
def rating_pad_rate(*, token: str, number: str, level: int, comment: str = "") -> Rating:
    """The applicant's tap on the pad: rates the case open on it (409 when it was closed meanwhile)."""
    pad = RatingPad.objects.select_for_update().filter(pk=rating_pad_get(token).pk).get()
    app = rating_pad_case(pad)
    if app is None or app.case.number != number:
        raise Conflict(_("This case is no longer open on the rating pad."), field="number")
    rating = _rate(app=app, level=level, comment=comment, channel=RatingChannel.WINDOW, rated_by=None)
    pad.application, pad.opened_at = None, None
    pad.save(update_fields=["application", "opened_at"])
    return rating
