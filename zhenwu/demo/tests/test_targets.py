"""The town's row counts: DOMAIN.md at full scale, every kind present at any scale."""

from __future__ import annotations

from zhenwu.demo.targets import town_targets
from zhenwu.registry.choices import HouseholdKind, PlaceKind


def test_full_scale_gives_the_domain_numbers():
    t = town_targets(1.0)
    assert (t.households, t.permanent, t.floating, t.enterprises, t.cameras) == (14_000, 46_000, 11_000, 1_075, 396)
    assert (t.grid_leaders, t.grid_workers, t.info_officers) == (12, 61, 183)
    assert sum(t.household_kinds.values()) == 14_000
    assert 200 <= t.place_total <= 500


def test_a_small_scale_keeps_every_kind():
    t = town_targets(0.001)
    assert set(t.household_kinds) == set(HouseholdKind.values)
    assert all(n >= 1 for n in t.household_kinds.values())
    assert set(t.places) == set(PlaceKind.values) and all(n >= 1 for n in t.places.values())
    assert sum(t.household_kinds.values()) == t.households
    assert t.permanent >= t.households - t.household_kinds["rental"] - t.household_kinds["collective"]


def test_staff_does_not_scale():
    assert town_targets(0.02).info_officers == town_targets(1.0).info_officers == 183
