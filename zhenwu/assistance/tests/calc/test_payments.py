"""Monthly payment lists per village: drawn from grants, stops and holds, town approval, bank xlsx, totals."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from zhenwu.assistance.choices_calc import GrantStatus, PaymentLineStatus, PaymentListStatus
from zhenwu.assistance.services.grants import grant_open
from zhenwu.assistance.services.payments import (
    payee_set,
    payments_approve,
    payments_bank_xlsx,
    payments_draw,
    payments_totals,
)
from zhenwu.assistance.tests.calc import factories as f
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.registry.tests.factories import id_number
from zhenwu.testing import VILLAGE_A, VILLAGE_B

D = Decimal
MARCH = dt.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def _pay(civil, file, account="6222020200112233445", name="=HYPERLINK(\"http://x\")"):
    payee_set(actor=civil.town_officer, file=file, holder_name=name, holder_id_number=id_number(),
              bank_name="江阴农商银行", account_number=account)


@pytest.fixture
def village(civil, town, dibao_home):
    """Village A in March 2026: a 低保 household paid, one whose 低保 ended in February, one without an account;
    village B: one 特困 household."""
    ended = f.assistance_file(town.grid_a, status="dibao", members=[{}], incomes=["0"])
    no_account = f.assistance_file(town.grid_a, status="edge", members=[{}, {}], incomes=["2000.00"])
    other = f.assistance_file(town.grid_b, status="tekun", members=[{}], incomes=["0"])
    for file, kind in ((dibao_home, "dibao"), (ended, "dibao"), (no_account, "dibao"), (other, "tekun")):
        grant_open(actor=civil.town_officer, file=file, kind=kind, start=dt.date(2026, 1, 1))
        if file is not no_account:
            _pay(civil, file)
    ended.status, ended.status_since = "none", dt.date(2026, 2, 20)
    ended.save()
    return {"paid": dibao_home, "ended": ended, "held": no_account, "other": other}


def test_a_list_holds_the_village_grants_with_stops_and_holds(civil, village):
    plist = payments_draw(actor=civil.town_officer, village_code=VILLAGE_A, month=MARCH)
    lines = {ln.file_id: ln for ln in plist.lines.all()}
    assert set(lines) == {village["paid"].pk, village["ended"].pk, village["held"].pk}  # not village B's
    assert (lines[village["paid"].pk].status, lines[village["paid"].pk].amount) == (PaymentLineStatus.PAY,
                                                                                     D("2130.00"))
    assert (lines[village["ended"].pk].status, lines[village["ended"].pk].amount) == (PaymentLineStatus.STOPPED,
                                                                                       D("0.00"))
    assert "2026-02-20" in lines[village["ended"].pk].note
    assert lines[village["held"].pk].status == PaymentLineStatus.HELD
    assert plist.total == D("2130.00")


def test_the_town_approves_and_the_stopped_grant_ends(civil, village):
    plist = payments_draw(actor=civil.town_officer, village_code=VILLAGE_A, month=MARCH)
    with pytest.raises(Forbidden):  # who drew it up does not approve it
        payments_approve(actor=civil.town_officer, plist=plist)
    with pytest.raises(Forbidden):  # a village's civil affairs is not the town
        payments_approve(actor=civil.village_a, plist=plist)
    with pytest.raises(Conflict):
        payments_approve(actor=civil.town_officer2, plist=plist, expected_version=7)
    row = payments_approve(actor=civil.town_officer2, plist=plist, expected_version=1)
    assert row.status == PaymentListStatus.APPROVED
    grant = village["ended"].grants.get()
    assert (grant.status, grant.period_end) == (GrantStatus.STOPPED, dt.date(2026, 2, 28))
    with pytest.raises(Conflict):  # approved lists never change
        payments_draw(actor=civil.town_officer, village_code=VILLAGE_A, month=MARCH)


def test_the_bank_sheet_has_the_paid_rows_as_safe_text(civil, village):
    plist = payments_draw(actor=civil.town_officer, village_code=VILLAGE_A, month=MARCH)
    with pytest.raises(Conflict):  # not before the town's approval
        payments_bank_xlsx(actor=civil.town_officer, plist=plist)
    plist = payments_approve(actor=civil.leader, plist=plist)
    rows = list(load_workbook(io.BytesIO(payments_bank_xlsx(actor=civil.town_officer, plist=plist))).active.values)
    assert len(rows) == 2  # the header and the one household paid
    assert rows[1][3] == '=HYPERLINK("http://x")' and rows[1][6] == "6222020200112233445"
    assert rows[1][7] == 2130


def test_totals_per_village_and_category(civil, village):
    payments_draw(actor=civil.town_officer, village_code=VILLAGE_A, month=MARCH)
    payments_draw(actor=civil.town_officer, village_code=VILLAGE_B, month=MARCH)
    t = payments_totals(user=civil.town_officer, month=MARCH)
    assert t.cells == {(VILLAGE_A, "dibao"): [1, D("2130.00")], (VILLAGE_B, "tekun"): [1, D("1573.00")]}
    assert t.by_status[PaymentLineStatus.STOPPED][0] == 1 and t.by_status[PaymentLineStatus.HELD][0] == 1
    assert payments_totals(user=civil.village_b, month=MARCH).cells == {(VILLAGE_B, "tekun"): [1, D("1573.00")]}


def test_drawing_up_is_checked(civil, village):
    with pytest.raises(FieldError) as exc:
        payments_draw(actor=civil.town_officer, village_code="321181102", month=MARCH)
    assert exc.value.field == "village"
    with pytest.raises(FieldError) as exc:
        payments_draw(actor=civil.town_officer, village_code=VILLAGE_A, month=dt.date(2026, 4, 1))
    assert exc.value.field == "month"
    with pytest.raises(NotFound):
        payments_draw(actor=civil.village_b, village_code=VILLAGE_A, month=MARCH)
    with pytest.raises(Forbidden):
        payments_draw(actor=civil.leader, village_code=VILLAGE_A, month=MARCH)


def test_a_bad_bank_account_names_each_field(civil, village):
    with pytest.raises(FieldError) as exc:
        payee_set(actor=civil.town_officer, file=village["held"], holder_name="", holder_id_number="123",
                  bank_name="农商行", account_number="12ab")
    assert {name for name, _m in exc.value.errors} == {"holder_name", "holder_id_number", "account_number"}
