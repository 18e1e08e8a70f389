"""30 wrong passwords (or codes) sent at once for one account: exactly 5 are ever checked (issue 7.3).

Real concurrency needs real connections: these run against a live server on PostgreSQL, each
request its own thread and database connection, as in production.
"""

from __future__ import annotations

import pytest

from zhenwu.accounts import services
from zhenwu.accounts.models import LoginAttempt, OtpCode
from zhenwu.accounts.tests.live import Counter, LiveClient, at_once
from zhenwu.testing import build_personas, build_test_town

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def personas_live(live_server):
    return build_personas(build_test_town())


def _pages(live_server, n: int) -> list[LiveClient]:
    clients = [LiveClient(live_server.url) for _ in range(n)]
    for c in clients:
        c.csrf("/login/")  # each browser has its CSRF cookie before the race starts
    return clients


def test_thirty_wrong_passwords_at_once_check_exactly_five(live_server, personas_live, monkeypatch):
    checks = Counter(services.authenticate)
    monkeypatch.setattr(services, "authenticate", checks)
    clients = _pages(live_server, 30)
    statuses = at_once(30, lambda i: clients[i].post_form("/login/", {"username": "clerk",
                                                                      "password": f"Wrong#{i}pass"})[0])
    assert checks.calls == 5
    assert statuses.count(400) == 30  # the login page re-shows the form with the lock message
    reasons = list(LoginAttempt.objects.filter(username="clerk").values_list("reason", flat=True))
    assert sorted(set(reasons)) == ["bad_credentials", "locked"] and reasons.count("bad_credentials") == 5


def test_thirty_wrong_codes_at_once_compare_exactly_five(live_server, personas_live, settings):
    settings.LOGIN_MAX_FAILURES = 1000  # the code's own limit, not the account lockout, is under test
    client = LiveClient(live_server.url)
    assert client.post_json("/api/v1/accounts/otp/request", {"mobile": "13512342210"})[0] == 202
    statuses = at_once(30, lambda i: LiveClient(live_server.url).post_json(
        "/api/v1/accounts/otp/verify", {"mobile": "13512342210", "code": "abcdef"})[0])
    assert statuses == [400] * 30
    assert OtpCode.objects.get(mobile="13512342210").attempts == 5
    reasons = list(LoginAttempt.objects.values_list("reason", flat=True))
    assert reasons.count("bad_code") == 5 and reasons.count("too_many_attempts") == 25


def test_the_lockout_also_holds_for_codes_at_once(live_server, personas_live):
    client = LiveClient(live_server.url)
    client.post_json("/api/v1/accounts/otp/request", {"mobile": "13512342210"})
    statuses = at_once(30, lambda i: LiveClient(live_server.url).post_json(
        "/api/v1/accounts/otp/verify", {"mobile": "13512342210", "code": "abcdef"})[0])
    assert statuses.count(400) == 5 and statuses.count(403) == 25
    assert OtpCode.objects.get(mobile="13512342210").attempts == 5
