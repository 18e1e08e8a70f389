"""How much of everything one demo town holds, at full scale (DOMAIN.md) or a fraction of it.

Grids and staff never scale (they are cheap and the pages need all of them); the base data
(households, residents, enterprises, places, cameras) scales, with at least one row of every kind
so that a small test town still shows every kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zhenwu.registry.choices import HouseholdKind, PlaceKind

# DOMAIN.md "Scale of a real town".
HOUSEHOLDS = 14_000
PERMANENT = 46_000
FLOATING = 11_000
ENTERPRISES = 1_075
CAMERAS = 396
GRID_LEADERS = 12
GRID_WORKERS = 61
INFO_OFFICERS_PER_WORKER = 3

# Households by kind (shares of HOUSEHOLDS). Permanent residents live in the first three kinds,
# floating residents in rental houses and collective dormitories.
PERMANENT_KINDS = (HouseholdKind.REGISTERED, HouseholdKind.RESIDENT, HouseholdKind.VACANT)
FLOATING_KINDS = (HouseholdKind.RENTAL, HouseholdKind.COLLECTIVE)
HOUSEHOLD_SHARES: dict[str, float] = {
    HouseholdKind.REGISTERED: 0.871, HouseholdKind.RESIDENT: 0.046, HouseholdKind.VACANT: 0.018,
    HouseholdKind.RENTAL: 0.060, HouseholdKind.COLLECTIVE: 0.005,
}

# Places of every kind: a few hundred in a town.
PLACES: dict[str, int] = {
    PlaceKind.SHOP: 110, PlaceKind.RENTAL_HOUSE: 90, PlaceKind.SCHOOL: 8, PlaceKind.HOSPITAL: 13,
    PlaceKind.FACTORY: 60, PlaceKind.CONSTRUCTION_SITE: 18, PlaceKind.RESTAURANT: 70,
    PlaceKind.PUBLIC_VENUE: 24, PlaceKind.OTHER: 20,
}


@dataclass(frozen=True)
class TownTargets:
    """Row counts of one demo town."""

    scale: float
    households: int
    permanent: int
    floating: int
    enterprises: int
    cameras: int
    household_kinds: dict[str, int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    grid_leaders: int = GRID_LEADERS
    grid_workers: int = GRID_WORKERS
    info_officers: int = GRID_WORKERS * INFO_OFFICERS_PER_WORKER

    @property
    def residents(self) -> int:
        return self.permanent + self.floating

    @property
    def place_total(self) -> int:
        return sum(self.places.values())

    @property
    def assignments(self) -> int:
        return self.grid_leaders + self.grid_workers + self.info_officers


def scaled(value: int, scale: float, *, least: int = 1) -> int:
    return max(least, round(value * scale))


def town_targets(scale: float = 1.0) -> TownTargets:
    """The counts of one town at `scale` (1.0 = DOMAIN.md); exact, independent of the seed."""
    households = scaled(HOUSEHOLDS, scale, least=len(HOUSEHOLD_SHARES))
    kinds = split(households, HOUSEHOLD_SHARES)
    permanent_households = sum(kinds[k] for k in PERMANENT_KINDS)
    floating_households = sum(kinds[k] for k in FLOATING_KINDS)
    return TownTargets(
        scale=scale, households=households,
        # every household needs at least its head
        permanent=max(permanent_households, scaled(PERMANENT, scale)),
        floating=max(floating_households, scaled(FLOATING, scale)),
        enterprises=scaled(ENTERPRISES, scale, least=4), cameras=scaled(CAMERAS, scale),
        household_kinds=kinds, places={k: scaled(n, scale) for k, n in PLACES.items()},
    )


def split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """`total` split by `shares`, at least 1 each, summing exactly to `total` (the first key absorbs
    the rounding)."""
    parts = {k: max(1, round(total * s)) for k, s in shares.items()}
    first = next(iter(shares))
    parts[first] += total - sum(parts.values())
    return parts
