"""``zhenwu enforcement load-powers``: load the demo town's power list (权责清单); safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "一队执法: load-powers (the demo power list; an unchanged power is left as it is)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load-powers"])

    def handle(self, *args: Any, **options: Any) -> None:
        from zhenwu.enforcement import powers_data
        from zhenwu.enforcement.services.powers import powers_load

        written, unchanged = powers_load(powers_data.drafts())
        self.stdout.write(f"powers: {written} written, {unchanged} unchanged")
