"""`zhenwu audit verify`: re-walk every audit chain; exit 1 naming the first bad entry of each."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from zhenwu.casework.services import audit_verify


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # fast and independent of URL config
    help = "Audit chain tools."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help="check every chain's hashes and links")

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems = audit_verify()
        if not problems:
            self.stdout.write(f"verified {count} entries")
            return
        for problem in problems:
            self.stderr.write(f"BROKEN {problem}")
        self.stderr.write(f"{len(problems)} broken chain(s) among {count} entries")
        sys.exit(1)
