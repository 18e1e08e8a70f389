"""Fixtures of the enforcement tests: officers of the town, a leader, a legal reviewer and one power."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.enforcement.models import Officer, PenaltyPower
from zhenwu.enforcement.tests import factories as f
from zhenwu.testing import make_staff


@dataclass
class Team:
    a: Officer
    b: Officer
    c: Officer
    expired: Officer
    leader: User
    legal: User
    power: PenaltyPower


@pytest.fixture
def team(town: Any) -> Team:
    return Team(a=f.officer("zf_a", town.town), b=f.officer("zf_b", town.town), c=f.officer("zf_c", town.town),
                expired=f.officer("zf_old", town.town, valid_until=datetime.date(2020, 1, 1)),
                leader=make_staff("zf_leader", roles=[Role.LEADER], scope=town.town),
                legal=make_staff("zf_legal", roles=[Role.LEGAL_REVIEWER], scope=town.town),
                power=f.power())
