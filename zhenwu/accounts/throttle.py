"""Throttles: at most N hits per key (an IP, a mobile) and scope in a window, atomically, for every process.

A window starts at the first hit of a key and lasts ``seconds``; the hit that would exceed the limit
is refused (HTTP 429) and not counted. The count lives in Redis when ``REDIS_URL`` is set (``SET NX
EX`` then ``INCR``: atomic on the server) and otherwise in the ``ThrottleCounter`` table, changed by one
conditional UPDATE, so neither a race between threads nor several web processes can let more than N
through. Never in the local-memory cache: that is per process and forgets under pressure.

Limits are settings (``THROTTLE_RATES``): ``"count/seconds"``, e.g. ``"30/300"``. A hit may weigh more
than one (``cost``): the upload quota counts bytes per user and day with the same counters.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.models import ThrottleCounter
from zhenwu.errors import FieldError

PRUNE_ONE_IN = 500


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        """``"30/300"`` → 30 hits per 300 seconds; ``"0/…"`` switches the throttle off."""
        count, _sep, seconds = text.partition("/")
        return cls(limit=int(count), seconds=int(seconds or 60))


def rate_for(scope: str) -> Rate:
    return Rate.parse(settings.THROTTLE_RATES[scope])


def _db_hit(scope: str, key: str, rate: Rate, now: datetime, cost: int) -> bool:
    ThrottleCounter.objects.bulk_create(
        [ThrottleCounter(scope=scope, key=key, window_started_at=now, hits=0)], ignore_conflicts=True)
    expired = Q(window_started_at__lte=now - timedelta(seconds=rate.seconds))
    # One statement: PostgreSQL re-checks the WHERE on the row a concurrent UPDATE just committed, and
    # SQLite runs one writer at a time, so exactly ``limit`` hits succeed however many race.
    changed = ThrottleCounter.objects.filter(
        Q(hits__lte=rate.limit - cost) | expired, scope=scope, key=key).update(
        hits=Case(When(expired, then=Value(cost)), default=F("hits") + cost),
        window_started_at=Case(When(expired, then=Value(now)), default=F("window_started_at")))
    return changed == 1


_CLIENTS: dict[str, Any] = {}
_CLIENTS_LOCK = threading.Lock()


def _redis(url: str) -> Any:
    """One client per URL and process. Made under a lock: a second client built by a racing thread
    would be dropped from the cache and, when collected, close the pool's sockets under the pipelines
    still using them."""
    with _CLIENTS_LOCK:
        if url not in _CLIENTS:
            import redis

            _CLIENTS[url] = redis.Redis.from_url(url)
        return _CLIENTS[url]


def _redis_hit(scope: str, key: str, rate: Rate, cost: int) -> bool:
    name = f"zhenwu:throttle:{scope}:{key}"
    client = _redis(settings.THROTTLE_REDIS_URL)
    pipe = client.pipeline()
    pipe.set(name, 0, ex=rate.seconds, nx=True)
    pipe.incrby(name, cost)
    _created, hits = pipe.execute()
    if int(hits) <= rate.limit:
        return True
    if cost > 1:  # a refused upload gives its bytes back, so a smaller one still fits
        client.decrby(name, cost)
    return False


def throttle_hit(*, scope: str, key: str | None, now: datetime | None = None, cost: int = 1) -> bool:
    """Count a hit weighing ``cost`` of ``key`` in ``scope``; False when it would pass the limit (the hit
    is then refused and not counted)."""
    rate = rate_for(scope)
    if rate.limit <= 0 or not key:
        return True
    if cost > rate.limit:
        return False
    key = key[:200]
    if settings.THROTTLE_REDIS_URL:
        return _redis_hit(scope, key, rate, cost)
    if secrets.randbelow(PRUNE_ONE_IN) == 0:  # the table keeps only live windows, without a periodic job
        throttle_prune(now=now)
    return _db_hit(scope, key, rate, now or timezone.now(), cost)


def throttle(*, scope: str, key: str | None, field: str | None = None, now: datetime | None = None) -> None:
    """Count one hit, or raise a 429 FieldError when ``key`` has used its allowance in ``scope``."""
    if not throttle_hit(scope=scope, key=key, now=now):
        raise FieldError(field, _("Too many requests; wait a few minutes and try again."), status=429,
                         code="throttled")


def throttle_prune(*, now: datetime | None = None) -> int:
    """Delete database counters whose window ended (one hit in PRUNE_ONE_IN does it); returns how many."""
    now = now or timezone.now()
    ended = ~Q(scope__in=list(settings.THROTTLE_RATES))  # a scope no longer configured
    for scope, text in settings.THROTTLE_RATES.items():  # each scope by its own window
        ended |= Q(scope=scope, window_started_at__lt=now - timedelta(seconds=Rate.parse(text).seconds))
    deleted, _rows = ThrottleCounter.objects.filter(ended).delete()
    return deleted
