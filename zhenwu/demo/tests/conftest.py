"""Fixtures of the demo generator's tests: one planned town (no database) and a fast build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zhenwu.demo.tree import TownPlan, plan_town


@pytest.fixture(scope="module")
def plan() -> TownPlan:
    return plan_town(seed=1, index=0)


@pytest.fixture
def demo_settings(settings: Any, tmp_path: Path) -> Any:
    """demo_logins.json in a temporary directory; a cheap hasher, since every test logs in."""
    settings.DATA_DIR = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings
