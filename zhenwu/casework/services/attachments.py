"""Attachments: content-addressed (SHA-256) files with sniffed types, EXIF time/GPS and thumbnails."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from zhenwu.accounts.models import User
from zhenwu.casework.models import Attachment, Case, CaseAttachment
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


def _image_facts(data: bytes) -> tuple[Image.Image, dict[str, Any]]:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise FieldError("file", _("The image cannot be read.")) from exc
    exif = image.getexif()
    gps = exif.get_ifd(GPS_IFD)
    facts = {"width": image.width, "height": image.height, "taken_at": _exif_time(exif),
             "gps_lat": _dms(gps.get(2), gps.get(1)) if gps else None,
             "gps_lng": _dms(gps.get(4), gps.get(3)) if gps else None}
    return image, facts


def _thumbnail(image: Image.Image, sha: str) -> str:
    px = settings.ATTACHMENT_THUMBNAIL_PX
    thumb = image.copy()
    thumb.thumbnail((px, px))
    if thumb.mode not in ("RGB", "L"):
        thumb = thumb.convert("RGB")
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


def attachment_store(*, data: bytes) -> Attachment:
    """Store the bytes once under their SHA-256 (or return the existing row)."""
    kind = _validate(data)
    sha = hashlib.sha256(data).hexdigest()
    existing = Attachment.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing
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


@transaction.atomic
def attachment_add(*, actor: User, case: Case, data: bytes, name: str,
                   request_id: str = "") -> CaseAttachment:
    """File an uploaded file on a case (the case is already scoped by the caller's selector)."""
    attachment = attachment_store(data=data)
    link, _created = CaseAttachment.objects.get_or_create(
        case=case, attachment=attachment,
        defaults={"name": (name or attachment.sha256)[:200], "uploaded_by": actor})
    audit_record(subject=case.number, case=case, actor=actor, action="attachment_add",
                 attachments=[attachment.sha256], request_id=request_id, data={"name": link.name})
    return link
