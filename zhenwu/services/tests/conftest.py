"""Fixtures of the service-hall tests: the hall's personas, one item, a movable clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from zhenwu.casework.workcal import calendar_invalidate
from zhenwu.services.models import ServiceItem
from zhenwu.services.tests.factories import Hall, build_hall, make_item


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}
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
def hall(town: Any) -> Hall:
    return build_hall(town)


@pytest.fixture
def item(db: None) -> ServiceItem:
    return make_item()
