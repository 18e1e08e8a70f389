"""A/B角 across towns: staff of another town are not found (404), and a stand-in's scope must cover
every case of the person they stand in for (400)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.services import area_create
from zhenwu.casework.models import StandIn
from zhenwu.errors import FieldError, NotFound
from zhenwu.services.services import stand_in_set
from zhenwu.testing import PASSWORD, make_staff, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_town(town: Any) -> Any:
    return area_create(code="321181103", name="邻镇", level=AreaLevel.TOWN, parent=town.county,
                       geometry=square(119.60, 31.90, 119.70, 32.00))


def _week() -> dict[str, dt.datetime]:
    now = timezone.now()
    return {"starts_at": now, "ends_at": now + dt.timedelta(days=7)}


def test_it_does_not_find_a_clerk_of_another_town_named_by_a_clerk(hall: Any, other_town: Any) -> None:
    stranger = make_staff("far_clerk", roles=[Role.WINDOW_CLERK], scope=other_town)
    with pytest.raises(NotFound):
        stand_in_set(actor=hall.clerk, user=hall.clerk, stand_in=stranger, **_week())
    assert not StandIn.objects.exists()


def test_it_does_not_find_another_towns_staff_for_a_leader(hall: Any, other_town: Any) -> None:
    stranger = make_staff("far_clerk", roles=[Role.WINDOW_CLERK], scope=other_town)
    with pytest.raises(NotFound):
        stand_in_set(actor=hall.leader, user=stranger, stand_in=hall.clerk2, **_week())


def test_it_refuses_a_stand_in_whose_scope_does_not_cover_the_handlers_cases(hall: Any) -> None:
    with pytest.raises(FieldError) as err:
        stand_in_set(actor=hall.clerk, user=hall.clerk, stand_in=hall.village_a, **_week())
    assert err.value.status == 400 and err.value.field == "stand_in"


def test_a_leader_names_a_colleague_of_the_town(hall: Any) -> None:
    row = stand_in_set(actor=hall.leader, user=hall.clerk, stand_in=hall.clerk2, **_week())
    assert row.stand_in == hall.clerk2


def test_the_api_answers_404_for_another_towns_stand_in(hall: Any, other_town: Any) -> None:
    stranger = make_staff("far_clerk", roles=[Role.WINDOW_CLERK], scope=other_town)
    client = Client()
    client.login(username=hall.clerk.username, password=PASSWORD)
    body = {"user_id": hall.clerk.pk, "stand_in_id": stranger.pk,
            "starts_at": timezone.now().isoformat(), "ends_at": (timezone.now() + dt.timedelta(days=2)).isoformat()}
    r = client.post("/api/v1/services/stand-ins", json.dumps(body), content_type="application/json")
    assert r.status_code == 404, r.content
    body["stand_in_id"] = 987654
    r = client.post("/api/v1/services/stand-ins", json.dumps(body), content_type="application/json")
    assert r.status_code == 404


def test_the_admin_refuses_a_stand_in_who_does_not_cover_the_user(hall: Any, other_town: Any, settings: Any) -> None:
    settings.ADMIN_TWO_FACTOR = False
    stranger = make_staff("far_clerk", roles=[Role.WINDOW_CLERK], scope=other_town)
    root = make_staff("root", roles=[Role.ADMIN], scope=other_town.parent, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    now = timezone.now()
    r = client.post("/admin/casework/standin/add/", {
        "user": hall.clerk.pk, "stand_in": stranger.pk, "starts_at_0": f"{now:%Y-%m-%d}", "starts_at_1": "08:00:00",
        "ends_at_0": f"{now + dt.timedelta(days=3):%Y-%m-%d}", "ends_at_1": "18:00:00"})
    assert r.status_code == 200 and not StandIn.objects.exists()
