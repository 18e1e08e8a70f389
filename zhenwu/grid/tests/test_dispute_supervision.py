"""A dispute left overdue at its level is in the kernel's supervision lists as 矛盾纠纷 with its page, and the
reminder (催办) goes to whoever answers for it — the grid worker who filed it at grid level."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.services import tick
from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators, new_dispute, post
from zhenwu.testing import local

__all__ = ["_media", "mediators"]
pytestmark = pytest.mark.django_db


def test_an_overdue_dispute_is_listed_and_its_grid_worker_urged(town, mediators, personas, clock, settings):
    settings.GRID_DISPUTE_DAYS = {"grid": 2, "village": 5, "town": 10}
    settings.GRID_AUTO_ESCALATE = False  # else the tick passes it up to the village (test_dispute_auto_escalation)
    gw = mediators.grid_worker
    gw.mobile = "13700001234"
    gw.save(update_fields=["mobile"])
    clock.now = local(2026, 3, 2, 9)  # a Monday
    number = post(client(gw), "/api/v1/grid/disputes/", new_dispute(town)).json()["number"]
    clock.now = local(2026, 3, 6, 9)  # two working days have passed
    tick()
    overdue = client(personas.county_staff).get("/api/v1/casework/supervision/overdue?kind=JF").json()
    assert [(r["number"], r["kind_label"], r["page_url"]) for r in overdue["items"]] == [
        (number, "矛盾纠纷", f"/grid/disputes/{number}/")]
    assert OutboxMessage.objects.filter(recipient="13700001234", body__contains=number).exists()
