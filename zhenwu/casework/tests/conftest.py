"""Casework test helpers: a demo case (the clock and the fresh calendar are in the root conftest)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from zhenwu.casework.models import Case
from zhenwu.casework.services import case_create
from zhenwu.testing import GRID_A, TEST_KIND, Personas


@pytest.fixture
def make_case(personas: Personas) -> Callable[..., Case]:
    def make(area_code: str = GRID_A, **extra: object) -> Case:
        values: dict = {"kind": TEST_KIND, "process": "generic", "area_code": area_code, "title": "路灯不亮",
                        "actor": personas.town_staff, **extra}
        return case_create(**values)
    return make
