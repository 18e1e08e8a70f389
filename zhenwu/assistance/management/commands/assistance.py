"""``zhenwu assistance seed-rules --town CODE [--effective-from YYYY-MM-DD]``: publish the seed rule set
(``settings.ASSISTANCE_SEED_RULE_SET``) as the town's first version; safe to run again (a town that has rules keeps
them, and the command says which version it kept).

Without ``--effective-from`` the rules take effect on 1 January of the current year. The date must be the first day
of a rule period (``ASSISTANCE_RULE_PERIOD_MONTHS``). Exit status 2 on bad input (an unknown town, a bad date).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhenwu.errors import FieldError, render


class Command(BaseCommand):
    help = ("社会救助: seed-rules --town CODE [--effective-from YYYY-MM-DD] (publish the seed rule set as the town's "
            "first version; a town that has rules keeps them).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["seed-rules"])
        parser.add_argument("--town", dest="town", required=True, help="the town's area code, e.g. 321181102")
        parser.add_argument("--effective-from", dest="effective_from", default="",
                            help="the first day the rules apply (default: 1 January of this year)")

    def handle(self, *args: Any, **options: Any) -> None:
        from zhenwu.areas.choices import AreaLevel
        from zhenwu.areas.models import Area
        from zhenwu.assistance.models import RuleSet
        from zhenwu.assistance.services.rules import rules_seed, today

        town = str(options["town"] or "").strip()
        day = _date(options.get("effective_from") or "") or dt.date(today().year, 1, 1)
        if not Area.objects.filter(code=town, level=AreaLevel.TOWN).exists():
            raise CommandError(f"--town: no town with the area code {town!r}", returncode=2)
        existing = RuleSet.objects.filter(town_code=town).order_by("version").first()
        if existing is not None:
            latest = RuleSet.objects.filter(town_code=town).order_by("-version").first()
            assert latest is not None
            self.stdout.write(f"town {town}: rules exist already (version {latest.version}, in force from "
                              f"{latest.effective_from}); nothing published")
            return
        try:
            rule_set = rules_seed(town_code=town, effective_from=day)
        except FieldError as exc:
            lines = [f"{_option(field)}: {render(message, 'en')}" for field, message in exc.errors]
            raise CommandError("\n".join(lines), returncode=2) from exc
        self.stdout.write(f"town {town}: seed rules published as version {rule_set.version}, in force from "
                          f"{rule_set.effective_from}")


def _date(raw: str) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--effective-from: {raw!r} is not a date (YYYY-MM-DD)", returncode=2) from None


def _option(field: str | None) -> str:
    """Where a fault lies: the date given, or the seed rule set of the settings (a bad environment value)."""
    if field in (None, "effective_from"):
        return "--effective-from"
    return f"settings.ASSISTANCE_SEED_RULE_SET[{field}]"
