"""The browser journey of the calculation and payment pages: a civil-affairs officer of the town opens a household's
grant with its calculation step by step; another draws up village A's list for the month; the first approves it on
the list's page and downloads the bank's xlsx."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from zhenwu.assistance.models import PaymentList
from zhenwu.assistance.services.grants import grant_open
from zhenwu.assistance.services.payments import payee_set
from zhenwu.testing import VALID_ID, VILLAGE_A


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_civil_affairs_read_the_calculation_approve_the_list_and_download_the_bank_file(
        browser_login, live_server, civil, dibao_home, tmp_path):
    grant = grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    assert grant.monthly_amount == Decimal("2130.00")  # need 3 × 1,210 = 3,630 less 1,500 of income
    payee_set(actor=civil.town_officer, file=dibao_home, holder_name="成员1", holder_id_number=VALID_ID,
              bank_name="江阴农商银行", account_number="6228480402564890018")

    desk = browser_login(civil.town_officer2)
    desk.goto(live_server.url + "/assistance/grants/")
    desk.click(f"a[href='/assistance/grants/{grant.pk}/']")
    desk.wait_for_url(f"**/assistance/grants/{grant.pk}/")
    assert desk.inner_text("#amount") == "2130.00"
    steps = desk.locator("#breakdown tbody tr")
    assert steps.count() >= 3  # the need line, the income, the amount (and each cap checked)
    breakdown = desk.inner_text("#breakdown")
    assert "1210" in breakdown and "1500" in breakdown and "2130" in breakdown
    assert desk.locator("#inputs tbody tr").count() == 3  # the three members the calculation read

    drafter = browser_login(civil.town_officer)
    drafter.goto(live_server.url + "/assistance/payments/?month=2026-03")
    drafter.select_option("#draw select[name=village]", VILLAGE_A)
    drafter.click("#draw button[type=submit]")
    drafter.wait_for_url("**/assistance/payments/*/")
    plist = PaymentList.objects.get(village_code=VILLAGE_A, month=dt.date(2026, 3, 1))
    assert drafter.locator("#approve").count() == 0  # who drew it up does not approve it

    desk.goto(live_server.url + "/assistance/payments/?month=2026-03")
    desk.click(f"#lists a[href='/assistance/payments/{plist.pk}/']")
    desk.wait_for_url(f"**/assistance/payments/{plist.pk}/")
    assert desk.locator("#lines tbody tr.line-pay").count() == 1
    assert "2130.00" in desk.inner_text("#lines")
    desk.click("#approve button[type=submit]")
    desk.wait_for_selector("#list-status:has-text('镇审批通过')")
    plist.refresh_from_db()
    assert (plist.status, plist.approved_by) == ("approved", civil.town_officer2)

    with desk.expect_download() as download:
        desk.click(f"a[href='/assistance/payments/{plist.pk}/bank.xlsx']")
    target = tmp_path / "bank.xlsx"
    download.value.save_as(target)
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert len(rows) == 2  # the header and the one household paid
    line = dict(zip(rows[0], rows[1], strict=True))
    assert (line["户号"], line["户名"], line["账号"]) == (dibao_home.household.number, "成员1", "6228480402564890018")
    assert Decimal(str(line["金额（元）"])) == Decimal("2130.00")
