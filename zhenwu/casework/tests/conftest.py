"""Casework test helpers: a fresh working-day index per test, a clock to move, a demo case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.utils import timezone

from zhenwu.casework.models import Case
from zhenwu.casework.services import case_create
from zhenwu.casework.workcal import calendar_invalidate
from zhenwu.testing import GRID_A, Personas


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    calendar_invalidate()
    yield
    calendar_invalidate()


class Clock:
    """Pins django.utils.timezone.now to a moment the test moves."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock(local(2025, 9, 30, 10, 0))
    monkeypatch.setattr(timezone, "now", c)
    return c


@pytest.fixture
def make_case(personas: Personas) -> Callable[..., Case]:
    def make(area_code: str = GRID_A, **extra: object) -> Case:
        values: dict = {"kind": "SQ", "process": "generic", "area_code": area_code, "title": "路灯不亮",
                        "actor": personas.town_staff, **extra}
        return case_create(**values)
    return make
