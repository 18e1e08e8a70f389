"""`zhenwu tick`: run the periodic work once (what the Celery beat task runs every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhenwu.casework.services import tick


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # fast and independent of URL config
    help = "Deliver due notifications and refresh deadline lights."

    def handle(self, *args: Any, **options: Any) -> None:
        done = tick()
        self.stdout.write(" ".join(f"{k}={v}" for k, v in done.items()))
