"""``Idempotency-Key``: the first use of a key runs the work and stores its answer in the same
transaction; a replay with the same request gets the stored answer, a replay with another request
answers 409 on ``Idempotency-Key``.

Atomic under concurrency: the record is inserted before the work runs, in the work's transaction. Two
first uses of one key race on the unique (owner, key) index: the second INSERT waits for the first
transaction (PostgreSQL holds it on the index entry; SQLite has one writer at a time) and then finds
the row committed, with the answer to replay. Work that fails (a 4xx raised as ``FieldError``) rolls
its record back with it, so the client may correct the request and send it again under the same key.

Keys are per owner (an account, or an API client that names itself), so one user cannot read another's
answer by guessing a key. Records are kept ``IDEMPOTENCY_KEEP_DAYS`` (the tick purges older ones).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from zhenwu.casework.models import IdempotencyRecord
from zhenwu.errors import Conflict, FieldError
from zhenwu.errors import gettext as _

HEADER = "Idempotency-Key"
MAX_KEY = 100
Answer = tuple[int, Any]


def idempotency_key(request: HttpRequest, *, required: bool = False) -> str | None:
    """The request's key (1–100 printable ASCII characters), None when absent and not required."""
    raw = request.headers.get(HEADER)
    if raw is None or raw == "":
        if required:
            raise FieldError(HEADER, _("Send an Idempotency-Key header (1–100 printable characters)."))
        return None
    if len(raw) > MAX_KEY or not all(" " < ch <= "~" for ch in raw):
        raise FieldError(HEADER, _("An Idempotency-Key is 1–100 printable characters without spaces."))
    return raw


def request_owner(request: HttpRequest) -> str:
    """Whose keys these are: the authenticated account (keys of the anonymous are not kept)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return ""


def body_digest(fields: Mapping[str, Any], files: Iterable[tuple[str, bytes]] = ()) -> str:
    """A SHA-256 over the request's fields (order-free) and its files' contents (in order)."""
    h = hashlib.sha256()
    h.update(json.dumps({k: fields[k] for k in sorted(fields)}, sort_keys=True, ensure_ascii=False,
                        cls=DjangoJSONEncoder).encode())
    for name, data in files:
        h.update(b"\0file\0" + name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def _jsonable(payload: Any) -> Any:
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


def _replay(owner: str, key: str, digest: str) -> Answer:
    record = IdempotencyRecord.objects.get(owner=owner, key=key)
    if record.digest != digest:
        raise Conflict(_("This Idempotency-Key was used before with a different request; use a new key."),
                       field=HEADER)
    return record.status, record.response


def idempotent_run(*, owner: str, key: str | None, digest: str, call: Callable[[], Answer]) -> Answer:
    """Run ``call`` once per (owner, key): see the module. Without a key or an owner, just run it."""
    if not key or not owner:
        return call()
    found = IdempotencyRecord.objects.filter(owner=owner, key=key).first()
    if found is not None:
        return _replay(owner, key, digest)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(owner=owner, key=key, digest=digest, status=0)
            status, payload = call()
            record.status, record.response = status, _jsonable(payload)
            record.save(update_fields=["status", "response"])
            return status, record.response
    except IntegrityError:
        # Another first use of the key committed while we waited on the index: replay its answer (or,
        # if the IntegrityError came from the work itself, the key is free and the error stands).
        if not IdempotencyRecord.objects.filter(owner=owner, key=key).exists():
            raise
        return _replay(owner, key, digest)


def idempotent(request: HttpRequest, body: str, call: Callable[[], Answer], *, required: bool = False,
               owner: str | None = None) -> Answer:
    """The API's form: the key from the request's header, the owner its account (or ``owner``);
    ``body`` is the request's digest (``body_digest``)."""
    return idempotent_run(owner=request_owner(request) if owner is None else owner,
                          key=idempotency_key(request, required=required), digest=body, call=call)


def idempotency_purge(*, now: dt.datetime | None = None) -> int:
    """Forget records older than ``IDEMPOTENCY_KEEP_DAYS`` (a tick step)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.IDEMPOTENCY_KEEP_DAYS)
    deleted, _per_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
