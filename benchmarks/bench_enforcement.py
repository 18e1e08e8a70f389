"""一队执法 at volume, on PostgreSQL (issue 12 §7): the officer's case list page with 100,000 penalty cases.

The page (``GET /enforcement/cases/`` as a town officer, through Django's test client: session, scope, the
status tabs' grouped count, the first page of 25 with the 90-day clock, the power filter's choices, the
template) is timed beside raw SQL doing the page's two statements (the first 25 rows joined to their cases,
and the counts per status) in the same run, called in alternation. Target ≤ 100 ms (median).

The scratch database, BENCH_ENFORCEMENT_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/zw_enfbench), is built once with ``INSERT … SELECT generate_series``
(cases copy one real general case: a year of dates, every state, two grids of the town; a quarter general)
and kept for the next run when it already holds the cases.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.harness import Report
from benchmarks.postgres import ensure_database

ROOT = Path(__file__).resolve().parent.parent
VOLUME = int(os.environ.get("BENCH_ENFORCEMENT_CASES", "100000"))
SCRATCH = os.environ.get("BENCH_ENFORCEMENT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zw_enfbench")
CALLS = 30
STATES = ("filed", "filed", "filed", "filed", "filed", "filed", "filed", "closed", "closed", "closed", "decided",
          "registered", "investigating", "investigating", "reviewing", "notice", "served", "paid", "dropped", "filed")


def build_volume() -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from zhenwu.accounts.choices import Role
    from zhenwu.accounts.models import User
    from zhenwu.enforcement.models import PenaltyCase
    from zhenwu.enforcement.services.cases import Party, general_open
    from zhenwu.enforcement.tests.factories import officer, power
    from zhenwu.testing import GRID_A, VALID_USCC, build_test_town, make_staff

    call_command("migrate", "--no-input", verbosity=0)
    if PenaltyCase.objects.count() >= VOLUME:
        return {"built_s": 0.0, "kept": True}
    t0 = time.perf_counter()
    if not User.objects.filter(username="bench_zf_a").exists():
        town = build_test_town()
        a, b = officer("bench_zf_a", town.town), officer("bench_zf_b", town.town)
        make_staff("bench_zf_leader", roles=[Role.LEADER], scope=town.town, full_name="领导")
        p = power()
        general_open(actor=a.user, power_code=p.code, party=Party("丹阳市东山机械有限公司", uscc=VALID_USCC),
                     area_code=GRID_A, facts="占道经营", investigators=[a.pk, b.pk])
    template = PenaltyCase.objects.select_related("case").order_by("pk").first()
    assert template is not None
    need = VOLUME - PenaltyCase.objects.count()
    states = "(ARRAY[" + ",".join(f"'{s}'" for s in STATES) + "])"
    running = "('registered','investigating','reviewing','notice','decided','served')"
    with transaction.atomic(), connection.cursor() as cur:  # a failed build leaves nothing half-made
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'casework_case' "
                    "AND column_name <> 'id' ORDER BY ordinal_position")
        cols = [r[0] for r in cur.fetchall()]
        status = f"{states}[1 + g % {len(STATES)}]"
        created = "now() - (g % 365) * interval '1 day' - (g % 997) * interval '1 minute'"
        made = {"number": "'ZB-' || g", "created_at": created, "updated_at": created, "status": status,
                "version": "3",
                "area_code": "CASE WHEN g % 2 = 0 THEN '321181102201001001' ELSE '321181102202001001' END",
                "deadline_unit": f"CASE WHEN {status} IN {running} THEN 'natural_days' ELSE '' END",
                "deadline_limit": f"CASE WHEN {status} IN {running} THEN 90 END",
                "deadline_started_at": f"CASE WHEN {status} IN {running} THEN {created} END",
                "deadline_due_at": f"CASE WHEN {status} IN {running} THEN {created} + interval '90 days' END",
                "deadline_stopped_at": "NULL", "light": "''", "paused_at": "NULL"}
        select = ", ".join(made.get(c, f"t.{c}") for c in cols).replace("%", "%%")
        cur.execute(f"INSERT INTO casework_case ({', '.join(cols)}) SELECT {select} "
                    f"FROM casework_case t, generate_series(1, %s) g WHERE t.id = %s", [need, template.case_id])
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = "
                    "'enforcement_penaltycase' AND column_name <> 'id' ORDER BY ordinal_position")
        pcols = [r[0] for r in cur.fetchall()]
        pmade = {"case_id": "c.id", "party_name": "'当事人' || c.id", "area_code": "c.area_code", "status": "c.status",
                 "procedure": "CASE WHEN c.status IN ('filed', 'decided') AND c.id % 4 <> 0 THEN 'summary' "
                              "ELSE 'general' END",
                 "party_uscc": "''", "party_id_number": "'11010519491231002X'", "party_is_organisation": "false"}
        pselect = ", ".join(pmade.get(c, f"t.{c}") for c in pcols).replace("%", "%%")
        cur.execute(f"INSERT INTO enforcement_penaltycase ({', '.join(pcols)}) SELECT {pselect} FROM casework_case c "
                    f"JOIN enforcement_penaltycase t ON t.id = %s WHERE c.number LIKE 'ZB-%%'", [template.pk])
    with connection.cursor() as cur:
        cur.execute("ANALYZE casework_case")
        cur.execute("VACUUM ANALYZE enforcement_penaltycase")
    return {"built_s": time.perf_counter() - t0, "kept": False}


def _paired(fn: Callable[[], Any], raw: Callable[[], Any], calls: int) -> tuple[list[float], list[float]]:
    """Times in ms of ``fn`` and ``raw`` called in alternation (both see the same machine load)."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(calls):
        for call, times in ((fn, ours), (raw, theirs)):
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
    return ours, theirs


def measure_volume() -> dict[str, Any]:
    built = build_volume()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from zhenwu.accounts.models import User
    from zhenwu.enforcement.models import PenaltyCase

    settings.ALLOWED_HOSTS = ["*"]
    user = User.objects.get(username="bench_zf_a")
    client = Client(raise_request_exception=True)
    client.force_login(user)
    prefix = user.scope_code

    def page() -> None:
        response = client.get("/enforcement/cases/")
        assert response.status_code == 200 and b'data-number="' in response.content

    def raw_page() -> None:
        with connection.cursor() as cur:
            cur.execute("SELECT p.*, c.*, v.* FROM enforcement_penaltycase p JOIN casework_case c ON c.id = p.case_id "
                        "JOIN enforcement_penaltypowerversion v ON v.id = p.power_version_id "
                        "WHERE c.area_code LIKE %s ORDER BY c.created_at DESC LIMIT 25", [f"{prefix}%"])
            cur.fetchall()
            cur.execute("SELECT status, count(*) FROM enforcement_penaltycase WHERE area_code LIKE %s "
                        "GROUP BY status", [f"{prefix}%"])  # every row counted: what the page's capped counts avoid
            cur.fetchall()

    def small_page() -> None:  # the fixed cost of a staff page (session, menus, template) on this machine now
        assert client.get("/enforcement/squads/").status_code == 200

    page()
    ours, theirs = _paired(page, raw_page, CALLS)
    small, _unused = _paired(small_page, lambda: None, CALLS // 2)
    return {**built, "cases": PenaltyCase.objects.count(), "page_ms": statistics.median(ours),
            "small_page_ms": statistics.median(small),
            "page_p90_ms": sorted(ours)[int(0.9 * (len(ours) - 1))], "raw_ms": statistics.median(theirs),
            "load": " ".join(Path("/proc/loadavg").read_text().split()[:3])}


def _on_postgres() -> dict[str, Any] | str:
    problem = ensure_database(SCRATCH)
    if problem:
        return f"PostgreSQL at {SCRATCH} unreachable ({problem})"
    env = {**os.environ, "DATABASE_URL": SCRATCH, "DJANGO_SETTINGS_MODULE": "zhenwu.settings"}
    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_enforcement", "volume"], env=env, cwd=ROOT,
                          check=True, capture_output=True, text=True, timeout=3600)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(report: Report) -> None:
    result = _on_postgres()
    if isinstance(result, str):
        report.note(f"enforcement benchmark skipped: {result}")
        return
    built = "kept" if result["kept"] else f"built in {result['built_s']:.0f} s"
    report.note(f"enforcement volume: {result['cases']:,} penalty cases ({built}; load {result['load']})")
    report.row(f"officer's case list page (tabs, first 25, clock, template) with {result['cases']:,} cases, median "
               f"(p90 {result['page_p90_ms']:.0f} ms)", result["page_ms"], "ms",
               baseline_name="raw SQL page + full counts per status", baseline_value=result["raw_ms"],
               target="≤ 100 ms",
               met=result["page_ms"] <= 100)
    report.note(f"enforcement: a small staff page (the squads, no cases) in the same run: "
                f"{result['small_page_ms']:.0f} ms (the fixed cost of session, menus and template at this load)")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenwu.settings")
    os.environ.setdefault("ZHENWU_ALLOW_DEV_SECRET_KEY", "1")
    os.environ.setdefault("ZHENWU_ALLOW_INSECURE_SMS", "1")
    if sys.argv[1:] == ["volume"]:
        print(json.dumps(measure_volume(), default=str))
