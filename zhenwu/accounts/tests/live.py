"""A plain HTTP client for live-server tests: cookies, the CSRF token of a form page, JSON; what a browser sends."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any


class LiveClient:
    def __init__(self, base: str, headers: dict[str, str] | None = None) -> None:
        self.base, self.headers = base, headers or {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def request(self, method: str, path: str, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, str]:
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={**self.headers, **(headers or {})})
        for attempt in range(8):
            try:
                with self.opener.open(req, timeout=60) as response:
                    return response.status, response.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read().decode()
            except (ConnectionResetError, urllib.error.URLError):
                # The test server's accept queue is short: a burst may be refused before it is read.
                time.sleep(0.05 * (attempt + 1))
        raise ConnectionError(f"{method} {path}: the live server kept refusing the connection")

    def csrf(self, path: str) -> str:
        _status, page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found, page[:500]
        return found.group(1)

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(path), **fields}).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded",
                                                 "Referer": self.base + path})

    def post_json(self, path: str, payload: dict[str, Any]) -> tuple[int, Any]:
        status, text = self.request("POST", path, json.dumps(payload).encode(),
                                    {"Content-Type": "application/json"})
        return status, json.loads(text) if text.startswith(("{", "[")) else text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def at_once(n: int, call: Callable[[int], Any]) -> list[Any]:
    """Run ``call(i)`` for i in 0..n-1 from n threads released together; the results in order."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        from django.db import connections

        barrier.wait()
        try:
            return call(i)
        finally:
            connections.close_all()  # this thread's own connection, so the test database can be dropped

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


class Counter:
    """Wraps a function and counts its calls across threads."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn, self.calls, self._lock = fn, 0, threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
        return self.fn(*args, **kwargs)
