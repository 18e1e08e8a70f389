"""Bad input to a dispute: a clear 400 naming the field, and nothing filed."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import Case
from zhenwu.grid.models import Dispute
from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators, new_dispute, post
from zhenwu.testing import GRID_B

__all__ = ["_media", "mediators"]
pytestmark = pytest.mark.django_db
BASE = "/api/v1/grid/disputes/"


def _party(**over):
    return {"role": "respondent", "name": "李四", **over}


@pytest.mark.parametrize(("over", "field"), [
    ({"kind": "feud"}, "kind"),
    ({"risk": "extreme"}, "risk"),
    ({"level": "county"}, "level"),
    ({"grid_code": GRID_B}, "grid_code"),  # outside the grid worker's scope
    ({"grid_code": "321181102201"}, "grid_code"),  # a village, not a grid
    ({"description": "  "}, "description"),
    ({"occurred_on": "2999-01-01"}, "occurred_on"),
])
def test_a_bad_field_is_named(town, mediators, over, field):
    response = post(client(mediators.grid_worker), BASE, new_dispute(town, **over))
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not Dispute.objects.exists() and not Case.objects.filter(kind="JF").exists()


@pytest.mark.parametrize(("party", "field"), [
    (_party(id_number="320682198001011238"), "parties.1.id_number"),  # wrong check digit
    (_party(id_number="91350100M000100Y44"), "parties.1.id_number"),  # a USCC with a wrong check character
    (_party(mobile="12345"), "parties.1.mobile"),
    (_party(name=""), "parties.1.name"),
    (_party(role="witness"), "parties.1.role"),
    (_party(resident_id=999999), "parties.1.resident_id"),
])
def test_a_bad_party_is_named(town, mediators, party, field):
    body = new_dispute(town)
    body["parties"][1] = party
    response = post(client(mediators.grid_worker), BASE, body)
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field
    assert not Dispute.objects.exists()


def test_a_dispute_needs_both_sides(town, mediators):
    body = new_dispute(town)
    body["parties"] = body["parties"][:1]
    response = post(client(mediators.grid_worker), BASE, body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "parties"


def test_an_enterprise_party_and_a_uscc_are_accepted(town, mediators):
    from zhenwu.registry.tests import factories
    from zhenwu.testing import VALID_USCC

    ent = factories.enterprise(town.grid_a)
    body = new_dispute(town, kind="labour")
    body["parties"].append({"role": "respondent", "enterprise_id": ent.pk})
    body["parties"].append({"role": "respondent", "name": "某劳务公司", "id_number": VALID_USCC.lower()})
    response = post(client(mediators.grid_worker), BASE, body)
    assert response.status_code == 201, response.content
    ids = [p["id_number"] for p in response.json()["parties"]]
    assert ent.uscc in ids and VALID_USCC in ids


def test_an_unknown_action_and_a_session_after_the_decision_are_refused(town, mediators):
    c = client(mediators.grid_worker)
    number = post(c, BASE, new_dispute(town)).json()["number"]
    assert post(c, f"{BASE}{number}/actions/explode", {}).json()["errors"][0]["field"] == "action"
    assert post(c, f"{BASE}{number}/actions/withdraw", {"reason": "当事人自行和解"}).json()["status"] == "withdrawn"
    late = post(c, f"{BASE}{number}/sessions", {"held_on": "2026-01-05", "place": "村委会", "minutes": "x",
                                                "result": "agreed"})
    assert late.status_code == 400 and late.json()["errors"][0]["field"] == "status"
    future = post(c, f"{BASE}{number}/sessions", {"held_on": "2999-01-05", "place": "村", "minutes": "x",
                                                  "result": "agreed"})
    assert future.status_code == 400


def test_filters_and_paging(town, mediators):
    c = client(mediators.dispatcher)
    for kind in ("neighbour", "debt", "debt"):
        assert post(c, BASE, new_dispute(town, kind=kind)).status_code == 201
    assert c.get(BASE, {"kind": "debt"}).json()["count"] == 2
    assert len(c.get(BASE, {"limit": 1, "offset": 1}).json()["items"]) == 1
    assert c.get(BASE, {"q": "张三"}).json()["count"] == 3
    assert c.get(BASE, {"status": "nonsense"}).status_code == 400
    assert c.get(BASE, {"level": "town", "open": "true"}).json()["count"] == 3
