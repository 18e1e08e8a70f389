"""Ids past 64 bits or below 1 in every place disputes and visits take an id: a 400, never a 500."""

from __future__ import annotations

import pytest

from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators, new_dispute, post

__all__ = ["_media", "mediators"]
BIG = 2**63


@pytest.mark.django_db
def test_ids_out_of_range_are_refused_as_input(town, mediators):
    c = client(mediators.grid_worker)
    number = post(c, "/api/v1/grid/disputes/", new_dispute(town)).json()["number"]
    session = {"held_on": "2026-01-01", "place": "村委会", "minutes": "笔录", "result": "agreed"}
    for ids in ([9 * 10**30], [BIG], [0]):
        assert post(c, f"/api/v1/grid/disputes/{number}/sessions", {**session, "mediator_ids": ids}).status_code == 400
    for party in ({"role": "applicant", "resident_id": BIG}, {"role": "applicant", "enterprise_id": -5}):
        body = new_dispute(town)
        body["parties"][0] = party
        assert post(c, "/api/v1/grid/disputes/", body).status_code == 400
    stale = post(c, f"/api/v1/grid/disputes/{number}/actions/settle", {"agreement": "x", "expected_version": BIG})
    assert stale.status_code == 400
    assert c.get("/api/v1/grid/visits/", {"household": BIG, "worker": 2**70}).status_code == 400
    visit = {"target_kind": "household", "target_id": BIG, "record": "x"}
    assert c.post("/api/v1/grid/visits/", visit).status_code == 400
    assert c.get(f"/api/v1/grid/visits/{BIG}").status_code in (400, 404)
