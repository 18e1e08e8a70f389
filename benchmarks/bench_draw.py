"""双随机 draw over 1,000,000 market entities (the draw function on sorted ids, as the services and
docs/verify_draw.py run it), against Python's random.sample of the same number of targets from the same list
(Mersenne Twister, not reproducible by the public) measured in the same run."""

from __future__ import annotations

import random

from benchmarks.harness import Report, timed
from zhenwu.enforcement import draw as d

ENTITIES, TARGET_SECONDS = 1_000_000, 1.0


def _inputs() -> dict:
    rng = random.Random(12)
    ids = sorted(rng.sample(range(1, 5 * ENTITIES), ENTITIES))
    flagged = ids[::50]  # 2 % flagged (credit flag, abnormal listing, complaints)
    taken = set(flagged)
    return {"format": d.FORMAT,
            "plan": {"number": "SJ-BENCH", "items": ["JC-1"], "filter": {}, "ratio": "3", "flagged_ratio": "10",
                     "inspectors_per_target": 2},
            "candidates": {"flagged": flagged, "ordinary": [i for i in ids if i not in taken]},
            "inspectors": list(range(1, 41)), "recusals": [[1, ids[7]], [2, ids[7]]],
            "draw_date": "2026-03-02", "beacon_source": "bench", "beacon_value": "01 02 03 04 05 06 + 07"}


def run(report: Report) -> None:
    inputs = _inputs()
    result = d.draw(inputs)
    n = len(result)
    everyone = inputs["candidates"]["flagged"] + inputs["candidates"]["ordinary"]
    seconds = timed(lambda: d.draw(inputs), repeat=3)
    baseline = timed(lambda: random.Random(1).sample(everyone, n), repeat=3)
    report.row(f"random-inspection draw, {ENTITIES:,} entities → {n:,} targets × 2 inspectors", seconds * 1000, "ms",
               baseline_name="random.sample (targets only)", baseline_value=baseline * 1000,
               target=f"≤ {TARGET_SECONDS * 1000:,.0f} ms", met=seconds <= TARGET_SECONDS)
