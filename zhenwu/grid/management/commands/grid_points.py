"""`zhenwu grid_points [--month YYYY-MM] [--last N]`: recompute the grid workers' points of a month (default:
this one), or of the N months up to it (after loading a year of demo data: ``--last 12``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenwu.errors import FieldError
from zhenwu.grid.selectors_scoring import month_clean
from zhenwu.grid.services.points import points_recompute


class Command(BaseCommand):
    help = "Recompute the grid workers' points of a month from the incidents, visits and patrols (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM (default: the current month)")
        parser.add_argument("--last", type=int, default=1, help="this many months up to --month (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = month_clean(options["month"])
        except FieldError as exc:
            raise CommandError(str(exc)) from exc
        if not 1 <= options["last"] <= 120:
            raise CommandError("--last: 1 to 120 months")
        for _ in range(options["last"]):
            changed = points_recompute(month=month)
            self.stdout.write(f"month={month:%Y-%m} changed={changed}")
            month = (month - dt.timedelta(days=1)).replace(day=1)
