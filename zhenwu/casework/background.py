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
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

log = logging.getLogger("zhenwu.background")
Job = Callable[[], object]

_pending: ContextVar[list[Job] | None] = ContextVar("zhenwu_background_pending", default=None)
_jobs: queue.Queue[Job | None] = queue.Queue()
_worker: threading.Thread | None = None
_worker_lock = threading.Lock()


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


IDLE_SECONDS = 2.0  # a thread idle this long gives its database connection back


def _run() -> None:
    while True:
        try:
            job = _jobs.get(timeout=IDLE_SECONDS)
        except queue.Empty:
            connections.close_all()  # idle: hold no connection (and no SQLite lock) between bursts
            continue
        try:
            if job is None:
                connections.close_all()
                return
            close_old_connections()  # kept across a burst (CONN_MAX_AGE), dropped when broken or old
            job()
        except Exception:  # the message stays due in the outbox; the tick retries it
            log.exception("background job failed")
        finally:
            _jobs.task_done()


def drain(timeout: float = 10.0) -> bool:
    """Wait until every queued job has run (tests, and process exit); True when the queue emptied."""
    done = threading.Event()

    def waiter() -> None:
        _jobs.join()
        done.set()

    threading.Thread(target=waiter, daemon=True).start()
    return done.wait(timeout)


def release() -> bool:
    """Run what is queued, then close the thread's database connections (tests, before dropping a database)."""
    _submit([connections.close_all])
    return drain()


def install() -> None:
    request_started.connect(_request_started, dispatch_uid="zhenwu_background_started")
    request_finished.connect(_request_finished, dispatch_uid="zhenwu_background_finished")
    atexit.register(drain, 5.0)  # a clean stop finishes what it can; the tick delivers the rest
