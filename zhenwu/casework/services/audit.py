"""The audit chain: one hash-linked, append-only chain of entries per subject.

Each entry holds the SHA-256 of the previous entry of the same subject and of its own content.
Writers never take a global lock: the next ``seq`` is read, the row inserted, and a unique
(subject, seq) collision with a concurrent writer is retried inside a savepoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.casework.models import AuditEntry, Case
from zhenwu.querycache import insert, insert_together

GENESIS = "0" * 64
RETRIES = 20
CHAINED_FIELDS = ("subject", "seq", "actor_id", "actor_name", "action", "from_state", "to_state", "reason",
                  "attachments", "request_id", "data", "prev_hash")


# What defines a case's deadline; each case entry records them as they stand after its step (``light`` is
# left out: the periodic tick recolours it without a transition).
DEADLINE_FIELDS = ("deadline_unit", "deadline_limit", "deadline_started_at", "deadline_due_at",
                   "deadline_stopped_at", "paused_at", "paused_total")


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the entry's canonical JSON (every chained field, the timestamp, and the deadline
    when the entry records one — entries written before the chain covered deadlines have none, so
    their hash is unchanged)."""
    return content_hash({name: getattr(entry, name) for name in CHAINED_FIELDS}, entry.created_at,
                        entry.deadline)


def content_hash(content: dict[str, Any], created_at: dt.datetime, deadline: dict[str, Any] | None) -> str:
    content["created_at"] = created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if deadline is not None:
        content["deadline"] = deadline
    raw = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def deadline_snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    """The deadline fields of a case (a row's values or a ``Case``'s attributes) as canonical JSON."""
    out: dict[str, Any] = {}
    for name in DEADLINE_FIELDS:
        value = values[name]
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        elif isinstance(value, dt.timedelta):
            value = value // dt.timedelta(microseconds=1)
        out[name] = value
    return out


def case_deadline_snapshot(case: Case) -> dict[str, Any]:
    return deadline_snapshot({name: getattr(case, name) for name in DEADLINE_FIELDS})


@contextmanager
def audit_maintenance(*, reason: str) -> Iterator[None]:
    """Lift PostgreSQL's append-only trigger on the audit tables for this transaction only.

    For deliberate, visible deletions such as the demo reset; ``reason`` says why in the code that calls
    it. Deleted entries that a checkpoint recorded are still reported by ``audit verify``.
    """
    assert reason
    on_pg = connection.vendor == "postgresql"
    with transaction.atomic():
        if on_pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('zhenwu.audit_maintenance', 'on', true)")
        yield  # on an exception the block's rollback (transaction or savepoint) undoes the setting too
        if on_pg:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('zhenwu.audit_maintenance', 'off', true)")


def _next_link(subject: str) -> tuple[int, str]:
    last = AuditEntry.objects.filter(subject=subject).order_by("-seq").values_list("seq", "hash").first()
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


def audit_record(*, subject: str, actor: User | None, action: str, reason: str = "", from_state: str = "",
                 to_state: str = "", attachments: Iterable[str] = (), request_id: str = "",
                 data: dict[str, Any] | None = None, case: Case | None = None,
                 case_locked: bool = False, new_chain: bool = False, write_case: bool = False) -> AuditEntry:
    """Append an entry to ``subject``'s chain (a case number, or e.g. "registry.resident:42").

    Other apps call it for sensitive reads (viewing a full ID number, …); ``transition()`` calls it
    for every state change. Runs in the caller's transaction.

    A case's chain is always extended under the case's row lock, so its entries need no savepoint and no
    retry: ``transition()`` already holds the lock from its compare-and-set UPDATE and passes
    ``case_locked=True``; other callers take it here. ``new_chain`` (with ``case_locked``): the case was
    just created in this transaction, so its chain is empty and is not read back. Other subjects have no
    row to lock and retry on a unique (subject, seq) conflict instead. ``write_case`` (with ``new_chain``):
    the new case is not written yet, and is written with its first entry, in one statement where the database
    allows (``querycache.insert_together``).
    """
    entry = AuditEntry(subject=subject, case=case, actor=actor, actor_name=str(actor or "")[:150],
                       action=action, from_state=from_state, to_state=to_state, reason=reason,
                       attachments=list(attachments), request_id=request_id[:64],
                       data=json.loads(json.dumps(data, default=str)) if data is not None else None)
    if case is not None:
        with transaction.atomic(savepoint=False):
            if case_locked:
                entry.deadline = case_deadline_snapshot(case)
            else:  # the stored clock, not the caller's possibly stale copy
                row = Case.objects.select_for_update().filter(pk=case.pk).values(*DEADLINE_FIELDS).first()
                entry.deadline = deadline_snapshot(row) if row else None
            first = new_chain and case_locked
            return _append(entry, subject, first=first, together=case if first and write_case else None)
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                return _append(entry, subject)
        except IntegrityError:
            entry.pk = None
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _append(entry: AuditEntry, subject: str, first: bool = False, together: Case | None = None) -> AuditEntry:
    entry.seq, entry.prev_hash = (1, GENESIS) if first else _next_link(subject)
    entry.created_at = timezone.now()
    entry.hash = entry_hash(entry)
    if together is not None:
        insert_together(together, entry)  # the new case, then its first entry: one round trip
    else:
        insert(entry)  # its INSERT written once (zhenwu.querycache), as save(force_insert=True)
    return entry


@dataclass(frozen=True)
class AuditProblem:
    """One finding of ``audit verify``: a subject (a chain, or "checkpoint"), where, and what."""

    subject: str
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        if not self.seq and not self.entry_id:
            return f"{self.subject}: {self.problem}"
        where = f"entry #{self.seq}" + (f" (id {self.entry_id})" if self.entry_id else "")
        return f"{self.subject}: {where}: {self.problem}"
