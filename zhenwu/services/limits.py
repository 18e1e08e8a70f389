"""Attempt limits shared by every web process: one atomic count per key and time window.

``limit_take`` counts the attempt first and only then says whether it may go ahead, so the check and
the count are one step: of 50 parallel guesses with a limit of 5, exactly 5 are let through. With a
Redis cache configured (``REDIS_URL``) the counters live there (INCR); otherwise in the database
(``LimitCounter``, an UPDATE … count + 1 under the row lock). The local-memory cache is never used: it
is per process and forgets under pressure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhenwu.services.models import LimitCounter


def limit_key(kind: str, value: str) -> str:
    """A fixed-length key: values are user input (IP addresses, case numbers)."""
    return f"services:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:40]


def _redis() -> Any:
    """The default cache's backend when it is Redis (``caches[...]``, not the ``cache`` proxy)."""
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


def _redis_take(key: str, window: int) -> int:
    backend = _redis()
    client = backend._cache.get_client(key, write=True)
    name = backend.make_key(key)
    count = int(client.incr(name))
    if count == 1 or client.ttl(name) < 0:  # a new key (or one left without expiry by a crash)
        client.expire(name, window)
    return count


def _db_take(key: str, window: int) -> int:
    now = timezone.now()
    until = now + dt.timedelta(seconds=window)
    rows = LimitCounter.objects.filter(key=key)
    with transaction.atomic():
        for _attempt in range(5):
            if rows.filter(expires_at__gt=now).update(count=F("count") + 1):
                # Our UPDATE holds the row until commit: the count read now is the one we wrote.
                return rows.values_list("count", flat=True).get()
            if rows.filter(expires_at__lte=now).update(count=1, expires_at=until):
                return 1
            try:
                with transaction.atomic():
                    LimitCounter.objects.create(key=key, count=1, expires_at=until)
                return 1
            except IntegrityError:
                continue  # created meanwhile: count on it
    return 1 << 30  # never reached in practice; refuse rather than let through


def limit_take(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; True while at most ``limit`` were counted in the window."""
    count = _redis_take(key, window) if _redis() else _db_take(key, window)
    return count <= limit


def limit_give_back(key: str) -> None:
    """Uncount one attempt (it succeeded, so it is not a guess)."""
    backend = _redis()
    if backend is not None:
        backend._cache.get_client(key, write=True).decr(backend.make_key(key))
        return
    LimitCounter.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def limits_purge(*, now: dt.datetime | None = None) -> int:
    """Delete expired database counters (a tick step)."""
    deleted, _rows = LimitCounter.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
