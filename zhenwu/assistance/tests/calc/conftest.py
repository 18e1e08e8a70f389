"""Fixtures of the calculation and payment tests: civil-affairs staff of the town and of each village, a leader,
the seed rule set of the test town from 2026-01, and households in assistance in grids A and B."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.assistance.models import RuleSet
from zhenwu.assistance.services.rules import rules_seed
from zhenwu.assistance.tests.calc import factories as f
from zhenwu.testing import TOWN, local, make_staff


@dataclass
class Civil:
    town_officer: User  # civil affairs of the town: reads, draws up, publishes, approves
    town_officer2: User  # a second one: approves what the first drew up
    village_a: User  # civil affairs scoped to village A
    village_b: User
    leader: User
    clerk: User  # a window clerk of the town: no assistance role
    rules: RuleSet


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Any:
    """timezone.now pinned to 2026-03-10 10:00 (the current rule period is March 2026)."""
    from django.utils import timezone

    from zhenwu.testing import Clock

    c = Clock(local(2026, 3, 10, 10, 0))
    monkeypatch.setattr(timezone, "now", c)
    return c


@pytest.fixture
def civil(town: Any, now: Any) -> Civil:
    return Civil(town_officer=make_staff("mz_town", roles=[Role.CIVIL_AFFAIRS], scope=town.town),
                 town_officer2=make_staff("mz_town2", roles=[Role.CIVIL_AFFAIRS], scope=town.town),
                 village_a=make_staff("mz_a", roles=[Role.CIVIL_AFFAIRS], scope=town.village_a),
                 village_b=make_staff("mz_b", roles=[Role.CIVIL_AFFAIRS], scope=town.village_b),
                 leader=make_staff("mz_leader", roles=[Role.LEADER], scope=town.town),
                 clerk=make_staff("mz_clerk", roles=[Role.WINDOW_CLERK], scope=town.town),
                 rules=rules_seed(town_code=TOWN, effective_from=dt.date(2026, 1, 1)))


@pytest.fixture
def dibao_home(town: Any, civil: Civil) -> Any:
    """A 低保 household of three in grid A: 1,500 a month of income, no rigid expenditure (need 3,630)."""
    return f.assistance_file(town.grid_a, status="dibao", members=[{}, {}, {}], incomes=["1500.00"])
