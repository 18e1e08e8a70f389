"""Fixtures of the demo generator's tests: one planned town (no database) and a fast build."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhenwu.demo.tree import TownPlan, plan_town
from zhenwu.testing import shared_world


@pytest.fixture(scope="module")
def plan() -> TownPlan:
    return plan_town(seed=1, index=0)


@pytest.fixture
def demo_settings(settings: Any, tmp_path: Path) -> Any:
    """demo_logins.json in a temporary directory; a cheap hasher, since every test logs in."""
    settings.DATA_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@dataclass
class Built:
    """What one build of the demo printed, and where it wrote demo_logins.json."""

    out: str
    data_dir: Path


@pytest.fixture(scope="module")
def demo_built(request: pytest.FixtureRequest, django_db_setup: Any, django_db_blocker: Any,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The demo built once for a module's tests that only read it (``DEMO_SCALE`` in the module, default 0.01),
    inside a transaction rolled back after the module: each test still runs in its own savepoint, and a build
    costs seconds, so a module of readers pays for one. Modules using it are one xdist group (``loadgroup``)."""
    scale = str(getattr(request.module, "DEMO_SCALE", "0.01"))
    data_dir = tmp_path_factory.mktemp("demo")
    with shared_world(django_db_blocker, data_dir):
        out = io.StringIO()
        call_command("demo", "--scale", scale, stdout=out)
        yield Built(out.getvalue(), data_dir)
