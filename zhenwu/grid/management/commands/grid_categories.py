"""`zhenwu grid_categories`: load (or bring up to date) the built-in 部件/事件 categories."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhenwu.grid.services.categories import categories_load


class Command(BaseCommand):
    help = "Load the built-in grid incident categories; a changed category gets a new version."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = categories_load()
        self.stdout.write(f"categories={len(loaded)}")
