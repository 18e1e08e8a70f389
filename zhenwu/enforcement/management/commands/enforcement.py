"""``zhenwu enforcement load-powers``: load the demo town's power list (权责清单); safe to run again.

``zhenwu enforcement verify-draw PLAN``: recompute a random-inspection plan's announcement hash, seed and draw
from its frozen inputs and compare them with the stored targets and inspectors; exit status 1 on a mismatch.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = ("一队执法: load-powers (the demo power list; an unchanged power is left as it is); "
            "verify-draw PLAN (recompute a random-inspection draw and compare it with the stored one).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load-powers", "verify-draw"])
        parser.add_argument("plan", nargs="?", help="verify-draw: the plan number, e.g. SJ-321181102-2026-001")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify-draw":
            self.verify(options.get("plan") or "")
            return
        from zhenwu.enforcement import powers_data
        from zhenwu.enforcement.services.powers import powers_load

        written, unchanged = powers_load(powers_data.drafts())
        self.stdout.write(f"powers: {written} written, {unchanged} unchanged")

    def verify(self, number: str) -> None:
        from zhenwu.enforcement.models_inspection import InspectionPlan
        from zhenwu.enforcement.services.inspections import plan_verify

        plan = InspectionPlan.objects.filter(number=number).first()
        if plan is None:
            raise CommandError(f"no random-inspection plan {number!r}")
        problems = plan_verify(plan)
        if problems:
            for p in problems:
                self.stderr.write(f"MISMATCH {p}")
            raise CommandError(f"{plan.number}: the stored draw does not match its inputs", returncode=1)
        self.stdout.write(f"{plan.number}: announcement {plan.announcement_hash}, seed {plan.seed}, "
                          f"{plan.targets.count()} targets — the stored draw matches its inputs")
