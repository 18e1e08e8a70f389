"""发放 opens the household's grant, computed by the town's published rules; 动态复核 ending the assistance
stops it. Without published rules the amount confirmed at approval is paid and no grant is opened."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenwu.assistance.models import AssistanceApplication, Grant
from zhenwu.assistance.services.grants import town_of
from zhenwu.assistance.services.rules import rules_seed
from zhenwu.assistance.tests.test_dibao_flow import act, file_application
from zhenwu.registry.tests.factories import client_for

pytestmark = pytest.mark.django_db


def _at(number: str, status: str) -> int:
    """Put the application at ``status`` (the earlier steps have their own test) and answer its version."""
    row = _moved(number, status)
    if row.amount is None:  # what approval leaves: the amount confirmed and the household's status
        row.amount = 1450
        row.save(update_fields=["amount"])
        row.file.status = "dibao"
        row.file.save(update_fields=["status"])
    return row.case.version


def test_payment_opens_the_computed_grant_and_the_review_stops_it(clock, people, family):
    number = file_application(people, family)
    row = AssistanceApplication.objects.select_related("file").get(case__number=number)
    rules_seed(town_code=town_of(row.file.area_code), effective_from=dt.date(2025, 1, 1))
    civil = client_for(people.civil)
    paid = act(civil, number, "pay", _at(number, "paying"), paid_from="2025-11-15")
    assert paid.status_code == 200, paid.json()
    grant = Grant.objects.filter(file=row.file, kind="dibao").order_by("period_start")[0]
    assert (grant.period_start, grant.status, grant.application_number) == (dt.date(2025, 11, 1), "active", number)
    # the first period runs to the month before the first review (1 May 2026 here), one grant per year
    assert [g.period_end for g in Grant.objects.filter(file=row.file).order_by("period_start")] == [
        dt.date(2025, 12, 31), dt.date(2026, 4, 30)]
    assert grant.monthly_amount > 0 and grant.breakdown  # the calculation's, with its steps

    stopped = act(civil, number, "review_stop", _at(number, "reviewing"), reason="收入超过标准")
    assert stopped.status_code == 200, stopped.json()
    assert set(Grant.objects.filter(file=row.file).values_list("status", flat=True)) == {"stopped"}


def test_without_published_rules_no_grant_is_opened(clock, people, family):
    number = file_application(people, family)
    civil = client_for(people.civil)
    assert act(civil, number, "pay", _at(number, "paying"), paid_from="2025-11-01").status_code == 200
    assert not Grant.objects.exists()


def test_approval_confirms_the_amount_the_rules_compute(clock, people, family):
    """审核确认 under published rules: the amount is the rules' (filled in when left empty); another amount is
    refused with the computed one named, nothing written; the grant 发放 opens pays that amount."""
    number = file_application(people, family)
    row = AssistanceApplication.objects.select_related("file").get(case__number=number)
    rules_seed(town_code=town_of(row.file.area_code), effective_from=dt.date(2025, 1, 1))
    from zhenwu.assistance.services.applications import rules_amount

    computed = rules_amount(row)
    assert computed is not None and computed > 0
    civil = client_for(people.civil)
    version = _confirming(number)
    wrong = act(civil, number, "approve", version, amount=str(computed + 100))
    [error] = wrong.json()["errors"]
    assert wrong.status_code == 400 and error["field"] == "fields.amount", wrong.json()
    assert f"{computed}" in error["message"] and f"{computed}" in error["message_en"]
    row.refresh_from_db()
    assert (row.amount, row.case.status) == (None, "confirming")

    approved = act(civil, number, "approve", version)  # left empty: the computed amount
    assert approved.status_code == 200, approved.json()
    row.refresh_from_db()
    assert row.amount == computed
    assert act(civil, number, "pay", row.case.version, paid_from="2025-10-01").status_code == 200
    grant = Grant.objects.filter(file=row.file, kind="dibao").order_by("period_start")[0]
    assert grant.monthly_amount == computed


def test_without_published_rules_approval_confirms_the_amount_typed(clock, people, family):
    number = file_application(people, family)
    civil = client_for(people.civil)
    version = _confirming(number)
    assert act(civil, number, "approve", version).json()["errors"][0]["field"] == "fields.amount"  # required then
    assert act(civil, number, "approve", version, amount="1234.50").status_code == 200
    assert AssistanceApplication.objects.get(case__number=number).amount == 1234.5


def _confirming(number: str) -> int:
    """At 审核确认 with nothing confirmed yet; its version."""
    return _moved(number, "confirming").case.version


def _moved(number: str, status: str) -> AssistanceApplication:
    row = AssistanceApplication.objects.select_related("case", "file").get(case__number=number)
    row.case.status = status
    row.case.save(update_fields=["status"])
    return row


def test_the_application_page_shows_the_rules_amount_and_its_breakdown_at_confirmation(clock, people, family):
    number = file_application(people, family)
    row = AssistanceApplication.objects.select_related("file").get(case__number=number)
    rules_seed(town_code=town_of(row.file.area_code), effective_from=dt.date(2025, 1, 1))
    from zhenwu.assistance.services.applications import rules_amount

    computed = rules_amount(row)
    assert computed is not None
    civil = client_for(people.civil)
    version = _confirming(number)
    page = civil.get(f"/assistance/applications/{number}/").content.decode()
    assert 'id="quote"' in page and "按救助标准测算的金额" in page
    assert f'name="f_amount" inputmode="decimal" value="{computed}"' in page  # the form starts with it
    assert page.count("data-step=") >= 3  # the breakdown's lines

    refused = civil.post(f"/assistance/applications/{number}/approve/", {"version": version,
                                                                        "f_amount": str(computed + 1)}, follow=True)
    assert f"月救助金额为 {computed} 元" in refused.content.decode()
    row.refresh_from_db()
    assert (row.amount, row.case.status) == (None, "confirming")
