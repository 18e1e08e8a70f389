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
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhenwu.accounts.masking import SECRET_MARK
from zhenwu.casework.choices import Channel, OutboxStatus
from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.sealing import SealError, seal, unseal
from zhenwu.casework.sms import Sms, sms_provider
from zhenwu.querycache import hot_cursor, insert, model_sql, returning_all, rows_to_instances

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
    message = OutboxMessage(channel=channel, recipient=recipient, body=body, subject=subject, payload=payload,
                            next_attempt_at=timezone.now(), sealed_secret=seal(secret) if secret else "",
                            secret_ttl_seconds=secret_ttl_seconds if secret else None)
    insert(message)  # its INSERT written once (zhenwu.querycache), as save(force_insert=True)
    transaction.on_commit(lambda: _trigger(message.pk))
    return message


def _trigger(pk: int) -> None:
    from zhenwu.casework import background
    from zhenwu.casework.tasks import deliver

    # No broker: Celery would run the delivery eagerly, inside the request; it runs after the response.
    if settings.CELERY_TASK_ALWAYS_EAGER and background.defer(background.Many(_deliver_queued, pk)):
        return
    try:
        deliver.delay(pk)
    except Exception:  # a broker outage must not fail the request; `tick` delivers later
        log.exception("could not queue delivery of outbox message %s", pk)


def _deliver_queued(pks: list[int]) -> None:
    """The messages committed by the requests served while the background thread was busy: one claim and
    one "sent" for them all."""
    outbox_deliver_many(pks=pks)


def _due(now: dt.datetime) -> Q:
    pending = Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    stale = Q(status=OutboxStatus.SENDING, lease_until__lt=now)
    return pending | stale


# per number of messages claimed at once (a batch holds at most CLAIM_BATCH): per database vendor
_CLAIM_SQL: dict[int, dict[str, str]] = {}
_SENT_SQL: dict[int, dict[str, str]] = {}
CLAIM_BATCH = 10  # sent one after another within one lease (NOTIFY_LEASE_SECONDS) even by a slow channel


def _when(value: dt.datetime) -> Any:
    return OutboxMessage._meta.get_field("lease_until").get_db_prep_value(value, connection)


def _marks(n: int) -> str:
    return ", ".join(["%s"] * n)


def outbox_claim(*, pk: int, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Take the lease on one due message by compare-and-set; None if it is not due or taken."""
    claimed = outbox_claim_many(pks=[pk], now=now)
    return claimed[0] if claimed else None


def outbox_claim_many(*, pks: list[int], now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Take the lease on those of ``pks`` (at most ``CLAIM_BATCH``) that are due, by compare-and-set, in
    their order; those not due or taken by another worker are left out.

    One UPDATE whose condition is "due" (pending and due, or leased and the lease expired): it takes each
    row's lock and re-checks the condition on the row as it is then, so of two claimers of a message one
    wins (the other changes no row), and it returns the claimed rows themselves (no second read). Built
    once per batch size (the ORM compiled a read and an update afresh for every message).
    """
    if not pks:
        return []
    assert len(pks) <= CLAIM_BATCH
    now = now or timezone.now()
    sql = model_sql(_CLAIM_SQL.setdefault(len(pks), {}), OutboxMessage, lambda c, table: (
        f"UPDATE {table} SET {c('status')} = %s, {c('lease_token')} = %s, {c('lease_until')} = %s "
        f"WHERE {c('id')} IN ({_marks(len(pks))}) AND (({c('status')} = %s AND {c('next_attempt_at')} <= %s) "
        f"OR ({c('status')} = %s AND {c('lease_until')} < %s)) {returning_all(OutboxMessage, connection)}"))
    until = now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [OutboxStatus.SENDING.value, uuid.uuid4().hex, _when(until), *map(int, pks),
                             OutboxStatus.PENDING.value, _when(now), OutboxStatus.SENDING.value, _when(now)])
        won = cursor.fetchall()
    order = {int(pk): i for i, pk in enumerate(pks)}
    return sorted(rows_to_instances(OutboxMessage, connection, won), key=lambda m: order[m.pk])


def backoff(attempts: int) -> dt.timedelta:
    """Exponential back-off after the n-th failed attempt (30 s, 60 s, 120 s, … by default)."""
    return dt.timedelta(seconds=settings.NOTIFY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def _sent(messages: list[OutboxMessage], now: dt.datetime) -> None:
    """Delivered: one UPDATE for all (built once per batch size, as claiming); the secret is no longer
    needed by anyone. Only rows still under this claim's lease change."""
    if not messages:
        return
    n = len(messages)
    sql = model_sql(_SENT_SQL.setdefault(n, {}), OutboxMessage, lambda c, table: (
        f"UPDATE {table} SET {c('status')} = %s, {c('attempts')} = {c('attempts')} + 1, {c('sent_at')} = %s, "
        f"{c('lease_until')} = NULL, {c('last_error')} = '', {c('sealed_secret')} = '' "
        f"WHERE {c('id')} IN ({_marks(n)}) AND {c('lease_token')} = %s"))
    with hot_cursor(connection) as cursor:
        cursor.execute(sql, [OutboxStatus.SENT.value, _when(now), *(m.pk for m in messages),
                             messages[0].lease_token])


def _failed(message: OutboxMessage, error: str, now: dt.datetime, *, give_up: bool = False) -> None:
    attempts = message.attempts + 1
    mine = OutboxMessage.objects.filter(pk=message.pk, lease_token=message.lease_token)
    if give_up or attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        mine.update(status=OutboxStatus.FAILED, attempts=attempts, lease_until=None, last_error=error[:2000],
                    sealed_secret="")
        return
    mine.update(status=OutboxStatus.PENDING, attempts=attempts, next_attempt_at=now + backoff(attempts),
                lease_until=None, last_error=error[:2000])


def outbox_deliver(*, pk: int, now: dt.datetime | None = None) -> bool:
    """Claim and send one message; True when it was sent now."""
    return outbox_deliver_many(pks=[pk], now=now) == 1


def outbox_deliver_many(*, pks: list[int], now: dt.datetime | None = None) -> int:
    """Claim those of ``pks`` that are due (in batches of ``CLAIM_BATCH``), send each in order and mark the
    sent ones together; returns how many were sent now. A message whose channel fails is retried with
    back-off like any other; one that another worker holds is left to it."""
    done = 0
    for start in range(0, len(pks), CLAIM_BATCH):
        sent: list[OutboxMessage] = []
        for message in outbox_claim_many(pks=pks[start:start + CLAIM_BATCH], now=now):
            try:
                SENDERS[message.channel](message)
            except SealError as exc:  # the code expired before it could be sent: sending it late helps nobody
                log.warning("outbox message %s not sent: %s", message.pk, exc)
                _failed(message, f"{type(exc).__name__}: {exc}", now or timezone.now(), give_up=True)
                continue
            except Exception as exc:  # any channel failure is retried with back-off
                log.warning("outbox message %s failed: %s", message.pk, exc)
                _failed(message, f"{type(exc).__name__}: {exc}", now or timezone.now())
                continue
            sent.append(message)
        _sent(sent, now or timezone.now())
        done += len(sent)
    return done


def outbox_deliver_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Deliver every due message (pending and due, or with an expired lease); returns how many were sent."""
    now = now or timezone.now()
    ids = list(OutboxMessage.objects.filter(_due(now)).order_by("next_attempt_at")
               .values_list("pk", flat=True)[:limit])
    return sum(outbox_deliver(pk=pk, now=now) for pk in ids)
