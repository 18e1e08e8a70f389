"""`zhenwu grid_points [--month YYYY-MM]`: recompute the grid workers' points of a month (default: this one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenwu.errors import FieldError
from zhenwu.grid.selectors_scoring import month_clean
from zhenwu.grid.services.points import points_recompute


class Command(BaseCommand):
    help = "Recompute the grid workers' points of a month from the incidents, visits and patrols (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", default="", help="YYYY-MM (default: the current month)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = month_clean(options["month"])
        except FieldError as exc:
            raise CommandError(str(exc)) from exc
        changed = points_recompute(month=month)
        self.stdout.write(f"month={month:%Y-%m} changed={changed}")
