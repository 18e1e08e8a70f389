"""Notifications outbox: enqueue inside the caller's transaction, deliver at least once.

A worker claims a due message by compare-and-set (status + lease token) and holds a lease; if
it dies mid-delivery the lease expires and the next run claims the message again.

Secrets (one-time codes) are never stored in clear: the body keeps ``SECRET_MARK`` where the code
goes, and the code itself is sealed (``casework.sealing``, a key derived from SECRET_KEY) in
``sealed_secret`` until the message is sent or given up, then erased. Retries open the seal again,
so the at-least-once guarantee holds; a code whose lifetime has passed is not sent late.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhenwu.accounts.masking import SECRET_MARK
from zhenwu.casework.choices import Channel, OutboxStatus
from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.sealing import SealError, seal, unseal
from zhenwu.casework.sms import Sms, sms_provider

log = logging.getLogger("zhenwu.notify")
Sender = Callable[[OutboxMessage], None]


def _sms_send(message: OutboxMessage) -> None:
    text, payload = message.body, message.payload or {}
    params = dict(payload.get("sms_params") or {})
    if message.sealed_secret:  # opened only here, in memory, for this one send
        code = unseal(message.sealed_secret, ttl_seconds=message.secret_ttl_seconds)
        text, params["code"] = text.replace(SECRET_MARK, code, 1), code
    sms_provider().send(Sms(mobile=message.recipient, text=text, kind=str(payload.get("sms_kind") or ""),
                            params=params, id=f"zhenwu-outbox-{message.pk}"))


def _webhook_send(message: OutboxMessage) -> None:
    body = {"subject": message.subject, "body": message.body, "payload": message.payload, "id": message.pk}
    request = urllib.request.Request(message.recipient, method="POST",
                                     data=json.dumps(body, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json",
                                              "Idempotency-Key": f"zhenwu-outbox-{message.pk}"})
    with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
        if response.status >= 300:
            raise OSError(f"HTTP {response.status}")


SENDERS: dict[str, Sender] = {Channel.SMS: _sms_send, Channel.WEBHOOK: _webhook_send}


def notification_enqueue(*, channel: str, recipient: str, body: str, subject: str = "",
                         payload: dict[str, Any] | None = None, secret: str = "",
                         secret_ttl_seconds: int | None = None) -> OutboxMessage:
    """Queue a notification in the caller's transaction; delivery is triggered once it commits.

    ``secret`` (SMS only) replaces ``SECRET_MARK`` in ``body`` at delivery; it is kept sealed, and not
    sent at all once ``secret_ttl_seconds`` have passed.
    """
    if channel not in SENDERS:
        raise ValueError(f"unknown channel {channel!r}")
    if secret and (channel != Channel.SMS or SECRET_MARK not in body):
        raise ValueError("a secret goes only into an SMS whose body marks its place with SECRET_MARK")
    message = OutboxMessage.objects.create(channel=channel, recipient=recipient, body=body, subject=subject,
                                           payload=payload, next_attempt_at=timezone.now(),
                                           sealed_secret=seal(secret) if secret else "",
                                           secret_ttl_seconds=secret_ttl_seconds if secret else None)
    transaction.on_commit(lambda: _trigger(message.pk))
    return message


def _trigger(pk: int) -> None:
    from zhenwu.casework import background
    from zhenwu.casework.tasks import deliver

    # No broker: Celery would run the delivery eagerly, inside the request; it runs after the response.
    if settings.CELERY_TASK_ALWAYS_EAGER and background.defer(lambda: outbox_deliver(pk=pk)):
        return
    try:
        deliver.delay(pk)
    except Exception:  # a broker outage must not fail the request; `tick` delivers later
        log.exception("could not queue delivery of outbox message %s", pk)


def _due(now: dt.datetime) -> Q:
    pending = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    stale = Q(status=OutboxStatus.SENDING, lease_until__lt=now)
    return pending | stale


def outbox_claim(*, pk: int, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Take the lease on one due message by compare-and-set; None if it is not due or taken."""
    now = now or timezone.now()
    row = OutboxMessage.objects.filter(_due(now), pk=pk).values("status", "lease_token").first()
    if row is None:
        return None
    token = uuid.uuid4().hex
    won = OutboxMessage.objects.filter(pk=pk, status=row["status"], lease_token=row["lease_token"]).update(
        status=OutboxStatus.SENDING, lease_token=token,
        lease_until=now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS))
    return OutboxMessage.objects.get(pk=pk) if won else None


def backoff(attempts: int) -> dt.timedelta:
    """Exponential back-off after the n-th failed attempt (30 s, 60 s, 120 s, … by default)."""
    return dt.timedelta(seconds=settings.NOTIFY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def _finish(message: OutboxMessage, error: str, now: dt.datetime, *, give_up: bool = False) -> None:
    attempts = message.attempts + 1
    mine = OutboxMessage.objects.filter(pk=message.pk, lease_token=message.lease_token)
    if not error:  # delivered: the secret is no longer needed by anyone
        mine.update(status=OutboxStatus.SENT, attempts=attempts, sent_at=now, lease_until=None, last_error="",
                    sealed_secret="")
        return
    if give_up or attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        mine.update(status=OutboxStatus.FAILED, attempts=attempts, lease_until=None, last_error=error[:2000],
                    sealed_secret="")
        return
    mine.update(status=OutboxStatus.PENDING, attempts=attempts, next_attempt_at=now + backoff(attempts),
                lease_until=None, last_error=error[:2000])


def outbox_deliver(*, pk: int, now: dt.datetime | None = None) -> bool:
    """Claim and send one message; True when it was sent now."""
    message = outbox_claim(pk=pk, now=now)
    if message is None:
        return False
    try:
        SENDERS[message.channel](message)
    except SealError as exc:  # the code expired before it could be sent: sending it late helps nobody
        log.warning("outbox message %s not sent: %s", message.pk, exc)
        _finish(message, f"{type(exc).__name__}: {exc}", now or timezone.now(), give_up=True)
        return False
    except Exception as exc:  # any channel failure is retried with back-off
        log.warning("outbox message %s failed: %s", message.pk, exc)
        _finish(message, f"{type(exc).__name__}: {exc}", now or timezone.now())
        return False
    _finish(message, "", now or timezone.now())
    return True


def outbox_deliver_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Deliver every due message (pending and due, or with an expired lease); returns how many were sent."""
    now = now or timezone.now()
    ids = list(OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at")
               .values_list("pk", flat=True)[:limit])
    return sum(outbox_deliver(pk=pk, now=now) for pk in ids)
