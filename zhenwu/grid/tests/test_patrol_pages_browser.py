"""巡查记录 in Chromium: the grid leader opens the list, follows a patrol to its page and Leaflet draws the
track as a line with its start, end and the check-in made on the way."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.grid.tests.test_patrol_pages import LAT, LNG, patrol
from zhenwu.registry.tests import factories
from zhenwu.testing import make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_leader_follows_a_patrol_to_its_track_on_the_map(town: Any, personas: Any, browser_login: Any,
                                                            live_server: Any) -> None:
    leader = make_staff("gl_a", roles=[Role.GRID_LEADER], scope=town.village_a, full_name="东山村网格长")
    place = factories.place(town.grid_a, name="东山便民超市", lng=LNG, lat=LAT + 0.0005)
    start = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=2)
    made = patrol(personas.grid_worker_a, start, metres=400, place=place)
    page = browser_login(leader)
    page.goto(live_server.url + "/grid/patrols/")
    assert page.locator("#patrols tbody tr").count() == 1
    page.click(f"tr[data-patrol='{made.pk}'] a")
    page.wait_for_selector("#patrol-map[data-track-points]")
    assert int(page.get_attribute("#patrol-map", "data-track-points") or 0) == len(made.track)
    assert page.get_attribute("#patrol-map", "data-checkins") == "1"
    assert page.locator("path.patrol-track").count() == 1
    assert page.locator("path.patrol-start").count() == 1 and page.locator("path.patrol-checkin").count() == 1
