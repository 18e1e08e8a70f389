"""Region codes (GB/T 2260) for demo ID numbers, valid in the birth year as `stdnum.cn.ric` checks.

An ID number's first six digits name the county where it was first issued, and `stdnum` accepts
a code only for birth years in which that county code existed. A person born in 1950 therefore
needs the county's code of that time, not today's; the tables below are read from stdnum's own
code list so that every generated number passes its check.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from stdnum import numdb

# Local people: every code stdnum has for the demo county's real model, 丹阳 (321181 from 1989).
LOCAL_NAME = "丹阳"
LOCAL_PREFIXES = ("3211", "3226", "3290")
# 常住 residents from elsewhere in the province.
PROVINCE_PREFIXES = ("3201", "3202", "3203", "3204", "3209", "3210", "3212", "3213")
# Floating residents: the provinces most migrants to southern Jiangsu come from, with weights.
ORIGINS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("安徽省", 0.34, ("3412", "3421", "3413", "3422", "3416", "3411", "3423")),
    ("河南省", 0.20, ("4115", "4127", "4116", "4113", "4129")),
    ("四川省", 0.12, ("5113", "5130", "5109", "5139")),
    ("贵州省", 0.08, ("5224", "5221", "5203")),
    ("湖北省", 0.08, ("4211", "4209", "4223")),
    ("江西省", 0.06, ("3607", "3621", "3611")),
    ("重庆市", 0.05, ("5002", "5001", "5122")),  # before 1997 under Sichuan (万县)
    ("山东省", 0.04, ("3713", "3728", "3708")),
    ("云南省", 0.03, ("5321", "5306")),
)
YEARS = range(1920, 2027)
# Codes named only "urban district" read badly as a place of origin.
VAGUE_NAMES = ("市区", "郊区", "城区", "矿区")


@dataclass(frozen=True)
class Region:
    """A county code with the years it was in use and its name."""

    code: str
    name: str
    start: int
    end: int


def _regions(prefix: str) -> list[Region]:
    """Every county code under a 4-digit prefecture prefix, with its years of use."""
    db, found = numdb.get("cn/loc"), []
    for n in range(1, 100):
        code = f"{prefix}{n:02d}"
        info = {k: v for _part, props in db.info(code) for k, v in props.items()}
        province = info.get("province", "")
        for entry in info.get("county", "").split(","):
            found.append(_parse(code, province, entry))
    return [r for r in found if r is not None]


def _parse(code: str, province: str, entry: str) -> Region | None:
    if not entry:
        return None
    if not entry.startswith("["):
        return Region(code, province + entry, YEARS.start, YEARS.stop)
    span, county = entry[1:].split("]")
    start, end = span.split("-")
    return Region(code, province + county, int(start or YEARS.start), int(end or YEARS.stop))


@functools.cache
def _by_year(prefixes: tuple[str, ...], name: str = "") -> dict[int, list[Region]]:
    regions = [r for p in prefixes for r in _regions(p) if name in r.name and not r.name.endswith(VAGUE_NAMES)]
    return {y: [r for r in regions if r.start <= y <= r.end] for y in YEARS}


def local_region(year: int) -> Region:
    """The demo county's code in use in `year` (the newest one when two overlap)."""
    return max(_by_year(LOCAL_PREFIXES, LOCAL_NAME)[year], key=lambda r: r.start)


def province_region(rng: random.Random, year: int) -> Region:
    """A county elsewhere in Jiangsu (for 常住 residents registered elsewhere)."""
    return rng.choice(_by_year(PROVINCE_PREFIXES)[year])


def origin_province(rng: random.Random) -> int:
    """Index into ORIGINS, weighted."""
    return rng.choices(range(len(ORIGINS)), weights=[w for _p, w, _x in ORIGINS])[0]


def origin_region(rng: random.Random, province: int, year: int) -> Region:
    """A county of the province `ORIGINS[province]` in use in `year` (else one of the first province)."""
    return rng.choice(_by_year(ORIGINS[province][2])[year] or _by_year(ORIGINS[0][2])[year])
