"""The staff pages of disputes: the list, the case page showing exactly the steps the services accept, and a
step taken from the page (a refusal is shown, the dispute unchanged)."""

from __future__ import annotations

import pytest

from zhenwu.grid import dispute_process as dp
from zhenwu.grid import policy_disputes as policy
from zhenwu.grid.models import Dispute
from zhenwu.grid.selectors_disputes import SESSION, dispute_actions
from zhenwu.grid.services import disputes as services
from zhenwu.grid.tests.dispute_fixtures import _media, client, mediators, new_dispute, post

__all__ = ["_media", "mediators"]
pytestmark = pytest.mark.django_db


def _filed(town, user) -> Dispute:
    number = post(client(user), "/api/v1/grid/disputes/", new_dispute(town)).json()["number"]
    return Dispute.objects.select_related("case").get(case__number=number)


def test_the_list_and_the_case_page_show_the_dispute_and_its_steps(town, mediators):
    d = _filed(town, mediators.grid_worker)
    listing = client(mediators.dispatcher).get("/grid/disputes/", {"kind": "neighbour"}).content.decode()
    assert d.case.number in listing and "调解中" in listing
    page = client(mediators.grid_worker).get(f"/grid/disputes/{d.case.number}/").content.decode()
    for step in ('data-action="escalate"', 'data-action="settle"', 'data-action="session"', "张三", "李四"):
        assert step in page
    assert 'data-action="refer"' not in page  # only the town refers


def test_a_step_from_the_page_moves_the_dispute_and_a_refusal_is_shown(town, mediators):
    d = _filed(town, mediators.grid_worker)
    c = client(mediators.grid_worker)
    url = f"/grid/disputes/{d.case.number}/"
    empty = c.post(f"{url}settle/", {"agreement": "  ", "expected_version": d.case.version}, follow=True)
    assert "必填" in empty.content.decode()
    d.refresh_from_db()
    assert d.outcome == ""
    done = c.post(f"{url}settle/", {"agreement": "双方和解，互不追究。", "expected_version": d.case.version},
                  follow=True)
    assert done.status_code == 200 and "/agreement.pdf" in done.content.decode()
    assert Dispute.objects.get(pk=d.pk).outcome == "settled"
    assert client(mediators.grid_worker_b).post(f"{url}follow_up/", {"record": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["grid_worker", "village_staff", "dispatcher", "leader"])
def test_a_step_is_offered_exactly_when_the_service_accepts_it(town, mediators, who):
    user = getattr(mediators, who)
    d = _filed(town, mediators.grid_worker)
    offered = {a["key"] for a in dispute_actions(user=user, dispute=d)} - {SESSION}
    for action in (dp.ESCALATE, dp.SETTLE, dp.REFER, dp.WITHDRAW):
        allowed = policy.may(user, action, area_code=d.case.area_code, level=d.level)
        assert (action in offered) == allowed, action
        try:
            policy.check(user, action, area_code=d.case.area_code, level=d.level)
            refused = False
        except Exception:
            refused = True
        assert refused != allowed, action
    assert dp.REFER not in offered  # at grid level nobody sends a dispute out of the town
    assert services.STEPS.keys() >= offered


def test_a_dispute_is_filed_from_the_page_and_a_bad_number_is_shown(town, mediators):
    c = client(mediators.grid_worker)
    form = c.get("/grid/disputes/new/").content.decode()
    assert 'value="321181102201001001"' in form and 'value="321181102202001001"' not in form  # my grid only
    body = {"grid_code": "321181102201001001", "kind": "family", "risk": "high", "description": "赡养费争议。",
            "a_name": "王母", "r_name": "王子", "r_id_number": "320682198001011238"}
    refused = c.post("/grid/disputes/new/", body)
    assert refused.status_code == 200 and "校验码" in refused.content.decode() and not Dispute.objects.exists()
    done = c.post("/grid/disputes/new/", {**body, "r_id_number": "320682198001011237"})
    d = Dispute.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/grid/disputes/{d.case.number}/"
    assert (d.kind, d.risk, d.level, [p.name for p in d.parties.all()]) == ("family", "high", "grid", ["王母", "王子"])
    assert client(mediators.clerk).get("/grid/disputes/new/").status_code == 403


def test_the_admin_lists_disputes_and_visits_read_only(town, mediators, personas):
    d = _filed(town, mediators.grid_worker)
    admin = client(personas.admin)
    listing = admin.get("/admin/grid/dispute/")
    assert listing.status_code == 200 and d.case.number in listing.content.decode()
    assert admin.get(f"/admin/grid/dispute/{d.pk}/change/").status_code == 200
    assert admin.get("/admin/grid/dispute/add/").status_code == 403
    assert admin.get("/admin/grid/visit/").status_code == 200
