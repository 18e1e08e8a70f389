"""Fixtures of the service-hall tests: the hall's personas and one item (the clock is in the root conftest)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from zhenwu.services.models import ServiceItem
from zhenwu.services.tests.factories import Hall, build_hall, make_item


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}


@pytest.fixture(autouse=True)
def _forget_item_processes() -> Iterator[None]:
    # Item processes are built from the database on first use and kept for the process's life; a test's
    # rolled-back item must not lend its chain to the next test's item of the same code.
    yield
    from zhenwu.casework.process import _PROCESSES
    from zhenwu.services.process import PREFIX

    for key in [k for k in _PROCESSES if k.startswith(PREFIX)]:
        del _PROCESSES[key]


@pytest.fixture
def hall(town: Any) -> Hall:
    return build_hall(town)


@pytest.fixture
def item(db: None) -> ServiceItem:
    return make_item()
