"""`zhenwu calendar seed | import FILE.csv | add-workdays DATE N | years`."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhenwu.casework.selectors import calendar_years
from zhenwu.casework.services import calendar_import, calendar_seed
from zhenwu.casework.workcal import calendar_current
from zhenwu.errors import FieldError


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # fast and independent of URL config
    help = "Working-day calendar: seed from chinesecalendar, import a year's CSV, add working days."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("seed", help="load 2004–2026 from chinesecalendar (idempotent)")
        imp = sub.add_parser("import", help="import a CSV with columns date,kind,name")
        imp.add_argument("file", type=Path)
        add = sub.add_parser("add-workdays", help="DATE + N working days (start day not counted)")
        add.add_argument("date")
        add.add_argument("days", type=int)
        sub.add_parser("years", help="list the confirmed years")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["sub"].replace("-", "_"))(**options)

    def _seed(self, **options: Any) -> None:
        self.stdout.write(f"seeded {calendar_seed()} years")

    def _import(self, *, file: Path, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc},
                               returncode=2) from exc
        try:
            result = calendar_import(text=text)
        except FieldError as exc:
            raise CommandError(_("Nothing imported:") + "\n" + "\n".join(
                str(m) for _f, m in exc.errors), returncode=2) from exc
        self.stdout.write(_("Imported %(days)d days for %(years)s.") % {
            "days": result.days, "years": ", ".join(map(str, result.years))})

    def _add_workdays(self, *, date: str, days: int, **options: Any) -> None:
        try:
            start = dt.date.fromisoformat(date)
        except ValueError as exc:
            raise CommandError(_("DATE: enter a date as YYYY-MM-DD, e.g. 2025-09-30."), returncode=2) from exc
        if not 0 <= days <= 3660:
            raise CommandError(_("N: enter a whole number of working days from 0 to 3660."), returncode=2)
        result = calendar_current().add_workdays(start, days)
        self.stdout.write(result.date.isoformat() + ("" if result.confirmed else " unconfirmed"))

    def _years(self, **options: Any) -> None:
        for row in calendar_years():
            self.stdout.write(f"{row['year']} {row['source']} {row['days']} days")
