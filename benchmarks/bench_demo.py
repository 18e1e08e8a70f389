"""The demo generator: one town from scratch, a second run (nothing to change), a 16-town county.

Runs on the benchmark database (SQLite in a temporary directory unless DATABASE_URL is set),
migrated here. The baseline, measured in the same run, is the geometry and naming alone (no
database), so the ratio shows what the writes cost on top of it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management import call_command

from benchmarks.harness import Report, timed
from zhenwu.demo.services import build_county, demo_reset
from zhenwu.demo.tree import plan_town

COUNTY_TOWNS = 16  # DOMAIN.md: a county of 16 towns


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def run(report: Report) -> None:
    call_command("migrate", verbosity=0)
    demo_reset()
    plan_only = timed(lambda: plan_town(seed=1, index=0)) * 1000
    fresh = _ms(lambda: build_county(seed=1, towns=1))
    report.row("demo: one town from scratch", fresh, "ms", baseline_name="geometry and names only",
               baseline_value=plan_only, target="< 10 s", met=fresh < 10_000)
    again = _ms(lambda: build_county(seed=1, towns=1))
    report.row("demo: second run, same seed (no changes)", again, "ms", baseline_name="first run",
               baseline_value=fresh, target="≤ first run", met=again <= fresh)
    county = _ms(lambda: build_county(seed=1, towns=COUNTY_TOWNS))
    report.row(f"demo: county of {COUNTY_TOWNS} towns", county, "ms", baseline_name="16 × one town",
               baseline_value=fresh * COUNTY_TOWNS, target="< 3 min", met=county < 180_000)
    demo_reset()
