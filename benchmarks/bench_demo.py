"""The demo generator: one full town from scratch, a second run (kept), a 16-town county.

Runs on the benchmark database (SQLite in a temporary directory unless DATABASE_URL is set),
migrated here. "One full town" is DOMAIN.md's town: 76 areas, 265 staff accounts and 256 grid
assignments, 14,000 households, 57,000 residents, 1,075 enterprises, 413 places, 396 cameras.
Its baseline, measured in the same run, is the same town planned in memory only (geometry, names,
people, numbers, points: no database), so the ratio shows what the writes cost on top of it. The
county of 16 towns is built at scale 0.05 (full grids and staff, 5% of the base data) to keep the
module within its time bound; the full county would be about 16 × the one town.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.management import call_command

from benchmarks.harness import Report
from zhenwu.demo.basedata import plan_basedata
from zhenwu.demo.services import build_county, demo_reset
from zhenwu.demo.targets import town_targets
from zhenwu.demo.tree import plan_town
from zhenwu.registry.models import Resident

COUNTY_TOWNS = 16  # DOMAIN.md: a county of 16 towns
COUNTY_SCALE = 0.05
TOWN_TARGET_S = 60.0


def _seconds(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _plan_in_memory() -> None:
    plan = plan_town(seed=1, index=0)
    plan_basedata(plan=plan, seed=1, targets=town_targets(1.0))


def run(report: Report) -> None:
    call_command("migrate", verbosity=0)
    demo_reset()
    in_memory = _seconds(_plan_in_memory)
    fresh = _seconds(lambda: build_county(seed=1, towns=1))
    residents = Resident.objects.count()
    report.row(f"demo: one full town from scratch ({residents:,} residents)", fresh, "s",
               baseline_name="the same town planned in memory (no database)", baseline_value=in_memory,
               target=f"≤ {TOWN_TARGET_S:.0f} s", met=fresh <= TOWN_TARGET_S)
    report.row("demo: full town, residents per second of the whole build", residents / fresh, "residents/s")
    again = _seconds(lambda: build_county(seed=1, towns=1))
    report.row("demo: second run, same seed (base data kept)", again, "s", baseline_name="first run",
               baseline_value=fresh, target="≤ 25% of first run", met=again <= 0.25 * fresh)
    demo_reset()
    small = _seconds(lambda: build_county(seed=1, towns=1, scale=COUNTY_SCALE))
    demo_reset()
    county = _seconds(lambda: build_county(seed=1, towns=COUNTY_TOWNS, scale=COUNTY_SCALE))
    report.row(f"demo: county of {COUNTY_TOWNS} towns at scale {COUNTY_SCALE}", county, "s",
               baseline_name=f"{COUNTY_TOWNS} × one town at that scale",
               baseline_value=small * COUNTY_TOWNS, target="< 3 min", met=county < 180)
    demo_reset()
