"""`zhenwu demo --scale`: the base data and grid staffing in the database, re-runs and --reset."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
