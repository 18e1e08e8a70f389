"""`zhenwu tick`: once, or again and again with --every (bounded here by --times)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenwu.casework.management.commands import tick as tick_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("tick", *args, stdout=out)
    return out.getvalue()


def test_once_prints_what_each_step_did():
    lines = run().splitlines()
    assert len(lines) == 1 and "case_urges=" in lines[0]


def test_every_runs_again_until_the_count(monkeypatch):
    # Between runs the loop drops a stale connection; inside this test's transaction it must keep it.
    monkeypatch.setattr(tick_command, "close_old_connections", lambda: None)
    assert len(run("--every", "0.01", "--times", "3").splitlines()) == 3


def test_a_failed_run_is_reported_and_the_loop_goes_on(monkeypatch):
    calls = []

    def flaky() -> dict[str, int]:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database away")
        return {"case_urges": 0}

    monkeypatch.setattr(tick_command, "tick", flaky)
    monkeypatch.setattr(tick_command, "close_old_connections", lambda: None)
    err = io.StringIO()
    call_command("tick", "--every", "0.01", "--times", "2", stdout=io.StringIO(), stderr=err)
    assert len(calls) == 2 and "database away" in err.getvalue()


def test_negative_values_are_refused():
    with pytest.raises(CommandError):
        run("--every", "-1")
