"""`zhenwu demo --scale`: the base data and grid staffing in the database, re-runs and --reset."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.areas.index import locate
from zhenwu.areas.models import Area
from zhenwu.demo.services import demo_reset
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident, ResidentTag

pytestmark = pytest.mark.django_db
SCALE = "0.01"
MODELS = (Household, Resident, ResidentTag, Enterprise, Place, Camera, GridAssignment)


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--scale", SCALE, *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_it_writes_every_kind_and_reports_progress(demo_settings):
    out = demo()
    assert all(counts().values()), counts()
    assert "residents" in out or "居民" in out
    assert Household.objects.filter(head=None).count() == 0


def test_every_head_is_a_member_of_their_household(demo_settings):
    demo()
    assert not Household.objects.exclude(head__household=F("pk")).exists()
    assert not Resident.objects.filter(household=None).exists()


def test_every_row_lies_in_its_grid(demo_settings):
    demo()
    for model in (Household, Resident, Enterprise, Place, Camera):
        for row in model.objects.select_related("grid")[:200]:
            assert row.area_code == row.grid.code
            found = locate(row.lng or 0.0, row.lat or 0.0)
            assert row.grid.code in [found.grid_code, *(g["code"] for g in found.special_grids)], row


def test_grid_staffing_has_61_workers_and_183_information_officers(demo_settings):
    demo()
    duties = Counter(GridAssignment.objects.filter(ended_on=None).values_list("duty", flat=True))
    assert duties == {"leader": 12, "worker": 59, "special": 2, "info_officer": 183}
    assert GridAssignment.objects.exclude(ended_on=None).exists()  # some history
    officer = User.objects.get(username="info")
    assert officer.grid_assignments.get(ended_on=None).grid == officer.scope_area
    assert set(officer.roles) == {Role.INFO_OFFICER}


def test_running_again_keeps_the_rows(demo_settings):
    demo("--seed", "4")
    before = counts(), list(Resident.objects.order_by("pk").values_list("pk", "id_number")[:50])
    out = demo("--seed", "4")
    assert (counts(), list(Resident.objects.order_by("pk").values_list("pk", "id_number")[:50])) == before
    assert "kept" in out or "保留" in out


def test_another_scale_or_seed_replaces_the_rows(demo_settings):
    demo()
    first = set(Resident.objects.values_list("id_number", flat=True))
    call_command("demo", "--scale", "0.02", "--seed", "2", stdout=io.StringIO())
    second = set(Resident.objects.values_list("id_number", flat=True))
    assert len(second) > len(first) and not first & second
    assert Counter(GridAssignment.objects.filter(ended_on=None).values_list("duty", flat=True))["worker"] == 59


def test_reset_deletes_the_base_data_before_the_accounts_and_areas(demo_settings):
    demo()
    first = counts()
    demo("--reset")
    assert counts() == first
    demo_reset()
    assert not any(counts().values())
    assert not Area.objects.filter(code__startswith="321181").exists()


@pytest.mark.parametrize("scale", ["0", "1.5", "-1"])
def test_it_rejects_a_bad_scale(demo_settings, scale):
    with pytest.raises(CommandError) as excinfo:
        call_command("demo", "--scale", scale, stdout=io.StringIO())
    assert excinfo.value.returncode == 2
    assert not Area.objects.exists()
