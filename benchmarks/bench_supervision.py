"""Supervision statistics over 1,000,000 cases of mixed kinds on PostgreSQL (target ≤ 300 ms).

The subprocess fills its own database (BENCH_DATABASE_URL's name + ``_supervision``) with 1,000,000 cases
of five kinds over 20 towns and 300 filing days — 85 % finished (some late), the rest running with
green, yellow and red deadlines — by one ``INSERT … SELECT generate_series`` (kept between runs when the
count is right), then builds the daily summary (``case_stats_rebuild``). Measured: the whole
``case_stats()`` for a county supervisor over the year (summary rows, today's cases live, overdue /
at-risk / 督办 / 催办 counts now). Baseline in the same run: a plain ``SELECT kind, count(*) … GROUP BY
kind`` over the same table.

Run alone: ``python -m benchmarks supervision``.
"""

from __future__ import annotations

import json
import time

from benchmarks.harness import Report, timed
from benchmarks.postgres import bench_database_url, run_module_on_postgres

CASES = 1_000_000
TARGET_MS = 300.0
KINDS = ("SQ", "TK", "TJ", "WG", "ZF")


def run(report: Report) -> None:
    result = run_module_on_postgres("benchmarks.bench_supervision", timeout=1800,
                                    url=bench_database_url() + "_supervision")
    if isinstance(result, str):
        report.note(f"supervision benchmark skipped: {result}")
        return
    report.row(f"supervision statistics, {result['cases']:,} cases of {len(KINDS)} kinds", result["stats_ms"], "ms",
               baseline_name="plain GROUP BY kind count", baseline_value=result["baseline_ms"],
               target=f"≤ {TARGET_MS:.0f} ms", met=result["stats_ms"] <= TARGET_MS)
    report.note(f"supervision: building the cases took {result['build']:.1f} s (0 when kept from a run before), "
                f"the daily summary {result['summary']:.1f} s ({result['summary_rows']:,} rows); the overdue list's "
                f"first page {result['overdue_ms']:.1f} ms")


# ---------------------------------------------------------------- the subprocess

_INSERT = """
INSERT INTO casework_case (number, kind, process, status, version, area_code, town_code, title, created_at,
    updated_at, deadline_unit, deadline_limit, deadline_started_at, deadline_due_at, deadline_stopped_at,
    paused_at, light, deadline_unconfirmed, paused_from)
SELECT 'BENCH-v2-' || i, k, 'generic', CASE WHEN running THEN 'handling' ELSE 'closed' END, 1, town || '201001001',
    town, 'bench', filed, filed, 'working_days', 5, filed, due,
    CASE WHEN running THEN NULL ELSE filed + ((i %% 9) * interval '1 day') END, NULL,
    CASE WHEN NOT running THEN CASE WHEN filed + ((i %% 9) * interval '1 day') > due THEN 'red' ELSE 'green' END
         WHEN due < now() THEN 'red' WHEN due < now() + interval '2 days' THEN 'yellow' ELSE 'green' END,
    false, ''
FROM (
    SELECT i, (ARRAY['SQ', 'TK', 'TJ', 'WG', 'ZF'])[1 + (i / 7) %% 5] AS k,
           '321181' || lpad((100 + (i / 3) %% 20)::text, 3, '0') AS town,
           i %% 20 >= 17 AS running,
           timestamptz '2026-01-01 01:00+08' + ((i %% 300) * interval '1 day') + ((i %% 600) * interval '1 minute')
               AS filed,
           CASE WHEN i %% 20 >= 17 THEN now() + (((i %% 10) - 4) * interval '1 day')
                ELSE timestamptz '2026-01-01 01:00+08' + ((i %% 300 + 7) * interval '1 day') END AS due
    FROM generate_series(1, %s) AS i
) AS rows
"""


def _build() -> float:
    from django.db import connection

    from zhenwu.casework.models import Case

    if Case.objects.filter(number__startswith="BENCH-v2-").count() == CASES:
        return 0.0
    t0 = time.perf_counter()
    with connection.cursor() as cursor:  # a dedicated database: empty it in one go
        cursor.execute("TRUNCATE casework_case, casework_casedaystat, casework_caseurge, casework_casesupervision "
                       "CASCADE")
        cursor.execute(_INSERT, [CASES])
        cursor.execute("ANALYZE casework_case")
    return time.perf_counter() - t0


def _supervisor():  # type: ignore[no-untyped-def]
    from zhenwu.accounts.choices import Role
    from zhenwu.accounts.models import User
    from zhenwu.areas.models import Area
    from zhenwu.testing import COUNTY, build_test_town, make_staff

    if not Area.objects.filter(code=COUNTY).exists():
        build_test_town()
    user = User.objects.filter(username="bench_supervisor").first()
    return user or make_staff("bench_supervisor", roles=[Role.SUPERVISOR], scope=Area.objects.get(code=COUNTY))


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhenwu.casework.kinds import kind_get, kind_register
    from zhenwu.casework.supervision import case_stats, case_stats_rebuild, overdue_list, period_clean
    from zhenwu.testing import register_test_kinds

    call_command("migrate", verbosity=0)
    register_test_kinds()
    for code, label in (("WG", "网格事件"), ("ZF", "执法案件")):
        if kind_get(code) is None:
            kind_register(code=code, label=label, process_prefix=f"{code.lower()}:")
    build = _build()
    user = _supervisor()
    t0 = time.perf_counter()
    rows = case_stats_rebuild()
    summary = time.perf_counter() - t0
    period = period_clean(date_from="2026-01-01", date_to="2026-12-31")
    result = case_stats(user=user, period=period)
    assert result.total.filed == CASES, result.total

    def baseline() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, count(*) FROM casework_case GROUP BY kind")
            cursor.fetchall()

    stats = timed(lambda: case_stats(user=user, period=period), repeat=5)
    base = timed(baseline, repeat=5)
    overdue = timed(lambda: list(overdue_list(user=user)[:50]), repeat=5)
    print(json.dumps({"cases": CASES, "stats_ms": stats * 1000, "baseline_ms": base * 1000, "build": build,
                      "summary": summary, "summary_rows": rows, "overdue_ms": overdue * 1000}))


if __name__ == "__main__":
    main()
