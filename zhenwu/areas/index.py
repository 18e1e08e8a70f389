"""Point → area lookup: shapely 2 STRtrees over the grids, cached per process.

The index is built lazily from the database and rebuilt when areas change: services call
`invalidate()` (this process, at once), and every process re-reads a cheap stamp of the table
(row count + latest ``updated_at``) at most every ``STAMP_TTL_SECONDS``, so a write in another
process is seen within that delay. The hot path does no database query and no allocation beyond
the result: ancestry and output dicts are precomputed at build time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db.models import Count, Max
from shapely.geometry.base import BaseGeometry

from zhenwu.areas.choices import GRID_LEVELS, AreaLevel
from zhenwu.areas.coords import to_wgs84
from zhenwu.areas.geometry import distance_m, local_scale, to_shape
from zhenwu.areas.models import Area

STAMP_TTL_SECONDS = 2.0
AreaRef = dict[str, str]
# Deeper regular grids win: a level-2 grid over the level-1 grid that contains it.
_RANK = {AreaLevel.GRID1: 1, AreaLevel.GRID2: 2}


@dataclass(frozen=True)
class GridRecord:
    """One grid as the index needs it."""

    code: str
    name: str
    level: str
    geometry: BaseGeometry


@dataclass
class LocateResult:
    """Where a WGS84 point falls: deepest regular grid with ancestors, special grids, else nearest."""

    lng: float
    lat: float
    grid: AreaRef | None
    ancestors: list[AreaRef]
    special_grids: list[AreaRef]
    nearest: dict[str, Any] | None = None

    @property
    def grid_code(self) -> str | None:
        return self.grid["code"] if self.grid else None

    @property
    def grid_name(self) -> str | None:
        return self.grid["name"] if self.grid else None


def area_ref(code: str, name: str, level: str) -> AreaRef:
    return {"code": code, "name": name, "level": level}


def _ancestor_codes(code: str) -> list[str]:
    # Codes are the county's 6 digits plus 3 per level, so ancestors are the code's own prefixes.
    return [code[:n] for n in range(6, len(code), 3)]


class _Tree:
    """One STRtree with its records, output refs and prepared geometries."""

    def __init__(self, records: Sequence[GridRecord], names: dict[str, AreaRef]) -> None:
        self.records = list(records)
        self.geoms = np.array([r.geometry for r in self.records], dtype=object)
        shapely.prepare(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        self.refs = [area_ref(r.code, r.name, r.level) for r in self.records]
        self.rank = np.array([_RANK.get(AreaLevel(r.level), 0) for r in self.records], dtype=np.int8)
        self.ancestors = [[names[c] for c in _ancestor_codes(r.code) if c in names] for r in self.records]
        # A second tree with longitudes shrunk by cos(latitude) so that "nearest" means nearest in metres
        # (a degree of longitude is shorter than one of latitude); one mean latitude suits a county.
        lat0 = float(np.mean([g.centroid.y for g in self.geoms])) if self.records else 0.0
        self.x_scale = local_scale(lat0)[0] / local_scale(lat0)[1]
        self.scaled_tree = shapely.STRtree(shapely.transform(self.geoms, lambda c: c * [self.x_scale, 1.0]))

    def hits(self, point: shapely.Point, lng: float, lat: float) -> np.ndarray:
        """Indexes of the geometries that contain or touch the point, in code order."""
        if not self.records:
            return np.empty(0, dtype=np.intp)
        candidates = self.tree.query(point)
        if len(candidates) == 0:
            return candidates
        candidates.sort()
        return candidates[shapely.intersects_xy(self.geoms[candidates], lng, lat)]


class AreaIndex:
    """Regular grids (L1 + L2) and special grids in two STRtrees."""

    def __init__(self, grids: Iterable[GridRecord], names: dict[str, AreaRef] | None = None) -> None:
        grids = sorted(grids, key=lambda g: g.code)
        names = {**(names or {}), **{g.code: area_ref(g.code, g.name, g.level) for g in grids}}
        self.names = names  # every area of the database when built by build_from_db, not only the grids
        self.regular = _Tree([g for g in grids if g.level != AreaLevel.SPECIAL], names)
        self.special = _Tree([g for g in grids if g.level == AreaLevel.SPECIAL], names)

    def __len__(self) -> int:
        return len(self.regular.records) + len(self.special.records)

    def locate(self, lng: float, lat: float) -> LocateResult:
        """Locate a WGS84 point (already checked)."""
        point = shapely.points(lng, lat)
        specials = [self.special.refs[i] for i in self.special.hits(point, lng, lat)]
        hits = self.regular.hits(point, lng, lat)
        if len(hits) == 0:
            return LocateResult(lng, lat, None, [], specials, self.nearest(lng, lat))
        best = int(hits[int(np.argmax(self.regular.rank[hits]))])
        return LocateResult(lng, lat, self.regular.refs[best], self.regular.ancestors[best], specials)

    def nearest(self, lng: float, lat: float) -> dict[str, Any] | None:
        """The regular grid nearest to the point, by distance in metres (not in degrees)."""
        if not self.regular.records:
            return None
        ties = self.regular.scaled_tree.query_nearest(shapely.points(lng * self.regular.x_scale, lat))
        ties.sort()
        best = int(ties[int(np.argmax(self.regular.rank[ties]))])  # a level-2 grid over its equal level-1
        metres = distance_m(self.regular.geoms[best], lng, lat)
        return {**self.regular.refs[best], "distance_m": round(metres, 1)}

    def grid_codes(self, lngs: Sequence[float] | np.ndarray,
                   lats: Sequence[float] | np.ndarray) -> list[str | None]:
        """Batched lookup: the deepest regular grid code of each WGS84 point (None outside all grids)."""
        xs, ys = np.asarray(lngs, dtype=float), np.asarray(lats, dtype=float)
        out: list[str | None] = [None] * len(xs)
        if not self.regular.records:
            return out
        # Bounding-box candidates, then the exact test on the prepared polygons: about twice as fast
        # as query(predicate="intersects"), which cannot use the tree geometries' preparation.
        pt, geom = self.regular.tree.query(shapely.points(xs, ys))
        inside = shapely.intersects_xy(self.regular.geoms[geom], xs[pt], ys[pt])
        pt, geom = pt[inside], geom[inside]
        if len(pt) == 0:
            return out
        order = np.lexsort((geom, -self.regular.rank[geom], pt))
        firsts = order[np.unique(pt[order], return_index=True)[1]]
        codes = [r.code for r in self.regular.records]
        for p, g in zip(pt[firsts].tolist(), geom[firsts].tolist(), strict=True):
            out[p] = codes[g]
        return out


# --- the per-process cache -----------------------------------------------------------------------


@dataclass
class _State:
    index: AreaIndex | None = None
    stamp: tuple[Any, ...] | None = None
    checked_at: float = 0.0
    local_version: int = 0
    built_version: int = -1
    pinned: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


_state = _State()


def invalidate() -> None:
    """Drop this process's index; the next lookup rebuilds it. Called by every area write."""
    _state.local_version += 1


def pin(index: AreaIndex | None) -> None:
    """Use `index` without looking at the database (benchmarks); `pin(None)` returns to normal."""
    _state.index, _state.pinned = index, index is not None
    _state.built_version = _state.local_version if index else -1


def current() -> AreaIndex:
    """The index for this process, rebuilt when an area changed here or (stamp) elsewhere."""
    s = _state
    if s.pinned and s.index is not None:
        return s.index
    now = time.monotonic()
    if s.index is not None and s.built_version == s.local_version and now - s.checked_at < STAMP_TTL_SECONDS:
        return s.index
    with s.lock:
        return _refresh(now)


def _refresh(now: float) -> AreaIndex:
    s = _state
    version = s.local_version
    stamp = _table_stamp()
    if s.index is None or stamp != s.stamp or s.built_version != version:
        s.index, s.stamp, s.built_version = build_from_db(), stamp, version
    s.checked_at = now
    return s.index


def _table_stamp() -> tuple[Any, ...]:
    agg = Area.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    return agg["n"], agg["last"], agg["top"]


def build_from_db() -> AreaIndex:
    """Build the index from every grid with a geometry in the database."""
    names = {c: area_ref(c, n, lv) for c, n, lv in Area.objects.values_list("code", "name", "level")}
    rows = (Area.objects.filter(level__in=GRID_LEVELS, geometry__isnull=False)
            .values_list("code", "name", "level", "geometry"))
    grids = [GridRecord(c, n, lv, to_shape(g)) for c, n, lv, g in rows if g]
    return AreaIndex(grids, names)


def area_names(codes: Iterable[str]) -> dict[str, str]:
    """code → name of the areas ``codes``, from this process's index: it holds every area's name and is kept as
    fresh as the grid lookup itself (rebuilt at once after an area write here, within ``STAMP_TTL_SECONDS`` after
    one elsewhere), so labelling a case's grid costs no query. Codes it does not know are read from the table."""
    wanted = set(codes)
    known = current().names
    found = {code: known[code]["name"] for code in wanted if code in known}
    missing = wanted - found.keys()
    if missing:
        found.update(Area.objects.filter(code__in=missing).values_list("code", "name"))
    return found


def locate(lng: float, lat: float, crs: str = "wgs84") -> LocateResult:
    """Public lookup used by the API and other apps: check, convert to WGS84, locate."""
    x, y = to_wgs84(lng, lat, crs)
    return current().locate(x, y)
