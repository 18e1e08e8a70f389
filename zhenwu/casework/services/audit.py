"""The audit chain: one hash-linked, append-only chain of entries per subject.

Each entry holds the SHA-256 of the previous entry of the same subject and of its own content.
Writers never take a global lock: the next ``seq`` is read, the row inserted, and a unique
(subject, seq) collision with a concurrent writer is retried inside a savepoint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.casework.models import AuditEntry, Case

GENESIS = "0" * 64
RETRIES = 20
CHAINED_FIELDS = ("subject", "seq", "actor_id", "actor_name", "action", "from_state", "to_state", "reason",
                  "attachments", "request_id", "data", "prev_hash")


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 over the entry's canonical JSON (every chained field and the timestamp)."""
    content = {name: getattr(entry, name) for name in CHAINED_FIELDS}
    content["created_at"] = entry.created_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    raw = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def _next_link(subject: str) -> tuple[int, str]:
    last = AuditEntry.objects.filter(subject=subject).order_by("-seq").values_list("seq", "hash").first()
    return (last[0] + 1, last[1]) if last else (1, GENESIS)


def audit_record(*, subject: str, actor: User | None, action: str, reason: str = "", from_state: str = "",
                 to_state: str = "", attachments: Iterable[str] = (), request_id: str = "",
                 data: dict[str, Any] | None = None, case: Case | None = None,
                 case_locked: bool = False) -> AuditEntry:
    """Append an entry to ``subject``'s chain (a case number, or e.g. "registry.resident:42").

    Other apps call it for sensitive reads (viewing a full ID number, …); ``transition()`` calls it
    for every state change. Runs in the caller's transaction.

    A case's chain is always extended under the case's row lock, so its entries need no savepoint and no
    retry: ``transition()`` already holds the lock from its compare-and-set UPDATE and passes
    ``case_locked=True``; other callers take it here. Other subjects have no row to lock and retry on a
    unique (subject, seq) conflict instead.
    """
    entry = AuditEntry(subject=subject, case=case, actor=actor, actor_name=str(actor or "")[:150],
                       action=action, from_state=from_state, to_state=to_state, reason=reason,
                       attachments=list(attachments), request_id=request_id[:64],
                       data=json.loads(json.dumps(data, default=str)) if data is not None else None)
    if case is not None:
        with transaction.atomic(savepoint=False):
            if not case_locked:
                list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))
            return _append(entry, subject)
    for attempt in range(RETRIES):
        try:
            with transaction.atomic():
                return _append(entry, subject)
        except IntegrityError:
            entry.pk = None
            if attempt == RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _append(entry: AuditEntry, subject: str) -> AuditEntry:
    entry.seq, entry.prev_hash = _next_link(subject)
    entry.created_at = timezone.now()
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class AuditProblem:
    subject: str
    seq: int
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"entry #{self.seq}" + (f" (id {self.entry_id})" if self.entry_id else "")
        return f"{self.subject}: {where}: {self.problem}"


def _walk(entries: Iterator[AuditEntry]) -> Iterator[tuple[str, list[AuditEntry]]]:
    subject: str | None = None
    chain: list[AuditEntry] = []
    for e in entries:
        if e.subject != subject and chain:
            yield subject or "", chain
            chain = []
        subject = e.subject
        chain.append(e)
    if chain:
        yield subject or "", chain


def _check_chain(subject: str, chain: list[AuditEntry]) -> AuditProblem | None:
    prev = GENESIS
    for expected, e in enumerate(chain, start=1):
        if e.seq != expected or e.prev_hash != prev:
            return AuditProblem(subject, e.seq, e.pk, "an earlier entry is missing or was changed")
        if entry_hash(e) != e.hash:
            return AuditProblem(subject, e.seq, e.pk, "content does not match its hash")
        prev = e.hash
    return None


def _check_case_head(case: Case, chain: list[AuditEntry]) -> AuditProblem | None:
    """A case's version counts its create/transition entries, so a deleted tail is noticed too."""
    changes = [e for e in chain if e.to_state]
    if len(changes) != case.version or (changes and changes[-1].to_state != case.status):
        seq = (changes[-1].seq + 1) if changes else 1
        return AuditProblem(case.number, seq, None,
                            f"case is at version {case.version} but the chain has {len(changes)} changes "
                            "(entries deleted)")
    return None


def audit_verify() -> tuple[int, list[AuditProblem]]:
    """Re-walk every chain: (entries checked, first problem of each broken chain)."""
    problems: list[AuditProblem] = []
    count = 0
    seen: set[str] = set()
    cases = {c.number: c for c in Case.objects.only("number", "version", "status")}
    for subject, chain in _walk(AuditEntry.objects.order_by("subject", "seq").iterator(chunk_size=2000)):
        count += len(chain)
        seen.add(subject)
        problem = _check_chain(subject, chain)
        if problem is None and subject in cases:
            problem = _check_case_head(cases[subject], chain)
        if problem:
            problems.append(problem)
    for number in sorted(set(cases) - seen):
        problems.append(AuditProblem(number, 1, None, "case has no audit entries (entries deleted)"))
    return count, problems
