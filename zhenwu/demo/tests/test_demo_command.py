"""`zhenwu demo`: the town in the database, idempotent re-runs, --reset and --towns."""

from __future__ import annotations

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import shape

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import Department, User
from zhenwu.areas.models import Area

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    """The command on a small town (the grids and staff are complete at any scale)."""
    out = io.StringIO()
    call_command("demo", *args, *([] if "--scale" in args else ["--scale", "0.01"]), stdout=out)
    return out.getvalue()


def user_mobile(username: str) -> str:
    return User.objects.get(username=username).mobile or ""


def level_counts(prefix: str = "321181102") -> Counter[str]:
    return Counter(Area.objects.filter(code__startswith=prefix).values_list("level", flat=True))


def snapshot() -> tuple[int, int, int, list[tuple[str, str]]]:
    areas = list(Area.objects.order_by("code").values_list("code", "geometry"))
    return (User.objects.count(), Department.objects.count(), Area.objects.count(),
            [(code, json.dumps(geom, sort_keys=True)) for code, geom in areas])


def test_running_again_does_not_duplicate(demo_settings):
    demo("--seed", "3")
    first = snapshot()
    demo("--seed", "3")
    assert snapshot() == first


def test_another_seed_replaces_the_town_without_leftovers(demo_settings):
    demo("--seed", "1")
    demo("--seed", "2")
    assert level_counts() == {"town": 1, "village": 12, "grid1": 12, "grid2": 49, "special": 2}
    assert User.objects.filter(role_assignments__role=Role.GRID_WORKER).count() == 61
    assert User.objects.filter(role_assignments__role=Role.INFO_OFFICER).count() == 183


def test_reset_deletes_the_demo_and_builds_it_again(demo_settings):
    demo()
    first = snapshot()
    Area.objects.filter(code="321181102201001").update(name="renamed")
    out = demo("--reset")
    assert "deleted" in out.lower() or "删除" in out
    assert snapshot() == first


def test_two_towns_get_their_own_grids_and_prefixed_logins(demo_settings, client):
    demo("--towns", "2")
    for code in ("321181102", "321181103"):
        assert level_counts(code) == {"town": 1, "village": 12, "grid1": 12, "grid2": 49, "special": 2}
    assert User.objects.get(username="t103_clerk").scope_code == "321181103"
    county = shape(Area.objects.get(code="321181").geometry)
    assert all(county.covers(shape(t.geometry)) for t in Area.objects.filter(level="town"))
    assert client.login(username="t103_gridworker", password="Zhenwu#2026")


def test_it_refuses_to_overwrite_an_account_that_is_not_a_demo_account(demo_settings):
    User.objects.create_user(username="admin", password="Real#Secret9", email="root@example.org")
    with pytest.raises(CommandError) as excinfo:
        demo("--force")  # past the check for foreign data: the clash itself stops it
    assert excinfo.value.returncode == 2
    assert User.objects.get(username="admin").check_password("Real#Secret9")
    assert not Area.objects.filter(code__startswith="321181").exists()


def test_reset_refuses_while_a_real_account_is_scoped_in_the_demo_county(demo_settings):
    demo()
    User.objects.create_user(username="real", scope_area=Area.objects.get(code="321181102"))
    with pytest.raises(CommandError):
        demo("--reset")
    assert User.objects.filter(username="clerk").exists()
    assert level_counts()["grid2"] == 49


def test_it_rejects_a_bad_number_of_towns(demo_settings):
    with pytest.raises(CommandError) as excinfo:
        demo("--towns", "0")
    assert excinfo.value.returncode == 2
