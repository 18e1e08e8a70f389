"""`zhenwu demo [--seed N] [--towns N] [--scale S] [--reset] [--force]`: build the demo county, print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from zhenwu.demo import names
from zhenwu.demo.people import DemoLogin
from zhenwu.demo.services import ForeignData, build_county, demo_database_check, demo_reset
from zhenwu.errors import FieldError

REFUSED = 3  # exit code: the database holds data the demo did not make (2: bad input)


class Command(BaseCommand):
    help = "Build the demo town (or a county of demo towns) with grids, departments and demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1,
                            help="Random seed; the same seed always builds the same geometry and names.")
        parser.add_argument("--towns", type=int, default=1,
                            help=f"Number of towns in the county (1–{names.MAX_TOWNS}).")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Share of the full town's base data to build (0 < scale ≤ 1; default 1).")
        parser.add_argument("--reset", action="store_true",
                            help="Delete the demo accounts, departments and areas first.")
        parser.add_argument("--force", action="store_true",
                            help="Build even though the database holds data the demo did not make (never on a "
                                 "real database).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            demo_database_check(force=options["force"])
        except ForeignData as exc:
            raise CommandError(f"{exc.text('zh-hans')}\n{exc.text('en')}", returncode=REFUSED) from exc
        try:
            with transaction.atomic():  # a failed build does not leave a reset database behind
                if options["reset"]:
                    demo_reset(log=self.say)
                result = build_county(seed=options["seed"], towns=options["towns"], scale=options["scale"],
                                      log=self.say)
        except FieldError as exc:
            raise CommandError(exc.text(), returncode=2) from exc
        self.say(_("Demo logins written to %(path)s") % {"path": result.logins_path})
        self.stdout.write(format_logins(result.logins))
        if options["towns"] > 1:
            self.say(_("Other towns: the same usernames prefixed with t<town number>_, e.g. t103_clerk."))

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def format_logins(logins: list[DemoLogin]) -> str:
    """A plain text table with aligned columns: username, password, role, mobile, scope."""
    head = (_("Username"), _("Password"), _("Role"), _("Mobile"), _("Scope"))
    rows = [head, *((lg.username, lg.password, lg.role_label, lg.mobile, lg.scope) for lg in logins)]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head) - 1)]
    return "\n".join("  ".join([*(_pad(c, w) for c, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
                     for row in rows)


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
