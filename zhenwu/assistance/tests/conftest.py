"""Fixtures of the assistance tests: the people of the town's civil-affairs work and a family of grid A."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.registry.choices import GridDuty, Relation
from zhenwu.registry.models import Household, Resident
from zhenwu.registry.tests import factories
from zhenwu.testing import make_staff


@dataclass
class People:
    civil: User  # 民政 of the town
    worker_a: User  # the village worker of grid A (a grid worker assigned to it)
    worker_b: User  # the village worker of grid B
    village_a: User  # village service staff of village A
    clerk: User  # a window clerk of the town
    supervisor: User  # a supervisor of the county
    civil_b: User  # civil affairs of village B only (another scope)


@pytest.fixture
def people(town: Any) -> People:
    worker_a = make_staff("vw_a", roles=[Role.GRID_WORKER], scope=town.grid_a)
    worker_b = make_staff("vw_b", roles=[Role.GRID_WORKER], scope=town.grid_b)
    factories.assignment(town.grid_a, worker_a, GridDuty.WORKER)
    factories.assignment(town.grid_b, worker_b, GridDuty.WORKER)
    return People(civil=make_staff("civil", roles=[Role.CIVIL_AFFAIRS], scope=town.town),
                  worker_a=worker_a, worker_b=worker_b,
                  village_a=make_staff("vs_a", roles=[Role.VILLAGE_STAFF], scope=town.village_a),
                  clerk=make_staff("window", roles=[Role.WINDOW_CLERK], scope=town.town),
                  supervisor=make_staff("sup", roles=[Role.SUPERVISOR], scope=town.county),
                  civil_b=make_staff("civil_b", roles=[Role.CIVIL_AFFAIRS], scope=town.village_b))


@dataclass
class Family:
    home: Household
    head: Resident
    spouse: Resident
    child: Resident


def make_family(grid: Any, name: str = "张建国") -> Family:
    home = factories.household(grid)
    head = factories.resident(grid, household=home, name=name, relation=Relation.HEAD,
                              id_number=factories.id_number("19700101"))
    spouse = factories.resident(grid, household=home, name="李秀英", relation=Relation.SPOUSE,
                                id_number=factories.id_number("19720202"))
    child = factories.resident(grid, household=home, name="张小宝", relation=Relation.CHILD,
                               id_number=factories.id_number("20150303"))
    home.head = head
    home.save(update_fields=["head"])
    return Family(home, head, spouse, child)


@pytest.fixture
def family(town: Any) -> Family:
    return make_family(town.grid_a)


