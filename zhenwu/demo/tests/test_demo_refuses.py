"""`zhenwu demo` writes only into an empty database or one it built (its marker), unless --force."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenwu.accounts.models import User
from zhenwu.areas.models import Area
from zhenwu.demo.models import DemoMarker

pytestmark = pytest.mark.django_db


def demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--scale", "0.01", *args, stdout=out)
    return out.getvalue()


def test_it_refuses_a_database_with_accounts_it_did_not_make(demo_settings):
    User.objects.create_user(username="zhang", password="Real#Secret9", email="zhang@town.gov.cn")
    with pytest.raises(CommandError) as excinfo:
        demo()
    assert excinfo.value.returncode == 3
    message = str(excinfo.value)
    assert "1 个账号" in message and "1 accounts" in message and "--force" in message
    assert not Area.objects.exists() and not DemoMarker.objects.exists()
    assert list(User.objects.values_list("username", flat=True)) == ["zhang"]


def test_it_refuses_real_areas_even_under_the_demo_county_code(demo_settings, town):
    """A real deployment's areas (the test town uses the same county code) are not the demo's."""
    with pytest.raises(CommandError) as excinfo:
        demo("--reset")
    assert excinfo.value.returncode == 3
    assert Area.objects.filter(pk=town.town.pk).exists()


def test_its_own_database_is_built_again_with_what_people_added(demo_settings):
    demo()
    assert DemoMarker.objects.count() == 1
    User.objects.create_user(username="visitor", password="Real#Secret9")  # e.g. someone registered on the demo
    assert "clerk" in demo()


def test_force_builds_anyway(demo_settings):
    User.objects.create_user(username="zhang", password="Real#Secret9", email="zhang@town.gov.cn")
    assert "clerk" in demo("--force")
    assert DemoMarker.objects.exists()


def test_a_database_built_before_the_marker_is_recognised(demo_settings):
    demo()
    DemoMarker.objects.all().delete()
    assert "clerk" in demo()
    User.objects.create_user(username="zhang", email="zhang@town.gov.cn")
    DemoMarker.objects.all().delete()
    with pytest.raises(CommandError):
        demo()
