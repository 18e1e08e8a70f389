"""Point → grid lookups against a county's worth of grids (1,186 regular + 226 special = 1,412).

The county is built in memory (no database): 16 towns tessellated into irregular Voronoi grids whose
edges are densified to ~50 m segments (real grid boundaries follow roads and rivers, so they have
hundreds of vertices), plus small round special grids (schools, hospitals, parks) over them.
Baselines, measured in the same run, test every polygon without the STRtree.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import numpy as np
import shapely

from benchmarks.harness import Report, timed
from zhenwu.areas import index as area_index
from zhenwu.areas.index import AreaIndex, GridRecord, area_ref

COUNTY = "321181"
BOUNDS = (119.40, 31.80, 120.20, 32.60)  # ~75 km × 89 km, a Jiangsu county
REGULAR, SPECIAL = 1186, 226
GRIDS_PER_VILLAGE = 6
BATCH_POINTS, BASELINE_POINTS, SINGLE_CALLS = 100_000, 5_000, 20_000


def _town_of(x: float, y: float) -> int:
    """Towns are a 4 × 4 block layout of the county."""
    col = min(3, int((x - BOUNDS[0]) / (BOUNDS[2] - BOUNDS[0]) * 4))
    row = min(3, int((y - BOUNDS[1]) / (BOUNDS[3] - BOUNDS[1]) * 4))
    return row * 4 + col


def build_county(rng: np.random.Generator) -> AreaIndex:
    county = shapely.box(*BOUNDS)
    seeds = shapely.points(rng.uniform(BOUNDS[0], BOUNDS[2], REGULAR),
                           rng.uniform(BOUNDS[1], BOUNDS[3], REGULAR))
    cells = shapely.intersection(shapely.voronoi_polygons(shapely.multipoints(seeds)).geoms, county)
    cells = shapely.segmentize(np.asarray(cells), 0.0005)
    names = {COUNTY: area_ref(COUNTY, "县", "county")}
    per_town: dict[int, int] = {}
    grids: list[GridRecord] = []
    for cell in cells:
        c = cell.centroid
        town = _town_of(c.x, c.y)
        k = per_town[town] = per_town.get(town, -1) + 1
        t = f"{COUNTY}{101 + town:03d}"
        v = f"{t}{201 + k // GRIDS_PER_VILLAGE:03d}"
        g1 = f"{v}001"
        code = f"{g1}{k % GRIDS_PER_VILLAGE + 1:03d}"
        names.update({t: area_ref(t, f"镇{town}", "town"), v: area_ref(v, f"村{k}", "village"),
                      g1: area_ref(g1, f"一级网格{k}", "grid1")})
        grids.append(GridRecord(code, f"网格{code[-9:]}", "grid2", cell))
    xs, ys = rng.uniform(BOUNDS[0] + 0.01, BOUNDS[2] - 0.01, SPECIAL), rng.uniform(BOUNDS[1] + 0.01,
                                                                                    BOUNDS[3] - 0.01, SPECIAL)
    for i, centre in enumerate(shapely.points(xs, ys)):
        code = f"{grids[i].code[:12]}{900 + i % 100:03d}"
        grids.append(GridRecord(code, f"专属网格{i}", "special", shapely.buffer(centre, 0.002, quad_segs=8)))
    return AreaIndex(grids, names)


def _points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return rng.uniform(BOUNDS[0], BOUNDS[2], n), rng.uniform(BOUNDS[1], BOUNDS[3], n)


def bench_batched(report: Report, idx: AreaIndex, rng: np.random.Generator) -> None:
    xs, ys = _points(rng, BATCH_POINTS)
    points = shapely.points(xs, ys)
    tree = idx.regular.tree
    raw = BATCH_POINTS / timed(lambda: tree.query(points, predicate="intersects"))
    full = BATCH_POINTS / timed(lambda: idx.grid_codes(xs, ys))
    geoms = idx.regular.geoms
    bx, by = xs[:BASELINE_POINTS], ys[:BASELINE_POINTS]
    brute = BASELINE_POINTS / timed(lambda: [shapely.intersects_xy(g, bx, by) for g in geoms], repeat=1)
    target = "≥ 200,000 points/s"
    report.row("locate batched: plain STRtree.query(points, predicate=intersects)", raw, "points/s",
               baseline_name="every polygon", baseline_value=brute)
    report.row("locate batched: AreaIndex.grid_codes (deepest grid per point)", full, "points/s",
               baseline_name="every polygon", baseline_value=brute, target=target, met=full >= 200_000)


def _per_call_us(fn: Callable[[float, float], object], xs: np.ndarray, ys: np.ndarray) -> float:
    pairs = list(zip(xs.tolist(), ys.tolist(), strict=True))
    t0 = time.perf_counter()
    for x, y in pairs:
        fn(x, y)
    return (time.perf_counter() - t0) / len(pairs) * 1e6


def bench_single(report: Report, idx: AreaIndex, rng: np.random.Generator) -> None:
    # Points inside the county, as real reports are; the nearest-grid fallback is measured apart.
    xs, ys = _points(rng, SINGLE_CALLS)
    area_index.pin(idx)
    try:
        best = min(_per_call_us(area_index.locate, xs, ys) for _ in range(3))
        outside = _per_call_us(area_index.locate, xs[:2000] + 1.0, ys[:2000])
    finally:
        area_index.pin(None)
    geoms, rank = idx.regular.geoms, idx.regular.rank

    def brute(x: float, y: float) -> int | None:
        hits = np.flatnonzero(shapely.intersects_xy(geoms, x, y))
        return int(hits[np.argmax(rank[hits])]) if len(hits) else None

    base = _per_call_us(brute, xs[:2000], ys[:2000])
    report.row("locate single: areas.index.locate()", best, "µs/call", baseline_name="every polygon",
               baseline_value=base, target="≤ 50 µs", met=best <= 50)
    report.row("locate single, outside every grid (nearest + metres)", outside, "µs/call")


def run(report: Report) -> None:
    rng = np.random.default_rng(20261121)
    t0 = time.perf_counter()
    idx = build_county(rng)
    report.note(f"locate: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
                f"{len(idx)} grids ({REGULAR} regular, {SPECIAL} special), "
                f"{int(shapely.get_num_coordinates(idx.regular.geoms).mean())} vertices per grid on average, "
                f"index built in {time.perf_counter() - t0:.2f} s")
    bench_batched(report, idx, rng)
    bench_single(report, idx, rng)
