"""The demo loads the power list (the county's), and a second run leaves it as it was."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from zhenwu.enforcement.models import PenaltyPower, PenaltyPowerVersion

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_power_list(settings, tmp_path):
    settings.DATA_DIR = tmp_path  # demo_logins.json goes there
    call_command("demo", "--scale", "0.01", stdout=io.StringIO())
    assert PenaltyPower.objects.count() >= 150
    assert PenaltyPower.objects.values("department").distinct().count() >= 8
    versions = PenaltyPowerVersion.objects.count()
    out = io.StringIO()
    call_command("enforcement", "load-powers", stdout=out)
    assert PenaltyPowerVersion.objects.count() == versions and "0 written" in out.getvalue()
