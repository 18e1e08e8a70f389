"""Fixtures of the grid tests: a fresh media root and cache, categories and the grid staff."""

from __future__ import annotations

from typing import Any

import pytest

from zhenwu.grid.models import Category
from zhenwu.grid.tests.factories import GridStaff, build_grid_staff, make_categories
from zhenwu.testing import TestTown


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}


@pytest.fixture
def categories(db: None) -> dict[str, Category]:
    return make_categories()


@pytest.fixture
def staff(town: TestTown) -> GridStaff:
    return build_grid_staff(town)
