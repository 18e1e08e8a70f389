"""`zhenwu audit verify` over 1,000,000 entries with checkpoints, on PostgreSQL (target ≤ 60 s).

The subprocess fills its own database (BENCH_DATABASE_URL's name + ``_audit``, emptied first) with
100,000 chains of 10 entries — half of them cases with their rows, half other subjects — written with
COPY and hashed with the kernel's recipe; checkpoint #1 is taken after 9 entries per chain and #2 after
the 10th, so verify replays two checkpoints of 100,000 moved heads each. Measured: the whole
``audit_verify_full()`` (chains, checkpoints and signatures, live cases). Baseline in the same run: a
plain read of the same rows in the same order with one SHA-256 per row.

Run alone: ``python -m benchmarks audit_verify``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from typing import Any

from benchmarks.harness import Report
from benchmarks.postgres import bench_database_url, run_module_on_postgres

CHAINS = 100_000
PER_CHAIN = 10
TARGET_SECONDS = 60.0


def run(report: Report) -> None:
    result = run_module_on_postgres("benchmarks.bench_audit_verify", timeout=900,
                                    url=bench_database_url() + "_audit")
    if isinstance(result, str):
        report.note(f"audit verify benchmark skipped: {result}")
        return
    report.row(f"audit verify, {result['entries']:,} entries, {result['checkpoints']} checkpoints", result["verify"],
               "s", baseline_name="plain read + SHA-256 per row", baseline_value=result["raw"],
               target=f"≤ {TARGET_SECONDS:.0f} s", met=result["verify"] <= TARGET_SECONDS and not result["problems"])
    report.note(f"audit: building {result['entries']:,} entries took {result['build']:.1f} s, each checkpoint "
                f"{result['checkpoint']:.1f} s; problems found: {result['problems']} (expected 0)")


# ---------------------------------------------------------------- the subprocess

_COPY = ("COPY casework_auditentry (subject, seq, case_id, actor_id, actor_name, action, from_state, to_state, "
         "reason, attachments, request_id, data, deadline, created_at, prev_hash, hash) FROM STDIN")


def _reset() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # TRUNCATE is not a row DELETE: the append-only trigger allows it
        cursor.execute("TRUNCATE casework_auditentry, casework_auditcheckpoint")
        cursor.execute("DELETE FROM casework_case WHERE kind = 'AV'")


def _cases() -> dict[str, int]:
    from zhenwu.casework.models import Case

    half = CHAINS // 2
    Case.objects.bulk_create([Case(number=f"AV-000000000-{i:08d}", kind="AV", process="generic",
                                   status="handling" if PER_CHAIN % 2 == 0 else "registered", version=PER_CHAIN,
                                   area_code="000000000", town_code="000000000", title="bench")
                              for i in range(half)], batch_size=5000)
    return dict(Case.objects.filter(kind="AV").values_list("number", "pk"))


def _rows(seqs: range, cases: dict[str, int], heads: dict[str, str], start: dt.datetime) -> Any:
    from zhenwu.casework.services.audit import GENESIS, content_hash

    clock = {"deadline_unit": "", "deadline_limit": None, "deadline_started_at": None, "deadline_due_at": None,
             "deadline_stopped_at": None, "paused_at": None, "paused_total": None}
    clock_json = json.dumps(clock)
    for i in range(CHAINS):
        subject = f"AV-000000000-{i:08d}" if i < CHAINS // 2 else f"bench.subject:{i}"
        case_id = cases.get(subject)
        for seq in seqs:
            prev = heads.get(subject, GENESIS)
            created = start + dt.timedelta(seconds=i * PER_CHAIN + seq)
            to_state = ("handling" if seq % 2 == 0 else "registered") if case_id else ""
            content = {"subject": subject, "seq": seq, "actor_id": None, "actor_name": "bench", "action": "step",
                       "from_state": "", "to_state": to_state, "reason": "", "attachments": [], "request_id": "",
                       "data": None, "prev_hash": prev}
            digest = content_hash(content, created, clock if case_id else None)
            heads[subject] = digest
            yield (subject, seq, case_id, None, "bench", "step", "", to_state, "", "[]", "", None,
                   clock_json if case_id else None, created, prev, digest)


def _copy(seqs: range, cases: dict[str, int], heads: dict[str, str], start: dt.datetime) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(_COPY) as copy:
        for row in _rows(seqs, cases, heads, start):
            copy.write_row(row)


def _raw_read() -> float:
    from zhenwu.casework.models import AuditEntry

    t0 = time.perf_counter()
    for row in AuditEntry.objects.order_by("subject", "seq").values_list().iterator(chunk_size=5000):
        hashlib.sha256(repr(row).encode()).digest()
    return time.perf_counter() - t0


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from zhenwu.casework import signing
    from zhenwu.casework.services import audit_checkpoint, audit_verify_full

    _reset()
    if not signing.key_path().exists():
        signing.key_generate()
    settings.AUDIT_CHECKPOINT_FILE.unlink(missing_ok=True)
    start, heads = dt.datetime(2026, 1, 1, tzinfo=dt.UTC), {}
    t0 = time.perf_counter()
    cases = _cases()
    _copy(range(1, PER_CHAIN), cases, heads, start)
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    audit_checkpoint()
    checkpoint = time.perf_counter() - t1
    t2 = time.perf_counter()
    _copy(range(PER_CHAIN, PER_CHAIN + 1), cases, heads, start)
    build += time.perf_counter() - t2
    audit_checkpoint()
    t3 = time.perf_counter()
    result = audit_verify_full()
    verify = time.perf_counter() - t3
    print(json.dumps({"entries": result.entries, "checkpoints": result.checkpoints, "verify": verify,
                      "raw": _raw_read(), "build": build, "checkpoint": checkpoint,
                      "problems": len(result.problems)}))


if __name__ == "__main__":
    main()
