"""The worker's accept decision: a new connection goes to the process with the fewest open connections."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from zhenwu.web import gunicorn_worker as gw


@pytest.fixture()
def slots() -> Iterator[None]:
    saved = list(gw._PIDS), list(gw._OPEN)
    gw._PIDS[:] = [0] * gw._SLOTS
    gw._OPEN[:] = [0] * gw._SLOTS
    yield
    gw._PIDS[:], gw._OPEN[:] = saved


class _Probe(gw.Worker):
    """The worker's accept path without a master, sockets or threads."""

    def __init__(self, slot: int | None, open_connections: int) -> None:  # noqa: D107 - no gunicorn set-up
        self._slot, self.nr_conns, self._accepting, self.accepted = slot, open_connections, True, 0

    def set_accept_enabled(self, enabled: bool) -> None:
        self._accepting = enabled

    def take(self, at: float, monkeypatch: pytest.MonkeyPatch) -> bool:
        """Offer one pending connection at monotonic time ``at``; whether this worker took it."""
        monkeypatch.setattr(gw.time, "monotonic", lambda: at)
        before = self.accepted
        self.accept(None)
        return self.accepted > before


@pytest.fixture()
def no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_accept(self: Any, listener: Any) -> None:
        self.accepted += 1
        self.nr_conns += 1
    monkeypatch.setattr(gw.ThreadWorker, "accept", fake_accept)


def test_slots_are_claimed_once_and_a_dead_workers_slot_is_taken_over(slots: None) -> None:
    me = os.getpid()
    assert gw.claim_slot(me) == 0
    assert gw.claim_slot(os.getppid()) == 1
    gw._PIDS[1] = 2**22 + 12345  # a pid no process has (above the default pid_max): that worker died
    assert gw.claim_slot(me) == 1


def test_a_busier_worker_leaves_the_connection_to_an_idler_one(slots: None, no_socket: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    gw._PIDS[0], gw._PIDS[1] = os.getpid(), os.getppid()  # two live workers
    gw._OPEN[1] = 0
    busy = _Probe(slot=0, open_connections=2)
    assert not busy.take(100.0, monkeypatch)
    assert not busy._accepting  # the listening socket is left alone for the pause
    assert not busy.take(100.0 + gw._WAIT / 2, monkeypatch)
    # nobody took it within the wait: the busier worker takes it after all
    assert busy.take(100.0 + gw._WAIT + 0.001, monkeypatch)
    assert gw._OPEN[0] == 3  # and says how many it now holds


def test_the_least_loaded_worker_and_equal_workers_take_it_at_once(slots: None, no_socket: None,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    gw._PIDS[0], gw._PIDS[1] = os.getpid(), os.getppid()
    gw._OPEN[1] = 2
    assert _Probe(slot=0, open_connections=1).take(5.0, monkeypatch)
    assert _Probe(slot=0, open_connections=2).take(6.0, monkeypatch)
    assert _Probe(slot=0, open_connections=0).take(7.0, monkeypatch)


def test_a_dead_or_absent_worker_is_not_waited_for(slots: None, no_socket: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    gw._PIDS[0], gw._PIDS[1] = os.getpid(), 2**22 + 12345  # slot 1's worker is gone, its count stale
    gw._OPEN[1] = 0
    assert _Probe(slot=0, open_connections=4).take(9.0, monkeypatch)
    assert _Probe(slot=None, open_connections=4).take(9.5, monkeypatch)  # not balanced: gunicorn's way


def test_a_later_connection_waits_again(slots: None, no_socket: None, monkeypatch: pytest.MonkeyPatch) -> None:
    gw._PIDS[0], gw._PIDS[1] = os.getpid(), os.getppid()
    gw._OPEN[1] = 0
    busy = _Probe(slot=0, open_connections=2)
    assert not busy.take(50.0, monkeypatch)
    assert busy.take(50.0 + gw._WAIT + 0.001, monkeypatch)
    # seconds later another client connects while the other worker is still idler: left to it again
    assert not busy.take(60.0, monkeypatch)
