"""Attachments: content-addressed (SHA-256) files with sniffed types, EXIF time/GPS and thumbnails.

Every upload is recorded per uploader (``AttachmentUpload``) and counted against the uploader's daily
quota (``THROTTLE_RATES["upload_bytes_*"]``); an image's size is read from its header and checked
against ``ATTACHMENT_MAX_PIXELS`` before a single pixel is decoded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.throttle import rate_for, throttle_hit
from zhenwu.casework.models import Attachment, AttachmentUpload, Case, CaseAttachment
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)
_IMAGES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
TAG_DATETIME_ORIGINAL, TAG_DATETIME = 36867, 306


def sniff_type(data: bytes) -> str:
    """The real type from the leading bytes, whatever the client claimed."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            return kind
    return "application/octet-stream"


def _dms(value: Any, ref: Any) -> float | None:
    try:
        deg, minutes, seconds = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    sign = -1 if str(ref).upper() in {"S", "W"} else 1
    return sign * (deg + minutes / 60 + seconds / 3600)


def _exif_time(exif: Image.Exif) -> dt.datetime | None:
    raw = exif.get_ifd(EXIF_IFD).get(TAG_DATETIME_ORIGINAL) or exif.get(TAG_DATETIME)
    try:
        return timezone.make_aware(dt.datetime.strptime(str(raw).strip("\x00 "), "%Y:%m:%d %H:%M:%S"))
    except (TypeError, ValueError):
        return None


def _too_many_pixels() -> FieldError:
    return FieldError("file", _("The image is too large: at most %(mp)d megapixels.")
                      % {"mp": settings.ATTACHMENT_MAX_PIXELS // 1_000_000})


def _open_image(data: bytes) -> Image.Image:
    """The image with only its header read, refused when its canvas is too large to decode safely."""
    try:
        image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise FieldError("file", _("The image cannot be read.")) from exc
    if image.width * image.height > settings.ATTACHMENT_MAX_PIXELS:
        raise _too_many_pixels()
    return image


def _image_facts(data: bytes) -> tuple[Image.Image, dict[str, Any]]:
    image = _open_image(data)
    width, height = image.width, image.height
    px = settings.ATTACHMENT_THUMBNAIL_PX
    try:
        image.draft("RGB", (px, px))  # JPEG: decode at a reduced scale, enough for the thumbnail
        image.load()
        exif = image.getexif()
    except (OSError, ValueError, SyntaxError) as exc:
        raise FieldError("file", _("The image cannot be read.")) from exc
    gps = exif.get_ifd(GPS_IFD)
    facts = {"width": width, "height": height, "taken_at": _exif_time(exif),
             "gps_lat": _dms(gps.get(2), gps.get(1)) if gps else None,
             "gps_lng": _dms(gps.get(4), gps.get(3)) if gps else None}
    return image, facts


def _thumbnail(image: Image.Image, sha: str) -> str:
    px = settings.ATTACHMENT_THUMBNAIL_PX
    image.thumbnail((px, px))  # in place: no full-size copy is kept
    thumb = image if image.mode in ("RGB", "L") else image.convert("RGB")
    buffer = io.BytesIO()
    thumb.save(buffer, format="JPEG", quality=80)
    return default_storage.save(f"thumbs/{sha[:2]}/{sha}.jpg", ContentFile(buffer.getvalue()))


def _validate(data: bytes) -> str:
    if not data:
        raise FieldError("file", _("The file is empty."))
    if len(data) > settings.ATTACHMENT_MAX_BYTES:
        raise FieldError("file", _("The file is larger than %(max)d bytes.")
                         % {"max": settings.ATTACHMENT_MAX_BYTES})
    kind = sniff_type(data)
    if kind not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise FieldError("file", _("This type of file is not accepted."))
    return kind


def upload_quota_scope(user: User) -> str:
    """The throttle scope of the user's daily upload quota (staff have a larger one)."""
    return "upload_bytes_staff" if user.kind == UserKind.STAFF else "upload_bytes_public"


def _charge_quota(actor: User, size: int) -> None:
    scope = upload_quota_scope(actor)
    if not throttle_hit(scope=scope, key=f"user:{actor.pk}", cost=size):
        raise FieldError("file", _("You have used today's upload allowance (%(mb)d MB); try again tomorrow.")
                         % {"mb": rate_for(scope).limit // (1024 * 1024)}, status=429, code="upload_quota")


def _store_new(sha: str, kind: str, data: bytes) -> Attachment:
    facts: dict[str, Any] = {}
    thumb = ""
    if kind in _IMAGES:
        image, facts = _image_facts(data)
        thumb = _thumbnail(image, sha)
    name = default_storage.save(f"attachments/{sha[:2]}/{sha}", ContentFile(data))
    try:
        with transaction.atomic():
            return Attachment.objects.create(sha256=sha, size=len(data), content_type=kind,
                                             storage_name=name, thumbnail_name=thumb, **facts)
    except IntegrityError:
        return Attachment.objects.get(sha256=sha)


def attachment_store(*, actor: User | None, data: bytes) -> Attachment:
    """Store the bytes once under their SHA-256 (or find the stored row) and record ``actor`` as one of
    its uploaders. The bytes count against the actor's daily quota (429 ``file`` past it) unless the
    actor had uploaded the same file before. ``actor`` None: the system files it (an anonymous report a
    pillar accepted under its own limits): no uploader is recorded and no quota charged."""
    kind = _validate(data)
    sha = hashlib.sha256(data).hexdigest()
    attachment = Attachment.objects.filter(sha256=sha).first()
    if actor is None:
        return attachment or _store_new(sha, kind, data)
    if attachment is not None and AttachmentUpload.objects.filter(attachment=attachment, user=actor).exists():
        return attachment
    _charge_quota(actor, len(data))
    if attachment is None:
        attachment = _store_new(sha, kind, data)
    AttachmentUpload.objects.bulk_create([AttachmentUpload(attachment=attachment, user=actor)],
                                         ignore_conflicts=True)
    return attachment


def attachments_usable(*, actor: User, hashes: Iterable[str], case: Case | None = None) -> set[str]:
    """Of ``hashes``, the stored files ``actor`` may name: their own uploads, and files already filed on
    ``case``. Naming any other stored hash would hand someone else's file to this case's readers."""
    wanted = set(hashes)
    if not wanted:  # most filings name no file: nothing to look up
        return set()
    own = AttachmentUpload.objects.filter(user=actor, attachment__sha256__in=wanted)
    usable = set(own.values_list("attachment__sha256", flat=True))
    if case is not None:
        usable |= set(CaseAttachment.objects.filter(case=case, attachment__sha256__in=wanted)
                      .values_list("attachment__sha256", flat=True))
    return usable


@transaction.atomic
def attachment_add(*, actor: User, case: Case, data: bytes, name: str,
                   request_id: str = "") -> CaseAttachment:
    """File an uploaded file on a case (the case is already scoped by the caller's selector)."""
    attachment = attachment_store(actor=actor, data=data)
    link, _created = CaseAttachment.objects.get_or_create(
        case=case, attachment=attachment,
        defaults={"name": (name or attachment.sha256)[:200], "uploaded_by": actor})
    audit_record(subject=case.number, case=case, actor=actor, action="attachment_add",
                 attachments=[attachment.sha256], request_id=request_id, data={"name": link.name})
    return link
