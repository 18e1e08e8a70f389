"""Audit checkpoints (审计锚点): a signed Merkle root over the head of every audit chain.

A database writer can rewrite an entry and recompute every later hash, or delete a chain's tail; the
chain alone cannot tell. A checkpoint fixes each chain's head (subject, seq, hash) at one moment and is
signed with an Ed25519 key that is not in the database (``zhenwu.casework.signing``), then stored twice:
as an ``AuditCheckpoint`` row and as one line of an append-only JSON-lines file meant to be copied off
the machine. ``audit_verify`` replays the checkpoints and names every chain whose checkpointed head
changed or vanished since.

A checkpoint stores only the heads that moved since the previous one (new chains, longer chains), so
its size follows the day's activity, not the number of chains; each is bound to its predecessor by the
previous checkpoint's digest, so a removed or altered checkpoint breaks the sequence. A head that went
backwards or changed in place is never taken into a later checkpoint: checkpoints never make a
tampered chain look right.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from zhenwu.casework import signing
from zhenwu.casework.models import AuditCheckpoint, AuditEntry
from zhenwu.casework.services.audit import GENESIS, AuditProblem

Head = tuple[str, int, str]
FORMAT = 1
_HEADS_SQL = ("SELECT a.subject, a.seq, a.hash FROM casework_auditentry a JOIN "
              "(SELECT subject, MAX(seq) AS top FROM casework_auditentry GROUP BY subject) h "
              "ON a.subject = h.subject AND a.seq = h.top")


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def merkle_root(heads: Iterable[Head]) -> str:
    """Root over the heads sorted by subject: leaf = H(0x00 ‖ JSON [subject, seq, hash]), node =
    H(0x01 ‖ left ‖ right), an odd node moves up unchanged; no heads → H("")."""
    level = [hashlib.sha256(b"\x00" + _canonical([s, q, h])).digest() for s, q, h in sorted(heads)]
    if not level:
        return hashlib.sha256(b"").hexdigest()
    while len(level) > 1:
        pairs = [hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        level = pairs + ([level[-1]] if len(level) % 2 else [])
    return level[0].hex()


def chain_heads() -> list[Head]:
    """(subject, seq, hash) of the last entry of every chain, as the database holds them now."""
    with connection.cursor() as cursor:
        cursor.execute(_HEADS_SQL)
        return [(s, int(q), h) for s, q, h in cursor.fetchall()]


@dataclass
class CheckpointRecord:
    """One checkpoint as signed: the same fields in the database row and in the file's line."""

    number: int
    created_at: str
    chains: int
    entries: int
    merkle_root: str
    prev_digest: str
    heads: list[list[Any]] = field(default_factory=list)
    signature: str = ""
    key_fingerprint: str = ""

    def payload(self) -> bytes:
        """The signed bytes: every field but the signature, the moved heads by their digest."""
        return _canonical({"format": FORMAT, "number": self.number, "created_at": self.created_at,
                           "chains": self.chains, "entries": self.entries, "merkle_root": self.merkle_root,
                           "prev_digest": self.prev_digest, "key_fingerprint": self.key_fingerprint,
                           "heads_digest": hashlib.sha256(_canonical(self.heads)).hexdigest()})

    def digest(self) -> str:
        return hashlib.sha256(self.payload() + bytes.fromhex(self.signature or "")).hexdigest()

    def line(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_row(cls, row: AuditCheckpoint) -> CheckpointRecord:
        return cls(number=row.number, created_at=_iso(row.created_at), chains=row.chains, entries=row.entries,
                   merkle_root=row.merkle_root, prev_digest=row.prev_digest, heads=row.heads,
                   signature=row.signature, key_fingerprint=row.key_fingerprint)

    @classmethod
    def from_line(cls, text: str) -> CheckpointRecord:
        data = json.loads(text)
        data.pop("format", None)
        return cls(**data)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def records_from_db() -> list[CheckpointRecord]:
    return [CheckpointRecord.from_row(r) for r in AuditCheckpoint.objects.order_by("number")]


def records_from_file(path: Path) -> tuple[list[CheckpointRecord], list[AuditProblem]]:
    """Every line of a checkpoint file; an unreadable line is a problem, not an exception."""
    records, problems = [], []
    with path.open(encoding="utf-8") as fh:
        for lineno, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                records.append(CheckpointRecord.from_line(text))
            except (ValueError, TypeError) as exc:
                problems.append(AuditProblem(f"{path.name} line {lineno}", 0, None, f"not a checkpoint ({exc})"))
    return records, problems


@dataclass
class Replay:
    """The checkpoints read in order: the head of every chain they fixed, and what was wrong with them."""

    state: dict[str, tuple[int, str]] = field(default_factory=dict)
    recorded: dict[str, list[tuple[int, str, int]]] = field(default_factory=lambda: defaultdict(list))
    problems: list[AuditProblem] = field(default_factory=list)
    last: CheckpointRecord | None = None


def checkpoints_replay(records: list[CheckpointRecord], key: Ed25519PublicKey | None) -> Replay:
    """Check numbering, the link to the previous checkpoint and each signature; accumulate the heads;
    check the last root against the accumulated heads."""
    out, prev, fp = Replay(), GENESIS, signing.fingerprint(key) if key else ""
    for expected, rec in enumerate(records, start=1):
        name = f"checkpoint #{rec.number}"
        if rec.number != expected:
            out.problems.append(AuditProblem(name, 0, None, f"checkpoint #{expected} is missing before it"))
        elif rec.prev_digest != prev:
            out.problems.append(AuditProblem(name, 0, None, "does not follow the previous checkpoint "
                                                            "(one was changed or removed)"))
        if key is None:
            out.problems.append(AuditProblem(name, 0, None, "no public key to check its signature"))
        elif rec.key_fingerprint != fp:
            out.problems.append(AuditProblem(name, 0, None, f"signed by another key ({rec.key_fingerprint[:16]}…)"))
        elif not signing.signature_valid(key, rec.signature, rec.payload()):
            out.problems.append(AuditProblem(name, 0, None, "signature does not match its content "
                                                            "(changed after signing)"))
        for subject, seq, digest in rec.heads:
            out.state[subject] = (int(seq), digest)
            out.recorded[subject].append((int(seq), digest, rec.number))
        prev, out.last = rec.digest(), rec
    if out.last is not None:
        root = merkle_root((s, q, h) for s, (q, h) in out.state.items())
        if root != out.last.merkle_root or len(out.state) != out.last.chains:
            out.problems.append(AuditProblem(f"checkpoint #{out.last.number}", 0, None,
                                             "its Merkle root does not match the heads the checkpoints hold"))
    return out


def records_compare(db: list[CheckpointRecord], file: list[CheckpointRecord], name: str) -> list[AuditProblem]:
    """The database's checkpoints and the file's must be the same records."""
    problems = []
    in_file = {r.number: r for r in file}
    in_db = {r.number: r for r in db}
    for number in sorted(set(in_file) | set(in_db)):
        a, b = in_db.get(number), in_file.get(number)
        where = f"checkpoint #{number}"
        if a is None:
            problems.append(AuditProblem(where, 0, None, f"is in {name} but not in the database (deleted there)"))
        elif b is None:
            problems.append(AuditProblem(where, 0, None, f"is in the database but not in {name}"))
        elif a.digest() != b.digest() or a.heads != b.heads:
            problems.append(AuditProblem(where, 0, None, f"differs between the database and {name}"))
    return problems


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


@transaction.atomic
def audit_checkpoint(*, now: dt.datetime | None = None) -> tuple[AuditCheckpoint, list[AuditProblem]]:
    """Sign the current head of every chain; store it in the database and append it to the file.

    Returns the checkpoint and any problem found in the earlier checkpoints (the new one is made
    regardless, linked to the last one). Heads that moved backwards or changed in place keep their
    earlier checkpointed value.
    """
    key = signing.private_key()
    public = key.public_key()
    records = records_from_db()
    replay = checkpoints_replay(records, public)
    moved: list[list[Any]] = []
    for subject, seq, digest in sorted(chain_heads()):
        known = replay.state.get(subject)
        if known is None or seq > known[0]:
            moved.append([subject, seq, digest])
            replay.state[subject] = (seq, digest)
    last = records[-1] if records else None
    rec = CheckpointRecord(number=(last.number + 1) if last else 1, created_at=_iso(now or timezone.now()),
                           chains=len(replay.state), entries=AuditEntry.objects.count(),
                           merkle_root=merkle_root((s, q, h) for s, (q, h) in replay.state.items()),
                           prev_digest=last.digest() if last else GENESIS, heads=moved,
                           key_fingerprint=signing.fingerprint(public))
    rec.signature = key.sign(rec.payload()).hex()
    row = AuditCheckpoint.objects.create(
        number=rec.number, created_at=dt.datetime.fromisoformat(rec.created_at), chains=rec.chains,
        entries=rec.entries, merkle_root=rec.merkle_root, prev_digest=rec.prev_digest, heads=rec.heads,
        signature=rec.signature, key_fingerprint=rec.key_fingerprint)
    _append_line(Path(settings.AUDIT_CHECKPOINT_FILE), rec.line())  # inside the transaction: no line, no row
    return row, replay.problems
