"""A dispute mediated at grid level: filed by the grid worker, a session, 调解成功 with the agreement as a
Chinese PDF, 回访 — and grid B's worker never sees it."""

from __future__ import annotations

import pytest

from zhenwu.casework.models import AuditEntry, CaseAttachment
from zhenwu.grid.models import Dispute
from zhenwu.grid.tests.dispute_fixtures import RESPONDENT_ID, _media, client, mediators, new_dispute, pdf_text, post

__all__ = ["_media", "mediators"]
pytestmark = pytest.mark.django_db
BASE = "/api/v1/grid/disputes/"


def _file(town, gw) -> dict:
    response = post(client(gw), BASE, new_dispute(town))
    assert response.status_code == 201, response.content
    return response.json()


def test_the_grid_worker_files_a_dispute_at_grid_level_with_the_grid_limit(town, mediators, settings):
    body = _file(town, mediators.grid_worker)
    assert body["number"].startswith("JF-321181102-")
    assert (body["status"], body["status_label"], body["level"], body["kind_label"]) == (
        "mediating", "调解中", "grid", "邻里纠纷")
    assert [p["name"] for p in body["parties"]] == ["张三", "李四"]
    assert {a["key"] for a in body["actions"]} == {"escalate", "settle", "withdraw", "session"}
    assert body["due_at"] is not None and body["light"] == "green"


def test_settled_at_grid_level_the_agreement_is_a_chinese_pdf_filed_on_the_case(town, mediators):
    gw = mediators.grid_worker
    number = _file(town, gw)["number"]
    c = client(gw)
    session = post(c, f"{BASE}{number}/sessions", {"held_on": "2026-01-05", "place": "东山村调解室",
                                                   "minutes": "双方陈述，同意后退围墙半米。", "result": "agreed"})
    assert session.status_code == 201 and session.json()["mediators"] == ["gw_a"]
    detail = c.get(f"{BASE}{number}").json()
    settled = post(c, f"{BASE}{number}/actions/settle",
                   {"agreement": "李四于十日内将围墙后退五十厘米，张三承担一半费用。",
                    "expected_version": detail["version"]})
    assert settled.status_code == 200, settled.content
    body = settled.json()
    assert (body["status"], body["outcome"]) == ("settled", "settled")
    pdf = c.get(body["agreement_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content))  # type: ignore[attr-defined]
    for expected in ("人民调解协议书", number, "东山村人民调解委员会", "张三", "李四", RESPONDENT_ID,
                     "李四于十日内将围墙后退五十厘米", "邻里纠纷", "gw_a", "申请人", "被申请人"):
        assert expected in text, expected
    link = CaseAttachment.objects.get(case__number=number)
    assert Dispute.objects.get(case__number=number).agreement_sha256 == link.attachment.sha256
    assert link.attachment.content_type == "application/pdf"
    closed = post(c, f"{BASE}{number}/actions/follow_up", {"record": "回访：围墙已后退，双方无异议。"})
    assert closed.json()["status"] == "closed" and closed.json()["actions"] == []
    actions = list(AuditEntry.objects.filter(subject=number).order_by("seq").values_list("action", flat=True))
    assert actions == ["create", "dispute_session", "settle", "attachment_add", "follow_up"]


def test_grid_b_does_not_see_grid_a_s_dispute_and_cannot_act(town, mediators):
    number = _file(town, mediators.grid_worker)["number"]
    other = client(mediators.grid_worker_b)
    assert other.get(f"{BASE}{number}").status_code == 404
    assert post(other, f"{BASE}{number}/actions/settle", {"agreement": "x"}).status_code == 404
    assert other.get(BASE).json() == {"items": [], "count": 0}
    assert client(mediators.grid_worker).get(BASE).json()["count"] == 1


def test_a_stale_version_is_409_and_changes_nothing(town, mediators):
    c = client(mediators.grid_worker)
    body = _file(town, mediators.grid_worker)
    response = post(c, f"{BASE}{body['number']}/actions/settle",
                    {"agreement": "协议", "expected_version": body["version"] + 1})
    assert response.status_code == 409
    assert c.get(f"{BASE}{body['number']}").json()["status"] == "mediating"
