"""Background work without a broker: what a request queued runs after its response, in one thread.

With a Celery broker, ``deliver.delay`` goes to a worker and returns at once. Without one, Celery runs
tasks eagerly, which would send SMS and webhooks inside the request that queued them (a slow gateway
would hold the response and the server's thread). So while a request is being served, outbox
deliveries are collected (``defer``) and handed, when Django finishes the request, to one daemon
thread per process that delivers them in order.

Nothing is weaker than inline delivery: a message is committed before it is queued here, the thread
claims it by the same compare-and-set lease, and anything the thread never reaches (the process
stopped, an error) stays due in the outbox, where the next ``zhenwu tick`` delivers it.
Outside a request (commands, the tick, tests calling services directly) ``defer`` answers False and
the caller delivers inline as before.

Woken by a job, the thread first waits ``GATHER_SECONDS`` (a message leaves 50 ms later), so that under
load the jobs of the requests served meanwhile queue without waking it, and it runs them together:
consecutive ``Many`` jobs of the same function run as one call with all their items (the outbox claims
and marks sent all the messages at once).
"""

from __future__ import annotations

import atexit
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

log = logging.getLogger("zhenwu.background")
Job = Callable[[], object]

_pending: ContextVar[list[Job] | None] = ContextVar("zhenwu_background_pending", default=None)
_jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


@dataclass(frozen=True)
class Many:
    """A job for one ``item`` that runs together with the waiting jobs of the same ``run``: one call
    ``run([item, …])`` for all of them, in the order they were queued."""

    run: Callable[[list[Any]], object]
    item: Any

    def __call__(self) -> object:
        return self.run([self.item])


def enabled() -> bool:
    return bool(settings.NOTIFY_AFTER_RESPONSE)


def defer(job: Job) -> bool:
    """Run ``job`` after the current request's response; False when there is no request being served."""
    pending = _pending.get()
    if pending is None or not enabled():
        return False
    pending.append(job)
    return True


def _request_started(**kwargs: Any) -> None:
    left = _pending.get()
    if left:  # a request that never finished (should not happen): its work still runs
        _submit(left)
    _pending.set([])


def _request_finished(**kwargs: Any) -> None:
    jobs = _pending.get()
    _pending.set(None)
    if jobs:
        _submit(jobs)


def _submit(jobs: list[Job]) -> None:
    _ensure_worker()
    for job in jobs:
        _jobs.put(job)


def _ensure_worker() -> None:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="zhenwu-background", daemon=True)
            _worker.start()


GATHER_SECONDS = 0.05  # once woken, the thread waits this long for more: one wake-up and one claim for them all
IDLE_SECONDS = 2.0  # a thread idle this long gives its database connection back


def _batches(jobs: list[Job | None]) -> list[Job | None]:
    """Consecutive ``Many`` jobs of the same function as one job; everything else as it came."""
    out: list[Job | None] = []
    group: list[Many] = []

    def close() -> None:
        if group:
            run, items = group[0].run, [m.item for m in group]
            out.append(group[0] if len(group) == 1 else functools.partial(run, items))
            group.clear()

    for job in jobs:
        if isinstance(job, Many) and (not group or group[0].run == job.run):
            group.append(job)
            continue
        close()
        if isinstance(job, Many):
            group.append(job)
        else:
            out.append(job)
    close()
    return out


def _waiting(first: Job | None) -> list[Job | None]:
    jobs = [first]
    while first is not None:
        try:
            jobs.append(_jobs.get_nowait())
        except queue.Empty:
            break
        if jobs[-1] is None:
            break
    return jobs


def _run() -> None:
    while True:
        try:
            first = _jobs.get(timeout=IDLE_SECONDS)
        except queue.Empty:
            connections.close_all()  # idle: hold no connection (and no SQLite lock) between bursts
            continue
        time.sleep(GATHER_SECONDS)  # what other requests queue meanwhile comes along, and wakes nobody
        for job in _batches(_waiting(first)):
            if job is None:
                connections.close_all()
                return
            try:
                close_old_connections()  # kept across a burst (CONN_MAX_AGE), dropped when broken or old
                job()
            except Exception:  # the message stays due in the outbox; the tick retries it
                log.exception("background job failed")


def drain(timeout: float = 10.0) -> bool:
    """Wait until every job queued so far has run (tests, and process exit); True when they have. The one
    thread runs jobs in order, so a marker queued now runs after all of them."""
    if (_worker is None or not _worker.is_alive()) and _jobs.empty():
        return True  # nothing queued and no thread (none is started for nothing, e.g. at exit)
    done = threading.Event()
    _submit([done.set])
    return done.wait(timeout)


def release() -> bool:
    """Run what is queued, then close the thread's database connections (tests, before dropping a database)."""
    _submit([connections.close_all])
    return drain()


def install() -> None:
    request_started.connect(_request_started, dispatch_uid="zhenwu_background_started")
    request_finished.connect(_request_finished, dispatch_uid="zhenwu_background_finished")
    atexit.register(drain, 5.0)  # a clean stop finishes what it can; the tick delivers the rest
