"""Resident search among 1,000,000 residents on PostgreSQL: by mobile (exact) and by name prefix.

The searches go through the registry selector `resident_list(user=…, q=…)` (what the API and the
list page call) for a town-scoped window clerk, taking the first page of 50; the figure is the
median of 50 searches for values that exist. The baseline, in the same run, is the same search
with an unindexed predicate (``mobile__contains`` / ``name__contains``: a sequential scan).

The million rows are generated in the database (``generate_series``, one INSERT per 200,000 rows,
a few minutes at most) in the test town of `zhenwu.testing` (both its level-2 grids) and marked
``origin = 'bench'``; later runs reuse them. Names follow the demo's surname frequencies. The work
runs in a subprocess with DATABASE_URL=BENCH_DATABASE_URL, as `bench_transition` does.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from typing import Any

from benchmarks.harness import Report
from benchmarks.postgres import run_module_on_postgres

ROWS = 1_000_000
CHUNK = 200_000
QUERIES = 50
PAGE = 50
TARGET_MS = 50.0
MARK = "bench"


def run(report: Report) -> None:
    result = run_module_on_postgres("benchmarks.bench_registry_search", timeout=290)
    if isinstance(result, str):
        report.note(f"registry search benchmark skipped: {result}")
        return
    if result["loaded_s"]:
        report.note(f"registry search: loaded {ROWS:,} residents in {result['loaded_s']:.0f} s (kept for later runs)")
    for key, label, baseline in (("mobile", "by mobile (exact)", "mobile__contains"),
                                 ("name", "by name prefix", "name__contains")):
        ms, base = result[key], result[f"{key}_baseline"]
        report.row(f"registry search {label} among {ROWS:,} residents (PostgreSQL, median)", ms, "ms",
                   baseline_name=f"{baseline} (sequential scan)", baseline_value=base,
                   target=f"≤ {TARGET_MS:.0f} ms", met=ms <= TARGET_MS)


# ---------------------------------------------------------------- the subprocess

def _surnames() -> list[str]:
    """The demo's surnames, each repeated by its weight: indexing it uniformly gives their frequency."""
    from zhenwu.demo.names import SURNAME_WEIGHTS

    return [s for s, weight in SURNAME_WEIGHTS for _ in range(weight)]


LOAD_SQL = """
INSERT INTO registry_resident (id_number, name, birth_date, sex, mobile, relation, status, arrival_date,
                               origin, grid_id, area_code, lng, lat, created_at, updated_at)
SELECT 'B' || lpad(g::text, 17, '0'),
       (%(surnames)s::text[])[1 + ((g * 7919) %% cardinality(%(surnames)s::text[]))::int]
         || (%(given)s::text[])[1 + ((g * 31) %% cardinality(%(given)s::text[]))::int]
         || CASE WHEN g %% 10 < 7
                 THEN (%(given)s::text[])[1 + ((g * 17 + 5) %% cardinality(%(given)s::text[]))::int]
                 ELSE '' END,
       date '1940-01-01' + ((g * 37) %% 30000)::int,
       CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END,
       '1' || (ARRAY['30','31','32','33','34','57','77','80'])[1 + (g %% 8)::int]
           || lpad(((g * 7919) %% 100000000)::text, 8, '0'),
       '', CASE WHEN g %% 5 = 0 THEN 'floating' ELSE 'registered' END, NULL,
       %(mark)s, CASE WHEN g %% 2 = 0 THEN %(grid_a)s ELSE %(grid_b)s END,
       CASE WHEN g %% 2 = 0 THEN %(code_a)s ELSE %(code_b)s END, NULL, NULL, now(), now()
FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g
"""


def _load() -> float:
    """Insert the million rows unless they are there already; returns the seconds spent (0 if kept)."""
    from django.db import connection, transaction

    from zhenwu.areas.models import Area
    from zhenwu.demo.names import FEMALE_CHARS, MALE_CHARS
    from zhenwu.registry.models import Resident
    from zhenwu.testing import GRID_A, GRID_B

    have = Resident.objects.filter(origin=MARK).count()
    if have == ROWS:
        return 0.0
    Resident.objects.filter(origin=MARK).delete()
    grids = {a.code: a.pk for a in Area.objects.filter(code__in=[GRID_A, GRID_B])}
    params: dict[str, Any] = {"surnames": _surnames(), "given": list(MALE_CHARS + FEMALE_CHARS), "mark": MARK,
              "grid_a": grids[GRID_A], "grid_b": grids[GRID_B], "code_a": GRID_A, "code_b": GRID_B}
    t0 = time.perf_counter()
    for first in range(1, ROWS + 1, CHUNK):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(LOAD_SQL, {**params, "first": first, "last": first + CHUNK - 1})
        print(f"  loaded {first + CHUNK - 1:,}", file=sys.stderr, flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE registry_resident")
    return time.perf_counter() - t0


def _setup() -> object:
    from django.core.management import call_command

    from zhenwu.accounts.models import User
    from zhenwu.areas.models import Area
    from zhenwu.testing import GRID_A, TOWN, build_test_town, make_staff

    call_command("migrate", verbosity=0)
    if not Area.objects.filter(code=GRID_A).exists():
        build_test_town()
    return User.objects.filter(username="bench_search").first() or make_staff(
        "bench_search", roles=["window_clerk"], scope=Area.objects.get(code=TOWN))


def _median_ms(search: object, values: list[str]) -> float:
    times = []
    for value in values:
        t0 = time.perf_counter()
        rows = list(search(value))  # type: ignore[operator]
        times.append((time.perf_counter() - t0) * 1000)
        assert rows, value  # every searched value exists
    return statistics.median(times)


def _worker() -> None:
    import django

    django.setup()
    from zhenwu.registry.models import Resident
    from zhenwu.registry.selectors import resident_list
    from zhenwu.testing import TOWN

    user = _setup()
    loaded = _load()
    rng = random.Random(7)
    sample_ids = [rng.randint(1, ROWS) for _ in range(QUERIES)]
    sample = list(Resident.objects.filter(id_number__in=[f"B{i:017d}" for i in sample_ids])
                  .values_list("mobile", "name"))
    mobiles, names = [m for m, _n in sample], [n for _m, n in sample]
    town = Resident.objects.filter(area_code__startswith=TOWN).order_by("-id")

    def selector(q: str) -> list[Resident]:
        return list(resident_list(user=user, q=q)[:PAGE])  # type: ignore[arg-type]

    result = {
        "loaded_s": loaded,
        "mobile": _median_ms(selector, mobiles),
        "name": _median_ms(selector, names),
        "mobile_baseline": _median_ms(lambda m: town.filter(mobile__contains=m)[:PAGE], mobiles[:10]),
        "name_baseline": _median_ms(lambda n: town.filter(name__contains=n)[:PAGE], names[:10]),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    _worker()
