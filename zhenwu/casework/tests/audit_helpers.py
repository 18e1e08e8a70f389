"""What a database writer does behind the application's back, for the audit tamper tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from zhenwu.casework.models import AuditEntry
from zhenwu.casework.services import audit_maintenance
from zhenwu.casework.services.audit import entry_hash

WRITER = "test: a database writer who can lift the trigger"


def rewrite_and_rehash(subject: str, seq: int, **changes: Any) -> None:
    """Change entry ``seq`` and recompute its hash and every later one with the documented recipe."""
    entries = list(AuditEntry.objects.filter(subject=subject, seq__gte=seq).order_by("seq"))
    prev = entries[0].prev_hash
    for e in entries:
        if e.seq == seq:
            for name, value in changes.items():
                setattr(e, name, value)
        e.prev_hash = prev
        e.hash = prev = entry_hash(e)
    with audit_maintenance(reason=WRITER):
        AuditEntry.objects.bulk_update(entries, [*changes, "prev_hash", "hash"])


def delete_entries(**lookup: Any) -> None:
    with audit_maintenance(reason=WRITER):
        AuditEntry.objects.filter(**lookup).delete()


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``zhenwu audit verify``."""
    try:
        call_command("audit", "verify", *args)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err
