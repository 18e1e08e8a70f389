"""The kind JF: a case maps to its dispute and page; the generic transition endpoint refuses it; the process
is valid data with a limit per level from the settings."""

from __future__ import annotations

import pytest

from zhenwu.casework.kinds import case_kind, case_pillar
from zhenwu.casework.models import Case
from zhenwu.casework.process import process_get, process_load
from zhenwu.grid import dispute_process as dp
from zhenwu.grid.models import Dispute
from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators, new_dispute, post

__all__ = ["_media", "mediators"]


@pytest.mark.django_db
def test_the_process_is_valid_and_has_the_follow_up_step():
    proc = process_load(dp.definition(), check_callables=True)
    assert proc.start.key == dp.MEDIATING
    assert {a.key for a in proc.actions_from(dp.SETTLED)} == {dp.FOLLOW_UP}
    assert process_get(dp.PROCESS).key == dp.PROCESS


@pytest.mark.django_db
def test_a_dispute_case_maps_to_its_row_and_moves_only_through_the_grid_api(town, mediators):
    number = post(client(mediators.grid_worker), "/api/v1/grid/disputes/", new_dispute(town)).json()["number"]
    case = Case.objects.get(number=number)
    kind = case_kind(case)
    assert kind is not None and kind.label == "矛盾纠纷"
    assert isinstance(case_pillar(case), Dispute)
    response = post(client(mediators.grid_worker), f"/api/v1/casework/cases/{number}/transitions",
                    {"action": "settle", "fields": {"agreement": "x"}})
    assert response.status_code == 403
    detail = client(mediators.grid_worker).get(f"/api/v1/casework/cases/{number}").json()
    assert detail["status"] == "mediating" and detail["page_url"] == f"/grid/disputes/{number}/"
