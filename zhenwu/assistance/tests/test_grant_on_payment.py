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
    row = AssistanceApplication.objects.select_related("case", "file").get(case__number=number)
    row.case.status = status
    row.case.save(update_fields=["status"])
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
