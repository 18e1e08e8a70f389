"""`zhenwu serve --demo` runs the periodic work beside the server; production leaves it to cron or Celery beat."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenwu.web.management.commands import serve as serve_command


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[float]:
    import waitress

    runs: list[float] = []
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: None)
    monkeypatch.setattr(serve_command, "_start_ticker", runs.append)
    settings.DEMO_MODE = False
    return runs


def serve(*args: str) -> str:
    out = io.StringIO()
    call_command("serve", "--server", "waitress", "--port", "8798", *args, stdout=out)
    return out.getvalue()


def test_the_demo_ticks_every_minute_and_says_so(started, monkeypatch):
    monkeypatch.delenv("ZHENWU_DEMO", raising=False)
    said = serve("--demo")
    assert started == [60.0]
    assert "60" in said and "zhenwu tick" in said


def test_production_does_not_tick_unless_asked(started):
    serve()
    assert started == []
    serve("--tick", "15")
    assert started == [15.0]


def test_the_demo_can_switch_it_off(started, monkeypatch):
    monkeypatch.delenv("ZHENWU_DEMO", raising=False)
    serve("--demo", "--tick", "0")
    assert started == []


def test_a_negative_period_is_refused(started):
    with pytest.raises(CommandError, match="--tick"):
        serve("--tick", "-1")
    assert started == []


def test_waitress_keeps_four_threads_in_its_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import waitress

    seen: dict[str, Any] = {}
    monkeypatch.setattr(waitress, "serve", lambda *args, **kwargs: seen.update(kwargs))
    said = serve()
    assert seen["threads"] == 4 and "1 个进程 × 每进程 4 个线程" in said
    serve("--threads", "2")
    assert seen["threads"] == 2
