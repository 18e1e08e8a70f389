"""小事不出网格、难事不出乡镇: a dispute not settled at grid level goes to the village, then the town, each level
with its own limit; the level that answers for it acts, the levels below only read; the town refers it."""

from __future__ import annotations

import pytest

from zhenwu.casework import deadlines
from zhenwu.casework.models import Case, OutboxMessage
from zhenwu.casework.supervision import urge_recipient
from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators, new_dispute, post

__all__ = ["_media", "mediators"]
pytestmark = pytest.mark.django_db
BASE = "/api/v1/grid/disputes/"


def _due(case: Case, level_days: int):
    assert case.deadline_started_at is not None
    return deadlines.due_at("working_days", level_days, case.deadline_started_at)[0]


def test_escalated_to_village_then_town_and_referred_to_the_court(town, mediators, settings):
    settings.GRID_DISPUTE_DAYS = {"grid": 3, "village": 7, "town": 12}
    gw, village, dispatcher = mediators.grid_worker, mediators.village_staff, mediators.dispatcher
    number = post(client(gw), BASE, new_dispute(town, kind="land")).json()["number"]
    case = Case.objects.get(number=number)
    assert case.deadline_limit == 3

    assert urge_recipient(case) == gw  # reminders go to whoever answers for it now
    up = post(client(gw), f"{BASE}{number}/actions/escalate", {"reason": "双方分歧大，网格调解不成。"})
    assert up.status_code == 200 and up.json()["level"] == "village"
    assert urge_recipient(case) == village
    told = list(OutboxMessage.objects.values_list("recipient", "body"))
    assert told == [("13800000001", f"矛盾纠纷{number}（{case.title}）已上报由您调处：双方分歧大，网格调解不成。")]
    case.refresh_from_db()
    assert case.deadline_limit == 7 and case.deadline_due_at == _due(case, 7)
    # the grid no longer answers for it: the worker reads it but takes no step
    assert client(gw).get(f"{BASE}{number}").json()["actions"] == []
    assert post(client(gw), f"{BASE}{number}/actions/settle", {"agreement": "x"}).status_code == 403
    # the village may not send it out of the town
    assert post(client(village), f"{BASE}{number}/actions/refer",
                {"referral_to": "court", "reason": "x"}).status_code == 403
    session = post(client(village), f"{BASE}{number}/sessions",
                   {"held_on": "2026-01-06", "place": "村委会", "minutes": "村级调解，未达成一致。", "result": "failed",
                    "mediator_ids": [village.pk, gw.pk]})
    assert session.status_code == 201 and session.json()["level"] == "village"

    up = post(client(village), f"{BASE}{number}/actions/escalate", {"reason": "村级调解不成，报镇。"})
    assert OutboxMessage.objects.filter(recipient="13800000002").count() == 1  # the town's dispatcher
    assert up.json()["level"] == "town" and up.json()["level_label"] == "镇（街道）"
    case.refresh_from_db()
    assert case.deadline_limit == 12
    assert {a["key"] for a in client(village).get(f"{BASE}{number}").json()["actions"]} == set()
    town_actions = {a["key"] for a in client(dispatcher).get(f"{BASE}{number}").json()["actions"]}
    assert town_actions == {"settle", "refer", "withdraw", "session"}  # no level above the town

    referred = post(client(dispatcher), f"{BASE}{number}/actions/refer",
                    {"referral_to": "court", "reason": "土地权属争议，调解不成，告知起诉。"})
    body = referred.json()
    assert (body["status"], body["outcome"], body["referral_to"]) == ("referred", "referred", "court")
    assert body["agreement_url"] is None
    assert client(dispatcher).get(f"{BASE}{number}/agreement.pdf").status_code == 404
    done = post(client(dispatcher), f"{BASE}{number}/actions/follow_up", {"record": "已回访，法院已立案。"})
    assert done.json()["status"] == "closed"
    labels = [e["action_label"] for e in done.json()["timeline"]][1:]  # after the kernel's filing entry
    assert labels == ["上报上级调解", "调解记录", "上报上级调解", "调解不成，移交", "回访"]


def test_escalation_stops_at_the_town_and_referral_needs_a_known_target(town, mediators):
    dispatcher = mediators.dispatcher
    number = post(client(dispatcher), BASE, new_dispute(town)).json()["number"]
    detail = client(dispatcher).get(f"{BASE}{number}").json()
    assert detail["level"] == "town"  # filed by the town, mediated by the town
    assert post(client(dispatcher), f"{BASE}{number}/actions/escalate", {"reason": "x"}).status_code == 403
    bad = post(client(dispatcher), f"{BASE}{number}/actions/refer", {"referral_to": "mars", "reason": "x"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "referral_to"
    assert client(dispatcher).get(f"{BASE}{number}").json()["version"] == detail["version"]


def test_the_centre_takes_a_referral_and_a_clerk_without_a_grid_role_is_refused(town, mediators):
    leader = mediators.leader
    number = post(client(mediators.grid_worker), BASE, new_dispute(town)).json()["number"]
    assert client(mediators.clerk).get(f"{BASE}{number}").status_code == 404  # no grid role: not there
    assert client(mediators.clerk).get(BASE).json() == {"items": [], "count": 0}
    assert post(client(mediators.clerk), BASE, new_dispute(town)).status_code == 403
    for _step in range(2):  # the town's leader may escalate from a lower level: the town steps in
        assert post(client(leader), f"{BASE}{number}/actions/escalate", {"reason": "升级"}).status_code == 200
    body = post(client(leader), f"{BASE}{number}/actions/refer",
                {"referral_to": "centre", "reason": "移交县中心"}).json()
    assert body["referral_to"] == "centre" and body["status_label"] == "已移交"
