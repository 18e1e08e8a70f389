"""gunicorn's threaded worker: new connections to the least loaded process, and the requests gunicorn
refuses itself answered in the API's JSON error body.

**Balance.** The worker processes share one listening socket, and whichever wakes first takes a new
connection: four keep-alive clients can land three or four on one process, which then runs them on one
core under one GIL while the other process idles (measured: 294 against 484 grid intakes/s). Each worker
publishes its open connections in a small shared array (made in the master, before the fork); a worker
with more open connections than the least loaded one leaves a new connection to it for a moment
(``_PAUSE``) and takes it itself only if nobody has within ``_WAIT``. A worker at the fewest takes it at
once, so a lone worker, or all of them equally loaded, never waits.

**Refusals.** gunicorn reads the request line and headers before Django sees anything; past its limits
(8,190 bytes of request line, 100 header fields) it answers 414 or 431 with a bare HTML page. An API client, and the
OpenAPI fuzzer, expect the usual ``{"errors": [{"field", "message", "message_en"}]}`` body, so these two
answers are written here in that shape (the request was never parsed, so there is no path to look at).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import multiprocessing
import os
import time
from typing import Any

from django.utils.translation import gettext_lazy as _
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker

from zhenwu.errors import error_item

ANSWERS = {
    414: ("URI Too Long", _("The address is too long: send long searches in a request body.")),
    431: ("Request Header Fields Too Large", _("The request headers are too large.")),
}


def json_error(status: int) -> bytes:
    """The raw HTTP answer for a request refused before parsing, with the API's error body."""
    reason, message = ANSWERS[status]
    body = json.dumps({"errors": [error_item(None, message)]}, ensure_ascii=False).encode()
    head = (f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("latin-1")
    return head + body


_SLOTS = 64  # worker processes whose load is shared; past that, a worker takes connections as gunicorn does
_PAUSE = 0.001  # seconds a busier worker leaves the listening socket alone for the others
# After which it takes the connection anyway: the least loaded worker may be stuck, or not given the CPU in
# time on a loaded machine (20 ms was too short under the test suite's load).
_WAIT = 0.1
_EPISODE = 0.5  # a pause longer ago than this ended its wait: the next connection is a new one

# Made at import, in the master (gunicorn loads the worker class before it forks), so that every worker
# shares them: the pid of the worker in each slot (0: free) and its open connections.
_PIDS = multiprocessing.RawArray(ctypes.c_int, _SLOTS)
_OPEN = multiprocessing.RawArray(ctypes.c_int, _SLOTS)
_CLAIM = multiprocessing.Lock()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def claim_slot(pid: int) -> int | None:
    """A slot for worker ``pid``: a free one, or one whose worker has died (its replacement takes it)."""
    with _CLAIM:
        for slot in range(_SLOTS):
            if _PIDS[slot] == 0 or not _alive(_PIDS[slot]):
                _PIDS[slot], _OPEN[slot] = pid, 0
                return slot
    return None


def leave_to_others(slot: int, mine: int) -> bool:
    """Whether another live worker has fewer open connections than ``mine``."""
    for other in range(_SLOTS):
        pid = _PIDS[other]
        if other != slot and pid and _OPEN[other] < mine and _alive(pid):
            return True
    return False


class Worker(ThreadWorker):  # type: ignore[misc]
    _slot: int | None = None
    _paused_until = 0.0  # the listening socket is left to the others until then (monotonic seconds)
    _waiting_since = 0.0  # when this worker first left the pending connection to the others

    def init_process(self) -> None:
        self._slot = claim_slot(os.getpid())
        super().init_process()

    def accept(self, listener: Any) -> None:
        if self._slot is not None and self.nr_conns:
            now = time.monotonic()
            if now - self._paused_until > _EPISODE:
                self._waiting_since = now  # a new connection is waiting
            if now - self._waiting_since < _WAIT and leave_to_others(self._slot, self.nr_conns):
                self._paused_until = now + _PAUSE
                self.set_accept_enabled(False)
                return
        super().accept(listener)
        self._publish()

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        left = self._paused_until - time.monotonic()
        if left > 0:  # gunicorn's loop turns accepting back on each round: keep it off until the pause ends
            if self._accepting:
                self.set_accept_enabled(False)
            timeout = min(timeout, left)
        super().wait_for_and_dispatch_events(timeout)
        self._publish()  # connections closed in this round

    def _publish(self) -> None:
        if self._slot is not None:
            _OPEN[self._slot] = self.nr_conns

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, (LimitRequestLine, LimitRequestHeaders)):
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
            with contextlib.suppress(OSError):  # the client may already be gone
                write_nonblock(client, json_error(414 if isinstance(exc, LimitRequestLine) else 431))
            return
        super().handle_error(req, client, addr, exc)
