"""`zhenwu audit verify | checkpoint | keygen | public-key`: the audit chain and its signed checkpoints.

``verify`` exits 1 naming every broken chain, every chain changed after its checkpoint and every case
whose row disagrees with its chain. ``verify --checkpoints FILE --public-key FILE`` checks against a
copied checkpoint file with the public key only (no private key needed).
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhenwu.casework import signing
from zhenwu.casework.services import audit_checkpoint, audit_verify_full
from zhenwu.casework.services.audit import AuditProblem
from zhenwu.casework.services.checkpoints import records_from_file


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # fast and independent of URL config
    help = "Audit chain tools."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        verify = sub.add_parser("verify", help="check every chain's hashes and links, against the checkpoints")
        verify.add_argument("--checkpoints", type=Path, help="a checkpoint file (JSON lines) instead of the "
                                                             "database's checkpoints")
        verify.add_argument("--public-key", type=Path, help="the public key (PEM) that signed the checkpoints")
        sub.add_parser("checkpoint", help="sign every chain's head now (database + checkpoint file)")
        sub.add_parser("keygen", help="create the checkpoint signing key (refuses to overwrite one)")
        sub.add_parser("public-key", help="print the checkpoint key's public half (PEM)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["sub"].replace("-", "_"))(options)
        except signing.KeyProblem as exc:
            raise CommandError(str(exc)) from exc

    def _keygen(self, options: dict[str, Any]) -> None:
        key = signing.key_generate()
        self.stdout.write(f"created {signing.key_path()} (mode 0600), fingerprint "
                          f"{signing.fingerprint(key.public_key())}\nback it up off this machine")

    def _public_key(self, options: dict[str, Any]) -> None:
        key = signing.public_key_current()
        if key is None:
            raise signing.KeyProblem(f"no checkpoint key at {signing.key_path()}: run `zhenwu audit keygen`")
        self.stdout.write(signing.public_pem(key), ending="")

    def _checkpoint(self, options: dict[str, Any]) -> None:
        row, problems = audit_checkpoint()
        for problem in problems:
            self.stderr.write(f"WARNING {problem}")
        self.stdout.write(f"checkpoint #{row.number}: {row.chains} chains, {len(row.heads)} heads moved, "
                          f"root {row.merkle_root}")

    def _verify(self, options: dict[str, Any]) -> None:
        records = key = None
        if options["public_key"]:
            key = signing.public_key_load(options["public_key"])
        file_problems: list[AuditProblem] = []
        if options["checkpoints"]:
            if not options["public_key"]:
                raise CommandError("--checkpoints needs --public-key (the key that signed them)")
            records, file_problems = records_from_file(options["checkpoints"])
        result = audit_verify_full(records=records, public_key=key)
        problems = file_problems + result.problems
        if not problems:
            latest = f" against {result.checkpoints} checkpoints (latest #{result.latest.number}, " \
                     f"{result.latest.created_at})" if result.latest else ""
            self.stdout.write(f"verified {result.entries} entries{latest}")
            if not result.latest:
                self.stderr.write("no checkpoints yet: run `zhenwu audit checkpoint` (daily with Celery beat)")
            return
        for problem in problems:
            self.stderr.write(f"BROKEN {problem}")
        self.stderr.write(f"{len(problems)} problem(s) among {result.entries} entries")
        sys.exit(1)
