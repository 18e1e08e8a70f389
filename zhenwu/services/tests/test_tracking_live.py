"""The tracking limit against a live server and concurrent clients: 50 parallel wrong guesses for one
number are checked exactly ``SERVICES_TRACKING_MAX_ATTEMPTS`` times, and the right code is then refused
too (the counter is atomic and kept outside the process)."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import pytest

from zhenwu.services.services import application_accept
from zhenwu.services.tests.factories import make_item, window_app


def _post(url: str, body: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    for _attempt in range(20):
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.05)  # the test server's listen queue was full: the request never reached it
    raise AssertionError("the live server did not answer")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_50_parallel_guesses_are_checked_exactly_five_times(hall: Any, live_server: Any, settings: Any) -> None:
    settings.SERVICES_TRACKING_IP_MAX_ATTEMPTS = 1000  # one client address here: test the per-number count
    make_item()
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    url = live_server.url + "/api/v1/services/track"
    barrier = threading.Barrier(50)
    codes: list[int] = []

    def guess(i: int) -> None:
        barrier.wait()
        codes.append(_post(url, {"number": app.case.number, "code": f"WRONG{i:03d}"}))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [404] * settings.SERVICES_TRACKING_MAX_ATTEMPTS + [429] * (
        50 - settings.SERVICES_TRACKING_MAX_ATTEMPTS)
    assert _post(url, {"number": app.case.number, "code": app.new_tracking_code}) == 429
