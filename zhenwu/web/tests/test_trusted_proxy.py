"""The client address: forwarded headers believed only from a trusted proxy, the right-most untrusted hop."""

from __future__ import annotations

import pytest

from zhenwu.accounts.models import LoginAttempt
from zhenwu.web.security import client_address

PROXIES = ("10.0.0.0/8", "127.0.0.1")


@pytest.mark.parametrize(("peer", "xff", "expected"), [
    ("10.0.0.5", "203.0.113.7", "203.0.113.7"),
    ("10.0.0.5", "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the left part is whatever the client sent
    ("10.0.0.5", "203.0.113.7, 10.0.0.9", "203.0.113.7"),  # a chain of our own proxies
    ("198.51.100.1", "203.0.113.7", "198.51.100.1"),  # not a proxy of ours: the header is ignored
    ("10.0.0.5", "not-an-address", "10.0.0.5"),
    ("10.0.0.5", "", "10.0.0.5"),
])
def test_it_takes_the_right_most_untrusted_hop(peer, xff, expected):
    assert client_address(peer, xff, PROXIES) == expected


def test_login_records_show_the_real_client_behind_the_proxy(client, personas, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.post("/login/", {"username": "clerk", "password": "x"}, HTTP_X_FORWARDED_FOR="203.0.113.7",
                REMOTE_ADDR="127.0.0.1")
    assert LoginAttempt.objects.get().ip == "203.0.113.7"


def test_https_is_believed_only_from_the_proxy(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    forged = client.get("/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="198.51.100.1")
    assert forged.status_code == 301  # a direct client claiming HTTPS is sent to HTTPS
    proxied = client.get("/login/", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.1")
    assert proxied.status_code == 200
