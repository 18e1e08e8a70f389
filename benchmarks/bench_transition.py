"""`transition()` per second on PostgreSQL against a raw-SQL baseline doing the same writes.

Each measured operation is one committed transaction. The baseline is a compare-and-set UPDATE of
the case plus an INSERT of the audit row (with a SHA-256 computed in Python), through the same
Django connection; ``transition()`` adds the checks, the process lookup, the deadline and the hash
chain on top. The work runs in a subprocess with DATABASE_URL=BENCH_DATABASE_URL so that Django is
configured for PostgreSQL from the start (the harness itself runs on SQLite).
"""

from __future__ import annotations

import json
import time

from benchmarks.harness import Report
from benchmarks.postgres import run_module_on_postgres

OPS = 1500
TARGET_SHARE = 0.40  # issue 9: the kernel must stay at ≥ 40% of raw SQL (it was 42%)


def run(report: Report) -> None:
    result = run_module_on_postgres("benchmarks.bench_transition", timeout=170)
    if isinstance(result, str):
        report.note(f"transition benchmark skipped: {result}")
        return
    ours, raw = result["transition"], result["raw"]
    report.row("transition() on PostgreSQL (1 op = 1 commit)", ours, "ops/s",
               baseline_name="raw SQL CAS UPDATE + audit INSERT", baseline_value=raw,
               target=f"≥ {TARGET_SHARE:.0%} of baseline", met=ours >= TARGET_SHARE * raw)


# ---------------------------------------------------------------- the subprocess


def _setup() -> tuple[object, list[int], list[int]]:
    from django.core.management import call_command

    from zhenwu.areas.models import Area
    from zhenwu.casework.models import Case
    from zhenwu.casework.services import case_create
    from zhenwu.testing import GRID_A, TEST_KIND, build_test_town, make_staff, register_test_kinds

    call_command("migrate", verbosity=0)
    register_test_kinds()
    if not Area.objects.filter(code=GRID_A).exists():
        build_test_town()
    from zhenwu.accounts.models import User

    actor = User.objects.filter(username="bench_clerk").first() or make_staff(
        "bench_clerk", roles=["window_clerk"], scope=Area.objects.get(code=GRID_A[:9]))
    ids = [case_create(kind=TEST_KIND, process="generic", area_code=GRID_A, title="bench", actor=actor).pk
           for _ in range(2 * OPS)]
    cases = list(Case.objects.filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return actor, cases[:OPS], cases[OPS:]


def _time_transitions(actor: object, ids: list[int]) -> float:
    from zhenwu.casework.models import Case
    from zhenwu.casework.services import transition

    cases = list(Case.objects.filter(pk__in=ids))
    t0 = time.perf_counter()
    for case in cases:
        transition(actor=actor, case=case, action="accept", request_id="bench")  # type: ignore[arg-type]
    return len(cases) / (time.perf_counter() - t0)


RAW_UPDATE = ("UPDATE casework_case SET status = %s, version = %s, updated_at = %s "
              "WHERE id = %s AND status = %s AND version = %s")
RAW_INSERT = ("INSERT INTO casework_auditentry (subject, seq, case_id, actor_id, actor_name, action, "
              "from_state, to_state, reason, attachments, request_id, data, created_at, prev_hash, hash) "
              "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', '[]', %s, NULL, %s, %s, %s)")


def _time_raw(actor_id: int, ids: list[int]) -> float:
    import hashlib

    from django.db import connection, transaction
    from django.utils import timezone

    from zhenwu.casework.models import Case

    rows = list(Case.objects.filter(pk__in=ids).values_list("pk", "number"))
    t0 = time.perf_counter()
    for pk, number in rows:
        now = timezone.now()
        digest = hashlib.sha256(f"{number}|2|accept|{now.isoformat()}".encode()).hexdigest()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(RAW_UPDATE, ["handling", 2, now, pk, "registered", 1])
            cur.execute(RAW_INSERT, [number, 2, pk, actor_id, "bench", "accept", "registered", "handling",
                                     "bench", now, "0" * 64, digest])
    return len(rows) / (time.perf_counter() - t0)


def _worker() -> None:
    import django

    django.setup()
    actor, ours_ids, raw_ids = _setup()
    half = OPS // 2
    # Interleave halves so both sides see the same table sizes and cache state.
    raw = [_time_raw(actor.pk, raw_ids[:half])]  # type: ignore[attr-defined]
    ours = [_time_transitions(actor, ours_ids[:half])]
    raw.append(_time_raw(actor.pk, raw_ids[half:]))  # type: ignore[attr-defined]
    ours.append(_time_transitions(actor, ours_ids[half:]))
    print(json.dumps({"transition": max(ours), "raw": max(raw)}))


if __name__ == "__main__":
    _worker()
