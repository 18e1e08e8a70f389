"""HTTP hardening of every response: the real client address behind a trusted proxy, and the CSP header.

Kept apart from the pages: settings.MIDDLEWARE names these two.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_REAL_IP",
              "HTTP_FORWARDED")


@functools.cache
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(peer: str, forwarded_for: str, proxies: tuple[str, ...]) -> str:
    """The client's address: the peer, or — when the peer is a trusted proxy — the right-most address
    of X-Forwarded-For that is not itself a trusted proxy (the left part is whatever the client sent)."""
    networks = _networks(proxies)
    if not _trusted(peer, networks):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage where an address should be: keep the proxy's
    return hops[0] if hops else peer


class TrustedProxyMiddleware:
    """Sets REMOTE_ADDR to the real client address; drops forwarding headers no trusted proxy set.

    Runs first, so SecurityMiddleware's HTTPS detection (SECURE_PROXY_SSL_HEADER), the login audit
    and every throttle see the same, unforgeable address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies = tuple(settings.TRUSTED_PROXIES)
        peer = request.META.get("REMOTE_ADDR", "")
        if proxies and _trusted(peer, _networks(proxies)):
            request.META["ZHENWU_PROXY_ADDR"] = peer
            request.META["REMOTE_ADDR"] = client_address(peer, request.META.get("HTTP_X_FORWARDED_FOR", ""),
                                                         proxies)
        else:
            for header in _FORWARDED:
                request.META.pop(header, None)
        return self.get_response(request)


def _tile_origin(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    return f" {parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def content_security_policy() -> str:
    return settings.CONTENT_SECURITY_POLICY.replace("{tiles}", _tile_origin(settings.MAP_TILE_URL))


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header (settings.CONTENT_SECURITY_POLICY) to every response.

    ``script-src 'self'``: no inline script or event-handler attribute runs, so injected markup
    cannot run script even if escaping failed somewhere. Templates keep scripts in static files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        return response
