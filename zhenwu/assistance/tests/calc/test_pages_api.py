"""The API and the staff pages: the breakdown shown, publishing through the form, payments end to end, 400s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhenwu.assistance.models import Grant, RuleSet
from zhenwu.assistance.services.grants import grant_open
from zhenwu.assistance.services.rules import seed_data
from zhenwu.casework.models import AuditEntry
from zhenwu.testing import TOWN, VILLAGE_A

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_api_opens_a_grant_and_shows_every_step(civil, dibao_home):
    body = {"file_id": dibao_home.pk, "kind": "dibao", "start": "2026-03-01"}
    response = client(civil.village_a).post("/api/v1/assistance/grants", body, content_type="application/json")
    assert response.status_code == 201, response.content
    out = response.json()
    assert out["monthly_amount"] == "2130.00" and out["rule_version"] == 1
    assert [s["code"] for s in out["steps"]][-1] == "amount"
    assert any("1210.00" in s["text"] for s in out["steps"])
    detail = client(civil.town_officer).get(f"/api/v1/assistance/grants/{out['id']}")
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(subject=f"assistance.grant:{out['id']}", action="view").exists()
    assert client(civil.village_b).get(f"/api/v1/assistance/grants/{out['id']}").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "dibao", "start": "2026-03-05"}, "start"),
    ({"kind": "lottery", "start": "2026-03-01"}, "kind"),
    ({"kind": "dibao", "start": "not-a-date"}, "start"),
])
def test_bad_grant_input_is_a_400_naming_the_field(civil, dibao_home, body, field):
    body = {"file_id": dibao_home.pk, **body}
    response = client(civil.town_officer).post("/api/v1/assistance/grants", body, content_type="application/json")
    assert response.status_code == 400
    assert field in [e["field"].split(".")[-1] for e in response.json()["errors"]]
    assert all(e["message"] and e["message_en"] for e in response.json()["errors"])
    assert not Grant.objects.exists()


def test_publishing_overlapping_tiers_is_a_400_naming_the_tiers(civil):
    data = seed_data(dt.date(2026, 4, 1))
    data["categories"]["tekun"]["tiers"] = [{"lower": "0", "upper": "3000", "rate_percent": "100"},
                                            {"lower": "2000", "upper": None, "rate_percent": "80"}]
    response = client(civil.town_officer).post("/api/v1/assistance/rules", {**data, "town_code": TOWN},
                                               content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "categories.tekun.tiers"
    assert RuleSet.objects.count() == 1


def test_publishing_through_the_api_recomputes_from_the_next_period(civil, dibao_home):
    grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 1, 1))
    data = {**seed_data(dt.date(2026, 4, 1)), "town_code": TOWN, "local_standard": "1300.00"}
    dry = client(civil.town_officer).post("/api/v1/assistance/rules", {**data, "dry_run": True},
                                          content_type="application/json")
    assert dry.status_code == 200 and dry.json()["changes"][0]["new_amount"] == "2400.00"
    done = client(civil.town_officer).post("/api/v1/assistance/rules", data, content_type="application/json")
    assert done.status_code == 201 and done.json()["rule_set"]["version"] == 2
    assert client(civil.leader).post("/api/v1/assistance/rules", data,
                                     content_type="application/json").status_code == 403


def test_the_grant_page_and_pdf_show_the_breakdown(civil, town):
    from zhenwu.assistance.tests.calc import factories as f

    home = f.assistance_file(town.grid_a, status="expenditure", members=[{"disability_grade": 2}, {}],
                             incomes=["3000.00"], expenditures=[("medical", "120000.00")])
    grant = grant_open(actor=civil.town_officer, file=home, kind="expenditure", start=dt.date(2026, 3, 1))
    page = client(civil.town_officer).get(f"/assistance/grants/{grant.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-step="item_cap"' in html and 'class="capped"' in html
    assert str(grant.monthly_amount) in html
    pdf = client(civil.town_officer).get(f"/assistance/grants/{grant.pk}/decision.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client(civil.clerk).get(f"/assistance/grants/{grant.pk}/").status_code == 404


def test_the_rules_page_checks_then_publishes_a_version(civil):
    c = client(civil.town_officer)
    page = c.get("/assistance/rules/")
    assert page.status_code == 200 and "2026-04-01" in page.content.decode()  # the next period, pre-filled
    form = dict(page.context["form"])
    form["local_standard"] = "1300"
    check = c.post("/assistance/rules/", {**form, "action": "check"})
    assert check.status_code == 200 and RuleSet.objects.count() == 1
    bad = c.post("/assistance/rules/", {**form, "dibao.tiers": "0 2000 100\n1000 - 50", "action": "publish"})
    shown = bad.content.decode()
    assert bad.status_code == 400 and "最低生活保障（低保） · 分档" in shown  # the form's words,
    assert "categories.dibao" not in shown  # not the API's field names
    done = c.post("/assistance/rules/", {**form, "action": "publish"})
    assert done.status_code == 302 and RuleSet.objects.get(version=2).local_standard == 1300
    assert client(civil.clerk).get("/assistance/rules/").status_code == 200  # published rules: every staff member
    assert "publish-form" not in client(civil.clerk).get("/assistance/rules/").content.decode()


def test_payments_pages_draw_approve_and_export(civil, dibao_home):
    from zhenwu.assistance.services.payments import payee_set
    from zhenwu.registry.tests.factories import id_number

    grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 1, 1))
    payee_set(actor=civil.town_officer, file=dibao_home, holder_name="成员1", holder_id_number=id_number(),
              bank_name="农商银行", account_number="6222020200112233445")
    drawn = client(civil.town_officer).post("/assistance/payments/", {"village": VILLAGE_A, "month": "2026-03"})
    assert drawn.status_code == 302
    list_url = drawn["Location"]
    approved = client(civil.town_officer2).post(list_url, {"expected_version": "1"})
    assert approved.status_code == 302
    bank = client(civil.town_officer).get(list_url + "bank.xlsx")
    assert bank.status_code == 200 and bank.content[:2] == b"PK"
    page = client(civil.leader).get("/assistance/payments/?month=2026-03")
    assert page.status_code == 200 and "2130.00" in page.content.decode()
    assert client(civil.clerk).get("/assistance/payments/").status_code == 403
