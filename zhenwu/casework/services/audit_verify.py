"""``audit verify``: every chain's links and hashes, the checkpoints, and each live case against its chain.

Three kinds of findings, each naming the subject and the entry:
- inside a chain: a link that does not follow (an entry missing or changed) or content that does not
  match its hash;
- against the checkpoints: a checkpointed head that now has another hash (an entry up to it was
  rewritten and the later hashes recomputed), that is gone (the tail was deleted), or a chain that is gone;
- a case whose live row disagrees with its chain: status, version or deadline changed by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings

from zhenwu.casework import signing
from zhenwu.casework.models import AuditEntry, Case
from zhenwu.casework.services.audit import (
    CHAINED_FIELDS,
    DEADLINE_FIELDS,
    GENESIS,
    AuditProblem,
    content_hash,
    deadline_snapshot,
)
from zhenwu.casework.services.checkpoints import (
    CheckpointRecord,
    Replay,
    checkpoints_replay,
    records_compare,
    records_from_db,
    records_from_file,
)

_COLUMNS = (*CHAINED_FIELDS, "created_at", "deadline", "hash", "id")
_N = len(CHAINED_FIELDS)


@dataclass(frozen=True)
class Link:
    """What verification keeps of one entry once its hash is checked."""

    seq: int
    id: int
    prev_hash: str
    hash: str
    content_ok: bool
    to_state: str
    deadline: dict[str, Any] | None


@dataclass
class VerifyResult:
    entries: int
    problems: list[AuditProblem]
    checkpoints: int
    latest: CheckpointRecord | None


def _links() -> Iterator[tuple[str, list[Link]]]:
    """Each chain in (subject, seq) order, every entry's hash recomputed on the way."""
    subject: str | None = None
    chain: list[Link] = []
    rows = AuditEntry.objects.order_by("subject", "seq").values_list(*_COLUMNS).iterator(chunk_size=5000)
    for row in rows:
        content = dict(zip(CHAINED_FIELDS, row[:_N], strict=True))
        created_at, deadline, stored, pk = row[_N:]
        if content["subject"] != subject and chain:
            yield subject or "", chain
            chain = []
        subject = content["subject"]
        chain.append(Link(content["seq"], pk, content["prev_hash"], stored,
                          content_hash(content, created_at, deadline) == stored, content["to_state"], deadline))
    if chain:
        yield subject or "", chain


def _check_links(subject: str, chain: list[Link]) -> AuditProblem | None:
    prev = GENESIS
    for expected, e in enumerate(chain, start=1):
        if e.seq != expected or e.prev_hash != prev:
            return AuditProblem(subject, e.seq, e.id, "an earlier entry is missing or was changed")
        if not e.content_ok:
            return AuditProblem(subject, e.seq, e.id, "content does not match its hash")
        prev = e.hash
    return None


def _check_against_checkpoints(subject: str, chain: list[Link], replay: Replay) -> AuditProblem | None:
    by_seq = {e.seq: e for e in chain}
    good = 0
    for seq, digest, number in replay.recorded.get(subject, ()):
        link = by_seq.get(seq)
        if link is None:
            return AuditProblem(subject, seq, None,
                                f"deleted after checkpoint #{number}, which recorded the chain up to entry "
                                f"#{seq}; the chain now ends at entry #{chain[-1].seq}")
        if link.hash != digest:
            return AuditProblem(subject, seq, link.id,
                                f"changed after checkpoint #{number}: one of entries #{good + 1}–#{seq} was "
                                "rewritten and the later hashes recomputed")
        good = seq
    return None


def _check_case(number: str, live: dict[str, Any], chain: list[Link]) -> list[AuditProblem]:
    """The live case against its chain: version = number of state changes, status = the last change's
    target, deadline = what the last entry recorded (entries from before deadlines were chained have none)."""
    problems = []
    changes = [e for e in chain if e.to_state]
    if live["version"] != len(changes):
        why = "entries deleted, or the version changed by hand" if live["version"] > len(changes) \
            else "the version changed by hand"
        problems.append(AuditProblem(number, (changes[-1].seq if changes else 0), None,
                                     f"version mismatch: the case is at version {live['version']} but its "
                                     f"chain has {len(changes)} state changes ({why})"))
    if changes and live["status"] != changes[-1].to_state:
        problems.append(AuditProblem(number, changes[-1].seq, changes[-1].id,
                                     f"status mismatch: the case is '{live['status']}' but its last change leads "
                                     f"to '{changes[-1].to_state}' (changed outside transition())"))
    recorded = next((e for e in reversed(chain) if e.deadline is not None), None)
    if recorded is not None and recorded.deadline is not None:
        now = deadline_snapshot(live)
        diffs = [f"{name} is {now[name]!r}, the chain recorded {recorded.deadline.get(name)!r}"
                 for name in DEADLINE_FIELDS if now[name] != recorded.deadline.get(name)]
        if diffs:
            problems.append(AuditProblem(number, recorded.seq, recorded.id,
                                         "deadline mismatch: " + "; ".join(diffs)))
    return problems


def _live_cases() -> dict[str, dict[str, Any]]:
    names = ("number", "status", "version", *DEADLINE_FIELDS)
    return {row[0]: dict(zip(names, row, strict=True)) for row in Case.objects.values_list(*names).iterator()}


def _checkpoint_source(records: list[CheckpointRecord] | None,
                       key: Ed25519PublicKey | None) -> tuple[Replay, int]:
    problems: list[AuditProblem] = []
    if records is None:  # the database's checkpoints, cross-checked with the local file when there is one
        records = records_from_db()
        path = Path(settings.AUDIT_CHECKPOINT_FILE)
        if path.exists():
            in_file, problems = records_from_file(path)
            problems += records_compare(records, in_file, path.name)
            if len(in_file) > len(records):  # rows deleted in the database: the file still holds the heads
                records = in_file
        elif records:
            problems.append(AuditProblem("checkpoints", 0, None, f"the checkpoint file {path} is missing"))
        key = key or signing.public_key_current()
    replay = checkpoints_replay(records, key) if records else Replay()
    replay.problems[:0] = problems
    return replay, len(records)


def audit_verify_full(*, records: list[CheckpointRecord] | None = None,
                      public_key: Ed25519PublicKey | None = None) -> VerifyResult:
    """Verify against ``records`` (e.g. a copied checkpoint file) and ``public_key``, or by default
    against the database's checkpoints and the configured key."""
    replay, n_checkpoints = _checkpoint_source(records, public_key)
    problems = list(replay.problems)
    cases, seen, count = _live_cases(), set(), 0
    for subject, chain in _links():
        count += len(chain)
        seen.add(subject)
        for found in (_check_links(subject, chain), _check_against_checkpoints(subject, chain, replay)):
            if found:
                problems.append(found)
        if subject in cases:
            problems += _check_case(subject, cases[subject], chain)
    for subject in sorted(set(replay.recorded) - seen):
        seq, _digest, number = replay.recorded[subject][-1]
        problems.append(AuditProblem(subject, seq, None,
                                     f"chain missing: checkpoint #{number} recorded it up to entry #{seq}"))
    for case_number in sorted(set(cases) - seen - set(replay.recorded)):
        problems.append(AuditProblem(case_number, 1, None, "case has no audit entries (entries deleted)"))
    return VerifyResult(count, problems, n_checkpoints, replay.last)


def audit_verify() -> tuple[int, list[AuditProblem]]:
    """Re-walk every chain against the database's checkpoints: (entries checked, problems found)."""
    result = audit_verify_full()
    return result.entries, result.problems


def checkpoint_file_records(path: Path) -> tuple[list[CheckpointRecord], list[AuditProblem]]:
    return records_from_file(path)
