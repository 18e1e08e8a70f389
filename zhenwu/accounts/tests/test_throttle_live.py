"""Per-address throttles of anonymous logins, codes and registrations hold exactly under concurrent clients,
and the address is the real client's behind a trusted proxy only (a live server on PostgreSQL)."""

from __future__ import annotations

import pytest

from zhenwu.accounts.models import LoginAttempt
from zhenwu.accounts.tests.live import LiveClient, at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def limit(settings, scope: str, rate: str) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, scope: rate}


def login_burst(live_server, n: int, forwarded: list[str] | None = None) -> list[int]:
    clients = [LiveClient(live_server.url, {"X-Forwarded-For": forwarded[i]} if forwarded else None)
               for i in range(n)]
    for c in clients:
        c.csrf("/login/")
    return at_once(n, lambda i: clients[i].post_form("/login/", {"username": f"nobody{i}",
                                                                 "password": "Wrong#pass1"})[0])


def test_anonymous_logins_from_one_address_stop_at_the_limit(live_server, settings):
    limit(settings, "login_ip", "10/300")
    statuses = login_burst(live_server, 30)
    assert statuses.count(400) == 10 and statuses.count(429) == 20


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(live_server, settings):
    limit(settings, "login_ip", "5/300")
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    forwarded = ["203.0.113.7, 127.0.0.1"] * 12 + ["198.51.100.9"] * 12
    statuses = login_burst(live_server, 24, forwarded)
    assert statuses[:12].count(400) == 5 and statuses[12:].count(400) == 5
    assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {"203.0.113.7", "198.51.100.9"}


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(live_server, settings):
    limit(settings, "login_ip", "5/300")
    settings.TRUSTED_PROXIES = ["10.0.0.1"]  # not the peer of these requests
    statuses = login_burst(live_server, 12, [f"203.0.113.{i}" for i in range(12)])
    assert statuses.count(400) == 5
    assert set(LoginAttempt.objects.values_list("ip", flat=True)) == {"127.0.0.1"}


def test_registration_codes_stop_at_the_limit_per_mobile(live_server, settings):
    settings.OTP_RESEND_SECONDS = 0
    limit(settings, "register_mobile", "3/3600")
    statuses = at_once(20, lambda i: LiveClient(live_server.url).post_json(
        "/api/v1/accounts/registration-code", {"mobile": "13800005555"})[0])
    assert statuses.count(202) == 3 and statuses.count(429) == 17


def test_registration_codes_stop_at_the_limit_per_address(live_server, settings):
    limit(settings, "register_ip", "5/3600")
    statuses = at_once(20, lambda i: LiveClient(live_server.url).post_json(
        "/api/v1/accounts/registration-code", {"mobile": f"139000066{i:02d}"})[0])
    assert statuses.count(202) == 5 and statuses.count(429) == 15


def test_login_codes_stop_at_the_limit_per_address(live_server, settings):
    limit(settings, "otp_ip", "4/3600")
    statuses = at_once(20, lambda i: LiveClient(live_server.url).post_json(
        "/api/v1/accounts/otp/request", {"mobile": f"137000077{i:02d}"})[0])
    assert statuses.count(202) == 4 and statuses.count(429) == 16
