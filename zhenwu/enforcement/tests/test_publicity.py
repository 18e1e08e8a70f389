"""行政处罚决定公开: a decided general case is published within 7 working days (masked for a citizen), overdue
ones show in the leaders' supervision list, an overturned one is withdrawn within 3 working days and stays on
the public page marked withdrawn with the reason."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.casework.models import AuditEntry
from zhenwu.enforcement.models import DecisionPublication, PenaltyCase
from zhenwu.enforcement.services.cases import Party, case_act, general_open, summary_decide
from zhenwu.enforcement.services.publicity import publication_publish, publication_withdraw
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.testing import GRID_A, VALID_ID, VALID_USCC, make_staff

CITIZEN = Party("张三丰", id_number=VALID_ID)
SHOP = Party("丹阳市东山机械有限公司", uscc=VALID_USCC)


def decided(team: Any, party: Party = SHOP) -> PenaltyCase:
    row = general_open(actor=team.a.user, power_code=team.power.code, party=party, area_code=GRID_A,
                       facts="占用消防通道堆放物料", investigators=[team.a.pk, team.b.pk])
    for user, action, fields in ((team.leader, "approve_filing", {"opinion": "同意立案"}),
                                 (team.a.user, "finish_investigation", {"report": "事实清楚"}),
                                 (team.a.user, "notify", {"penalty": "fine", "fine": "150", "band": "ordinary"}),
                                 (team.leader, "decide", {"penalty": "fine", "fine": "150", "band": "ordinary",
                                                          "defence_waived": True})):
        row = case_act(actor=user, number=row.case.number, action=action, fields=fields)
    return row


def api(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_a_decision_waits_7_working_days_and_is_not_public_until_published(team, clock):
    row = decided(team)
    pub = DecisionPublication.objects.get(penalty=row)
    # decided Tuesday 30 September 2025: the National Day week is not counted, Saturday 11 October is
    assert (pub.status, pub.due_on) == ("pending", datetime.date(2025, 10, 16))
    anonymous = Client()
    assert anonymous.get("/api/v1/enforcement/publications").json()["count"] == 0
    assert anonymous.get(f"/public/enforcement/decisions/{pub.pk}/").status_code == 404
    assert anonymous.get(f"/api/v1/enforcement/publications/{pub.pk}").status_code == 404


def test_a_summary_decision_is_not_scheduled_for_publication(team):
    summary_decide(actor=team.a.user, power_code=team.power.code, party=CITIZEN, area_code=GRID_A, facts="乱摆摊",
                   penalty_kind="fine", fine="50")
    assert not DecisionPublication.objects.exists()


def test_a_citizen_is_published_masked_and_never_with_the_id_number(team, clock):
    row = decided(team, CITIZEN)
    pub = post(api(team.legal), f"/api/v1/enforcement/publications/{row.publication.pk}/publish").json()
    assert (pub["party"], pub["status"], pub["decision_number"]) == ("张**", "published", row.decision_number)
    assert pub["basis"] == "《城市道路管理条例》第四十二条第一款" and pub["fine"] == "150.00"
    page = Client().get(f"/public/enforcement/decisions/{pub['id']}/").content.decode()
    listing = Client().get("/api/v1/enforcement/publications").content.decode()
    for text in (page, listing):
        assert "张**" in text and "张三丰" not in text and VALID_ID not in text and VALID_ID[-6:] not in text


def test_an_enterprise_is_published_by_its_name(team):
    row = decided(team, SHOP)
    publication_publish(actor=team.leader, pub_id=row.publication.pk)
    assert SHOP.name in Client().get("/public/enforcement/decisions/").content.decode()


def test_an_officer_may_not_publish_and_a_leader_elsewhere_does_not_see_it(team, town):
    row = decided(team)
    with pytest.raises(Forbidden):
        publication_publish(actor=team.a.user, pub_id=row.publication.pk)
    elsewhere = make_staff("zf_leader_b", roles=[Role.LEADER], scope=town.grid_b)
    with pytest.raises(NotFound):
        publication_publish(actor=elsewhere, pub_id=row.publication.pk)
    assert post(api(elsewhere), f"/api/v1/enforcement/publications/{row.publication.pk}/publish").status_code == 404
    assert DecisionPublication.objects.get(pk=row.publication.pk).status == "pending"


def test_publishing_twice_is_refused(team):
    row = decided(team)
    publication_publish(actor=team.legal, pub_id=row.publication.pk)
    response = post(api(team.legal), f"/api/v1/enforcement/publications/{row.publication.pk}/publish")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "status"


def test_an_overdue_publication_shows_in_the_supervision_list_until_published(team, clock):
    row = decided(team)
    url = "/api/v1/enforcement/publications/supervision"
    assert api(team.leader).get(url).json() == []  # not due yet
    assert [r["id"] for r in api(team.leader).get(url + "?overdue_only=false").json()] == [row.publication.pk]
    clock.advance(days=16)  # 16 October: the last day, not yet late
    assert api(team.leader).get(url).json() == []
    clock.advance(days=1)
    lines = api(team.leader).get(url).json()
    assert [(r["id"], r["task"], r["overdue"], r["due_on"]) for r in lines] == [
        (row.publication.pk, "publish", True, "2025-10-16")]
    publication_publish(actor=team.legal, pub_id=row.publication.pk)
    assert api(team.leader).get(url).json() == []
    entry = AuditEntry.objects.filter(subject=row.case.number, action="publication_publish").get()
    assert entry.data is not None and entry.data["late"] is True


def test_the_supervision_list_is_for_leaders_and_reviewers(team, personas):
    decided(team)
    url = "/api/v1/enforcement/publications/supervision"
    assert api(team.a.user).get(url).status_code == 403
    assert api(personas.citizen).get(url).status_code == 404
    assert Client().get(url).status_code == 401


def test_an_overturned_decision_is_withdrawn_and_stays_marked_with_the_reason(team, clock):
    row = decided(team)
    pub_id = publication_publish(actor=team.legal, pub_id=row.publication.pk).pk
    clock.advance(days=30)
    over = post(api(team.legal), f"/api/v1/enforcement/publications/{pub_id}/overturn",
                {"overturn_kind": "reconsideration_revoked", "overturned_on": clock.now.date().isoformat(),
                 "reason": "复议机关决定撤销"})
    assert over.status_code == 200, over.content
    stored = DecisionPublication.objects.get(pk=pub_id)
    assert stored.withdraw_due_on == datetime.date(2025, 11, 4)  # Thursday 30 October + 3 working days
    url = "/api/v1/enforcement/publications/supervision"
    assert api(team.leader).get(url).json() == []
    clock.advance(days=6)  # Wednesday 5 November: one day late
    assert [(r["id"], r["task"]) for r in api(team.leader).get(url).json()] == [(pub_id, "withdraw")]
    refused = post(api(team.legal), f"/api/v1/enforcement/publications/{pub_id}/withdraw", {"reason": "撤销"})
    assert refused.status_code == 403  # the leader withdraws
    empty = post(api(team.leader), f"/api/v1/enforcement/publications/{pub_id}/withdraw", {"reason": " "})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "reason"
    done = post(api(team.leader), f"/api/v1/enforcement/publications/{pub_id}/withdraw",
                {"reason": "经复议，原处罚决定被撤销"}).json()
    assert (done["status"], done["overturn_kind"], done["withdrawal_reason"]) == (
        "withdrawn", "reconsideration_revoked", "经复议，原处罚决定被撤销")
    assert api(team.leader).get(url).json() == []
    page = Client().get(f"/public/enforcement/decisions/{pub_id}/")
    assert page.status_code == 200 and "经复议，原处罚决定被撤销" in page.content.decode()
    assert 'id="withdrawn"' in page.content.decode()
    assert Client().get("/api/v1/enforcement/publications?status=withdrawn").json()["count"] == 1
    actions = list(AuditEntry.objects.filter(subject=row.case.number, action__startswith="publication_")
                   .values_list("action", flat=True))
    assert actions == ["publication_publish", "publication_overturn", "publication_withdraw"]
    again = post(api(team.leader), f"/api/v1/enforcement/publications/{pub_id}/withdraw", {"reason": "再撤"})
    assert again.status_code == 400


def test_a_withdrawal_names_how_it_was_overturned(team, clock):
    row = decided(team)
    publication_publish(actor=team.legal, pub_id=row.publication.pk)
    with pytest.raises(FieldError) as exc:
        publication_withdraw(actor=team.leader, pub_id=row.publication.pk, reason="撤销")
    assert exc.value.field == "overturn_kind"
    with pytest.raises(FieldError) as exc:
        publication_withdraw(actor=team.leader, pub_id=row.publication.pk, reason="撤销",
                             overturn_kind="litigation_changed", overturned_on="2099-01-01")
    assert exc.value.field == "overturned_on"
    assert DecisionPublication.objects.get(pk=row.publication.pk).status == "published"


def test_the_public_list_searches_and_pages(team):
    rows = [decided(team) for _i in range(3)]
    for r in rows:
        publication_publish(actor=team.legal, pub_id=r.publication.pk)
    client = Client()
    body = client.get("/api/v1/enforcement/publications?page_size=2").json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert len(client.get("/api/v1/enforcement/publications?page_size=2&page=2").json()["items"]) == 1
    hit = client.get("/api/v1/enforcement/publications", {"q": rows[1].decision_number}).json()
    assert [i["decision_number"] for i in hit["items"]] == [rows[1].decision_number]
    assert client.get("/api/v1/enforcement/publications?q=没有这个").json()["count"] == 0
    assert client.get("/api/v1/enforcement/publications?status=pending").status_code == 400
    page = client.get("/public/enforcement/decisions/", {"q": rows[1].decision_number}).content.decode()
    assert rows[1].decision_number in page and rows[0].decision_number not in page


def test_anonymous_reads_are_throttled_per_address(team, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "enforcement_public_ip": "3/300"}
    client = Client()
    codes = [client.get("/api/v1/enforcement/publications").status_code for _i in range(3)]
    assert codes == [200, 200, 200]
    assert client.get("/api/v1/enforcement/publications").status_code == 429
    assert client.get("/public/enforcement/decisions/").status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get("/public/enforcement/decisions/").status_code == 200
