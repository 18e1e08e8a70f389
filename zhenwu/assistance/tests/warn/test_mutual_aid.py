"""福村宝: a village's year with enrolment, the fund, claims by disease group hitting the group's cap and the
year's cap, payments out of the fund (never more than it holds) and the public ledger with masked names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from zhenwu.assistance.models import Claim
from zhenwu.assistance.services.mutual_aid import (
    claim_file,
    claim_pay,
    claim_reject,
    enrol,
    fund_add,
    fund_totals,
    group_add,
    year_open,
)
from zhenwu.assistance.tests.warn.factories import person
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.testing import VILLAGE_A, VILLAGE_B, make_staff

pytestmark = pytest.mark.django_db
D = Decimal
JAN = dt.date(2025, 1, 1)


@pytest.fixture
def year(clock, town, civil):
    y = year_open(actor=civil, village_code=VILLAGE_A, year=2025, contribution=100, person_cap=20000)
    group_add(actor=civil, year=y, code="A", name="恶性肿瘤", rate=D("0.6"), cap=D("15000"))
    group_add(actor=civil, year=y, code="B", name="慢性病", rate=D("0.5"), cap=D("8000"), deductible=D("1000"))
    fund_add(actor=civil, year=y, source="village", amount=D("30000"))
    fund_add(actor=civil, year=y, source="donation", amount=D("10000"), donor="王大发")
    return y


def test_a_year_with_claims_hitting_the_group_cap_and_the_person_cap(year, civil, town):
    patient = person(town.grid_a, status=None, name="李建国")
    e = enrol(actor=civil, year=year, person=patient, enrolled_on=dt.date(2025, 1, 5))
    a = year.groups.get(code="A")
    b = year.groups.get(code="B")
    first = claim_file(actor=civil, year=year, enrolment=e, group=a, eligible=D("20000"),
                       treated_on=dt.date(2025, 3, 1))
    assert first.amount == D("12000.00") and first.breakdown["caps_applied"] == []
    second = claim_file(actor=civil, year=year, enrolment=e, group=a, eligible=D("10000"),
                        treated_on=dt.date(2025, 5, 1))
    assert second.amount == D("3000.00") and second.breakdown["caps_applied"] == ["group_cap"]  # 15,000 − 12,000
    third = claim_file(actor=civil, year=year, enrolment=e, group=b, eligible=D("13000"),
                       treated_on=dt.date(2025, 6, 1))
    # (13,000 − 1,000) × 0.5 = 6,000, but only 20,000 − 15,000 = 5,000 of the year's cap is left
    assert third.amount == D("5000.00") and third.breakdown["caps_applied"] == ["person_cap"]
    fourth = claim_file(actor=civil, year=year, enrolment=e, group=b, eligible=D("500"), treated_on=dt.date(2025, 7, 1))
    assert fourth.amount == D("0.00")  # under the deductible, and nothing left anyway
    claim_reject(actor=civil, claim=fourth, reason="低于起付线")
    for c in (first, second, third):
        claim_pay(actor=civil, claim=c, reference=f"PAY{c.pk}")
    money = fund_totals(year)
    assert money["contributions"] == D("100.00") and money["income"] == D("40100.00")
    assert money["paid"] == D("20000.00") and money["balance"] == D("20100.00")


def test_a_payment_larger_than_the_fund_is_refused(year, civil, town):
    e = enrol(actor=civil, year=year, person=person(town.grid_a, status=None), enrolled_on=JAN)
    a = year.groups.get(code="A")
    claims = [claim_file(actor=civil, year=year, enrolment=e, group=a, eligible=D("20000"),
                         treated_on=dt.date(2025, 3, 1))]
    other = enrol(actor=civil, year=year, person=person(town.grid_a, status=None), enrolled_on=JAN)
    claims += [claim_file(actor=civil, year=year, enrolment=other, group=a, eligible=D("25000"),
                          treated_on=dt.date(2025, 3, 1)) for _ in range(3)]  # 15,000 + 0 + 0 by the cap
    fund_add(actor=civil, year=year, source="donation", amount=D("1"), donor="某企业")
    for c in claims[:2]:
        claim_pay(actor=civil, claim=c)
    assert fund_totals(year)["balance"] == D("13201.00")
    third_person = enrol(actor=civil, year=year, person=person(town.grid_a, status=None), enrolled_on=JAN)
    big = claim_file(actor=civil, year=year, enrolment=third_person, group=a, eligible=D("25000"),
                     treated_on=dt.date(2025, 4, 1))
    with pytest.raises(FieldError) as exc:
        claim_pay(actor=civil, claim=big)
    assert exc.value.field == "amount"
    big.refresh_from_db()
    assert big.status == "filed"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"eligible": D("-1")}, "eligible"), ({"eligible": D("0")}, "eligible"), ({"eligible": D("1.234")}, "eligible"),
    ({"treated_on": dt.date(2024, 12, 31)}, "treated_on"), ({"treated_on": dt.date(2026, 1, 2)}, "treated_on"),
])
def test_bad_claims_are_refused(year, civil, town, kwargs, field):
    e = enrol(actor=civil, year=year, person=person(town.grid_a, status=None), enrolled_on=dt.date(2025, 1, 1))
    args = {"eligible": D("100"), "treated_on": dt.date(2025, 2, 1), **kwargs}
    with pytest.raises(FieldError) as exc:
        claim_file(actor=civil, year=year, enrolment=e, group=year.groups.get(code="A"), **args)
    assert exc.value.field == field
    assert not Claim.objects.exists()


def test_bad_years_groups_and_enrolments(year, civil, town):
    for code, field in ((VILLAGE_A, "year"), ("x", "village")):
        with pytest.raises(FieldError) as exc:
            year_open(actor=civil, village_code=code, year=2025)
        assert exc.value.field == field
    for rate in (D("0"), D("1.5"), "abc"):
        with pytest.raises(FieldError) as exc:
            group_add(actor=civil, year=year, code="C", name="x", rate=rate, cap=D("1"))
        assert exc.value.field == "rate"
    with pytest.raises(FieldError) as exc:
        group_add(actor=civil, year=year, code="A", name="重复", rate=D("0.5"), cap=D("1"))
    assert exc.value.field == "code"
    someone = person(town.grid_b, status=None)  # lives in village B
    with pytest.raises(FieldError) as exc:
        enrol(actor=civil, year=year, person=someone)
    assert exc.value.field == "person"


def test_who_keeps_the_roll(year, town, village_b_staff, personas):
    village_a_staff = make_staff("va_staff", roles=["village_staff"], scope=town.village_a)
    someone = person(town.grid_a, status=None)
    enrol(actor=village_a_staff, year=year, person=someone)  # the village's own staff enrol
    with pytest.raises(NotFound):  # another village's staff: outside their scope
        enrol(actor=village_b_staff, year=year, person=person(town.grid_a, status=None))
    with pytest.raises(Forbidden):  # the town's window clerk: in scope, not a keeper
        enrol(actor=personas.town_staff, year=year, person=person(town.grid_a, status=None))
    with pytest.raises(Forbidden):  # opening a year and paying are civil affairs' work
        year_open(actor=village_a_staff, village_code=VILLAGE_A, year=2024)


def test_the_public_ledger_masks_names_and_throttles_anonymous_visitors(year, civil, town, settings):
    e = enrol(actor=civil, year=year, person=person(town.grid_a, status=None, name="李建国"), enrolled_on=JAN)
    claim = claim_file(actor=civil, year=year, enrolment=e, group=year.groups.get(code="A"), eligible=D("1000"),
                       treated_on=dt.date(2025, 3, 1))
    claim_pay(actor=civil, claim=claim)
    page = Client().get(f"/public/assistance/mutual-aid/{VILLAGE_A}/")
    body = page.content.decode()
    assert page.status_code == 200 and "李**" in body and "李建国" not in body and "600.00" in body
    assert "王**" in body and "王大发" not in body
    assert e.person.id_number not in body
    assert Client().get(f"/public/assistance/mutual-aid/{VILLAGE_B}/").status_code == 200  # a village, no year
    assert Client().get("/public/assistance/mutual-aid/999/").status_code == 404
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "assistance_ledger_ip": "2/300"}
    visitor = Client(REMOTE_ADDR="10.9.8.7")  # a fresh address: the three visits above were counted
    statuses = [visitor.get(f"/public/assistance/mutual-aid/{VILLAGE_A}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_api_shows_names_only_to_keepers(year, civil, town, personas):
    enrol(actor=civil, year=year, person=person(town.grid_a, status=None, name="李建国"))
    keeper, clerk = Client(), Client()
    keeper.force_login(civil)
    clerk.force_login(personas.town_staff)
    url = f"/api/v1/assistance/mutual-aid/years/{year.pk}/enrolments"
    assert [r["name"] for r in keeper.get(url).json()] == ["李建国"]
    assert clerk.get(url).status_code == 403
    summary = clerk.get(f"/api/v1/assistance/mutual-aid/years/{year.pk}").json()
    assert summary["enrolled"] == 1 and "李建国" not in str(summary)
