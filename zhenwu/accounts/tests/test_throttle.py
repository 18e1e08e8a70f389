"""Throttles: N hits per key and window, the (N+1)-th refused, a new window after the period; DB and Redis."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from zhenwu.accounts.tests.live import at_once
from zhenwu.accounts.throttle import throttle_hit, throttle_prune

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def rate(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_ip": "3/60"}


def hits(n: int, key: str = "10.0.0.1", at: datetime = T0) -> list[bool]:
    return [throttle_hit(scope="login_ip", key=key, now=at) for _ in range(n)]


def test_it_allows_the_limit_then_refuses(db, rate):
    assert hits(5) == [True, True, True, False, False]
    assert hits(1, key="10.0.0.2") == [True]  # each key its own count


def test_a_new_window_starts_after_the_period(db, rate):
    hits(4)
    assert hits(1, at=T0 + timedelta(seconds=59)) == [False]
    assert hits(4, at=T0 + timedelta(seconds=60)) == [True, True, True, False]


def test_zero_switches_a_throttle_off(db, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_ip": "0/60"}
    assert all(hits(100))


def test_old_counters_are_pruned(db, rate):
    hits(1)
    assert throttle_prune(now=T0 + timedelta(days=1)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_hits_pass_exactly_the_limit_on_postgres(rate):
    assert at_once(50, lambda i: throttle_hit(scope="login_ip", key="10.9.9.9")).count(True) == 3


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_fifty_concurrent_hits_pass_exactly_the_limit_in_redis(db, rate, settings):
    import redis

    settings.THROTTLE_REDIS_URL = "redis://127.0.0.1:6379/2"
    redis.Redis.from_url(settings.THROTTLE_REDIS_URL).delete("zhenwu:throttle:login_ip:10.8.8.8")
    assert at_once(50, lambda i: throttle_hit(scope="login_ip", key="10.8.8.8")).count(True) == 3


def weighed(costs: list[int], key: str = "user:1") -> list[bool]:
    return [throttle_hit(scope="upload_bytes_public", key=key, now=T0, cost=c) for c in costs]


def test_a_hit_may_weigh_more_than_one_and_a_refused_one_is_not_counted(db, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "upload_bytes_public": "1000/86400"}
    assert weighed([600, 600, 400, 1, 1001]) == [True, False, True, False, False]


@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
def test_weighed_hits_in_redis(db, settings):
    import redis

    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "upload_bytes_public": "1000/86400"}
    settings.THROTTLE_REDIS_URL = "redis://127.0.0.1:6379/2"
    redis.Redis.from_url(settings.THROTTLE_REDIS_URL).delete("zhenwu:throttle:upload_bytes_public:user:9")
    assert weighed([600, 600, 400, 1], key="user:9") == [True, False, True, False]
    redis.Redis.from_url(settings.THROTTLE_REDIS_URL).delete("zhenwu:throttle:upload_bytes_public:user:9")
    assert at_once(20, lambda i: throttle_hit(scope="upload_bytes_public", key="user:9", cost=100)).count(True) == 10
