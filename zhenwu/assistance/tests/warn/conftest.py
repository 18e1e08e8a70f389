"""Fixtures of the early-warning and mutual-aid tests: civil affairs, grid A's village worker, village B's staff."""

from __future__ import annotations

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.registry.tests import factories
from zhenwu.testing import make_staff


@pytest.fixture
def civil(town):  # 民政: civil-affairs staff of the town
    return make_staff("civil", roles=[Role.CIVIL_AFFAIRS], scope=town.town)


@pytest.fixture
def worker_a(town, personas):  # the village worker of grid A: grid A's worker, assigned to the grid
    factories.assignment(town.grid_a, personas.grid_worker_a, "worker")
    return personas.grid_worker_a


@pytest.fixture
def village_b_staff(town):
    return make_staff("vb_staff", roles=[Role.VILLAGE_STAFF], scope=town.village_b)
