"""动态复核 renews or stops the grant. A grant runs for a period (发放 to the month before the first review); the
tick starts the review when it comes due; "continue" opens the next period, computed anew under the rules in force
then (a rule change reaches the next period only); "stop" ends the grant, and the household leaves the payment
lists of the months after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhenwu.assistance.models import AssistanceApplication, Grant
from zhenwu.assistance.services.grants import town_of
from zhenwu.assistance.services.payments import payments_draw
from zhenwu.assistance.services.rules import rules_publish, rules_seed, seed_data
from zhenwu.assistance.tests.test_dibao_flow import act, file_application
from zhenwu.assistance.tests.test_grant_on_payment import _at
from zhenwu.casework.services import tick
from zhenwu.registry.tests.factories import client_for
from zhenwu.testing import VILLAGE_A, local

pytestmark = pytest.mark.django_db


def granted(clock, people, family) -> AssistanceApplication:
    """A 低保 household paid from November 2025 under the seed rules (version 1)."""
    number = file_application(people, family)
    row = AssistanceApplication.objects.select_related("file").get(case__number=number)
    rules_seed(town_code=town_of(row.file.area_code), effective_from=dt.date(2025, 1, 1))
    paid = act(client_for(people.civil), number, "pay", _at(number, "paying"), paid_from="2025-11-01")
    assert paid.status_code == 200, paid.json()
    row.refresh_from_db()
    row.file.refresh_from_db()
    return row


def amounts(row: AssistanceApplication) -> list[tuple[dt.date, dt.date, str, int, Decimal]]:
    return [(g.period_start, g.period_end, g.status, g.rule_set.version, g.monthly_amount)
            for g in Grant.objects.filter(file=row.file).order_by("period_start", "pk")]


def line_amount(people, month: dt.date) -> Decimal | None:
    plist = payments_draw(actor=people.civil, village_code=VILLAGE_A, month=month)
    found = [ln.amount for ln in plist.lines.all()]
    return found[0] if found else None


def test_payment_opens_the_first_period_up_to_the_review(clock, people, family):
    row = granted(clock, people, family)
    assert row.file.next_review_on == dt.date(2026, 5, 1)  # six months: the spouse can work
    periods = amounts(row)
    assert [(p[0], p[1], p[2], p[3]) for p in periods] == [
        (dt.date(2025, 11, 1), dt.date(2025, 12, 31), "active", 1),
        (dt.date(2026, 1, 1), dt.date(2026, 4, 30), "active", 1)]  # one part per year, chained
    first, second = Grant.objects.filter(file=row.file).order_by("period_start")
    assert second.previous_id == first.pk


def test_the_tick_starts_the_review_when_it_comes_due(clock, people, family, settings):
    row = granted(clock, people, family)
    clock.now = local(2026, 3, 20, 10)
    assert tick()["assistance_reviews_due"] == 0  # due on 1 May, 30 days ahead from 1 April
    clock.now = local(2026, 4, 2, 10)
    assert tick()["assistance_reviews_due"] == 1
    row.case.refresh_from_db()
    assert (row.case.status, row.case.deadline_due_at is not None) == ("reviewing", True)
    listed = client_for(people.civil).get("/api/v1/assistance/applications?review_due=true").json()
    assert [a["number"] for a in listed["items"]] == [row.case.number]  # the civil-affairs officer's list of reviews
    assert tick()["assistance_reviews_due"] == 0  # once


def test_a_renewal_on_changed_rules_pays_the_new_amount_from_the_new_period_only(clock, people, family):
    row = granted(clock, people, family)
    old = amounts(row)[0][4]
    raised = {**seed_data(dt.date(2026, 5, 1)), "local_standard": "1300.00", "note": "2026年提标"}
    report = rules_publish(actor=people.civil, town_code=town_of(row.file.area_code), data=raised)
    assert report.changes == []  # no grant runs into May 2026: the current period keeps its amount

    clock.now = local(2026, 4, 2, 10)
    tick()
    row.case.refresh_from_db()
    kept = act(client_for(people.civil), row.case.number, "review_continue", row.case.version,
               findings="家庭情况无变化", amount="1450")
    assert kept.status_code == 200 and kept.json()["status"] == "granted", kept.json()
    review = kept.json()["reviews"][-1]
    row.file.refresh_from_db()
    assert row.file.next_review_on == dt.date(2026, 10, 2)  # six months again
    periods = amounts(row)
    new = periods[-1][4]
    assert [(p[0], p[1], p[2], p[3]) for p in periods] == [
        (dt.date(2025, 11, 1), dt.date(2025, 12, 31), "active", 1),
        (dt.date(2026, 1, 1), dt.date(2026, 4, 30), "active", 1),
        (dt.date(2026, 5, 1), dt.date(2026, 9, 30), "active", 2)]  # the next period: to the next review
    assert [p[4] for p in periods] == [old, old, new] and new > old  # 3 members × the higher standard
    chain = list(Grant.objects.filter(file=row.file).order_by("period_start"))
    assert [g.previous_id for g in chain] == [None, chain[0].pk, chain[1].pk]  # one chain, period after period
    assert (review["grant_from"], review["grant_amount"]) == ("2026-05-01", str(new))

    clock.now = local(2026, 5, 6, 10)
    assert line_amount(people, dt.date(2026, 4, 1)) == old  # April: the period before, its amount
    assert line_amount(people, dt.date(2026, 5, 1)) == new


def test_an_early_review_recomputes_from_the_next_month(clock, people, family):
    row = granted(clock, people, family)
    clock.now = local(2026, 1, 15, 10)
    civil = client_for(people.civil)
    act(civil, row.case.number, "review_start", row.case.version)  # by hand, before it is due
    row.case.refresh_from_db()
    civil.post(f"/api/v1/assistance/files/{row.file_id}/incomes",
               {"source": "wages", "monthly_amount": "900", "member_id": family.spouse.pk},
               content_type="application/json")
    kept = act(civil, row.case.number, "review_continue", row.case.version, findings="妻子打零工", amount="1000")
    assert kept.status_code == 200, kept.json()
    periods = amounts(row)
    assert [(p[0], p[1], p[2]) for p in periods] == [
        (dt.date(2025, 11, 1), dt.date(2025, 12, 31), "active"),
        (dt.date(2026, 1, 1), dt.date(2026, 1, 31), "active"),  # cut after the review's month
        (dt.date(2026, 2, 1), dt.date(2026, 6, 30), "active")]  # six months again: the review of 15 July 2026
    assert periods[2][4] == periods[1][4] - Decimal("900.00")  # the declared wages count from February
    chain = list(Grant.objects.filter(file=row.file).order_by("period_start"))
    assert chain[2].previous_id == chain[1].pk


def test_an_early_review_replaces_a_part_not_begun_and_keeps_one_chain(clock, people, family):
    row = granted(clock, people, family)
    raised = {**seed_data(dt.date(2026, 3, 1)), "local_standard": "1300.00"}
    rules_publish(actor=people.civil, town_code=town_of(row.file.area_code), data=raised)  # splits 2026 at March
    assert [(p[0], p[3]) for p in amounts(row)][1:] == [(dt.date(2026, 1, 1), 1), (dt.date(2026, 3, 1), 2)]
    clock.now = local(2026, 1, 15, 10)
    civil = client_for(people.civil)
    act(civil, row.case.number, "review_start", row.case.version)
    row.case.refresh_from_db()
    assert act(civil, row.case.number, "review_continue", row.case.version, findings="无变化",
               amount="1450").status_code == 200
    active = list(Grant.objects.filter(file=row.file, status="active").order_by("period_start"))
    assert [(g.period_start, g.period_end, g.rule_set.version) for g in active] == [
        (dt.date(2025, 11, 1), dt.date(2025, 12, 31), 1), (dt.date(2026, 1, 1), dt.date(2026, 1, 31), 1),
        (dt.date(2026, 2, 1), dt.date(2026, 2, 28), 1), (dt.date(2026, 3, 1), dt.date(2026, 6, 30), 2)]
    assert [g.previous_id for g in active[1:]] == [g.pk for g in active[:-1]]  # one chain of the active parts
    voided = Grant.objects.get(file=row.file, status="stopped")
    assert (voided.period_start > voided.period_end, voided.previous_id) == (True, None)


def test_a_review_stopping_mid_period_stops_the_grant_after_the_month(clock, people, family):
    row = granted(clock, people, family)
    clock.now = local(2026, 2, 10, 10)
    civil = client_for(people.civil)
    act(civil, row.case.number, "review_start", row.case.version)
    row.case.refresh_from_db()
    assert act(civil, row.case.number, "review_stop", row.case.version, reason="迁出本镇").status_code == 200
    assert [(p[1], p[2]) for p in amounts(row)] == [(dt.date(2025, 12, 31), "active"),
                                                   (dt.date(2026, 2, 28), "stopped")]


def test_a_stopped_grant_leaves_the_payment_lists_after_it(clock, people, family):
    row = granted(clock, people, family)
    clock.now = local(2026, 4, 2, 10)
    tick()
    row.case.refresh_from_db()
    stopped = act(client_for(people.civil), row.case.number, "review_stop", row.case.version,
                  reason="妻子稳定就业，收入超过标准")
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped", stopped.json()
    assert amounts(row)[-1][1] == dt.date(2026, 4, 30)  # the period runs out; no renewal follows
    assert not Grant.objects.filter(file=row.file, period_end__gt=dt.date(2026, 4, 30)).exists()
    clock.now = local(2026, 5, 6, 10)
    assert line_amount(people, dt.date(2026, 4, 1)) is not None  # paid to the end of the review's month
    assert line_amount(people, dt.date(2026, 5, 1)) is None  # and not after
    clock.now = local(2026, 12, 1, 10)
    assert tick()["assistance_reviews_due"] == 0  # a stopped case is never due again
