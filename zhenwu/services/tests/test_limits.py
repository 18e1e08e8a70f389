"""The attempt counters behind the tracking limit: counted before the check, shared (database or Redis),
reset after their window, and given back after a success."""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest

from zhenwu.services.limits import limit_give_back, limit_key, limit_take, limits_purge
from zhenwu.services.models import LimitCounter

pytestmark = pytest.mark.django_db
REDIS = os.environ.get("ZHENWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _exercise(key: str) -> list[bool]:
    taken = [limit_take(key, limit=3, window=60) for _i in range(4)]
    limit_give_back(key)
    return [*taken, limit_take(key, limit=3, window=60)]


def test_the_database_counter_lets_through_exactly_the_limit(clock: Any) -> None:
    key = limit_key("test", "10.0.0.1")
    assert _exercise(key) == [True, True, True, False, False]  # 4 taken, 1 given back, 4 again: over
    assert LimitCounter.objects.get(key=key).count == 4
    clock.advance(seconds=61)
    assert limit_take(key, limit=3, window=60) and LimitCounter.objects.get(key=key).count == 1
    clock.advance(seconds=61)
    assert limits_purge() == 1 and not LimitCounter.objects.exists()


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_a_redis_cache_the_counter_lives_in_redis(settings: Any) -> None:
    from django.core.cache import caches

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS,
                                   "KEY_PREFIX": "zhenwu-test-limits"}}
    key = limit_key("test", os.urandom(8).hex())
    try:
        assert _exercise(key) == [True, True, True, False, False]
        assert not LimitCounter.objects.exists()
    finally:
        caches["default"].delete(key)
        caches["default"].close()
