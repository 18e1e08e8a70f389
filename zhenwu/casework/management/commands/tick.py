"""`zhenwu tick`: run the periodic work once (what the Celery beat task runs every minute).

``--every SECONDS`` runs it again and again (what ``zhenwu serve --demo`` starts beside the server, so a demo
town's lights, reminders, escalations and points move without cron or Celery); it stops when its parent
process is gone, on SIGTERM, or after ``--times`` runs. A failed run is reported and the next one still comes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from zhenwu.casework.services import tick


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # fast and independent of URL config
    help = "Deliver due notifications and refresh deadline lights (once, or --every SECONDS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=0,
                            help="Run again every SECONDS until stopped (0: once).")
        parser.add_argument("--times", type=int, default=0, help="With --every: stop after N runs (0: no limit).")

    def handle(self, *args: Any, **options: Any) -> None:
        every, times = options["every"], options["times"]
        if every < 0 or times < 0:
            raise CommandError("--every and --times: not negative", returncode=2)
        if not every:
            self._once()
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        parent, runs = os.getppid(), 0
        while not stop.is_set() and os.getppid() == parent:
            close_old_connections()
            try:
                self._once()
            except Exception as exc:  # noqa: BLE001 — a failed run must not end the loop; the next one retries
                self.stderr.write(f"tick failed: {type(exc).__name__}: {exc}")
            runs += 1
            if times and runs >= times:
                break
            next_run = time.monotonic() + every
            while not stop.is_set() and os.getppid() == parent and (left := next_run - time.monotonic()) > 0:
                stop.wait(min(left, 1.0))  # a second at most between looks at the parent

    def _once(self) -> None:
        done = tick()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in done.items()))
        self.stdout.flush()
