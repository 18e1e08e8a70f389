"""Service, payment, deferral and instalments (Art. 66), the late fee (Art. 72), the demand and the application
to the court (行政强制法 Art. 53, 54), closing: each refusal names its field and changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhenwu.casework.models import Case
from zhenwu.enforcement.models import PaymentPlan
from zhenwu.enforcement.services.payments import Due, add_months, court_window, late_fee_of
from zhenwu.enforcement.tests.case_file import act, client_for, decided, fresh, on_instalments, post, served, status
from zhenwu.errors import FieldError

D = datetime.date


def test_the_late_fee_runs_from_each_amounts_own_due_day_and_is_capped_at_the_fine():
    fine = Decimal("1000")
    assert late_fee_of(fine, [Due(fine, D(2026, 1, 20), D(2026, 1, 20))], on=D(2026, 1, 20)) == 0
    assert late_fee_of(fine, [Due(fine, D(2026, 1, 20), D(2026, 1, 25))], on=D(2026, 1, 25)) == 150  # 5 × 3%
    assert late_fee_of(fine, [Due(fine, D(2026, 1, 20), None)], on=D(2026, 6, 1)) == fine  # capped
    # instalments: the first on time adds nothing, the second 4 days late adds 4 × 3% of its 400
    plan = [Due(Decimal(600), D(2026, 2, 1), D(2026, 2, 1)), Due(Decimal(400), D(2026, 3, 1), D(2026, 3, 5))]
    assert late_fee_of(fine, plan, on=D(2026, 3, 5)) == Decimal("48.00")


def test_months_end_on_the_months_last_day():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28) and add_months(D(2025, 10, 15), 3) == D(2026, 1, 15)


def test_service_records_method_and_date_and_refuses_bad_ones(team, clock):
    row = decided(team, clock)
    number, today = row.case.number, clock.now.date()
    for fields, field in (({"method": "飞鸽传书", "served_on": today.isoformat()}, "fields.method"),
                          ({"method": "electronic", "served_on": today.isoformat()}, "fields.consent"),
                          ({"method": "direct", "served_on": "2025-09-01"}, "fields.served_on"),  # before the decision
                          ({"method": "direct", "served_on": "2025-10-30"}, "fields.served_on"),  # in the future
                          ({"method": "direct", "served_on": "30/09/2025"}, "fields.served_on")):
        with pytest.raises(FieldError) as exc:
            act(team.a.user, row, "serve", **fields)
        assert exc.value.field == field and status(row) == "decided"
    clock.advance(days=12)  # the National Day week: 12 natural days are 4 working days — not late
    client = client_for(team.a.user)
    body = post(client, f"/api/v1/enforcement/cases/{number}/actions/serve",
                {"fields": {"method": "留置送达", "served_on": clock.now.date().isoformat()}}).json()
    assert (body["status"], body["service_method"], body["served_late"]) == ("served", "left", False)
    assert body["payment"]["next_due_on"] == (clock.now.date() + datetime.timedelta(days=15)).isoformat()


def test_a_service_after_seven_working_days_is_marked_late(team, clock):
    row = decided(team, clock)  # on 30 September: the 7 working days end on 16 October (after the holiday)
    clock.advance(days=17)
    body = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/serve",
                {"fields": {"method": "direct", "served_on": "2025-10-17"}}).json()
    assert body["status"] == "served" and body["served_late"] is True


def test_paying_late_without_a_plan_adds_three_percent_a_day(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=18)
    row = act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    assert status(row) == "paid" and row.late_fee == Decimal("13.50")  # 3 days × 3% × 150


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "later", "reason": "困难"}, "fields.kind"),
    ({"kind": "deferral", "reason": "困难", "until": "2025-10-10"}, "fields.until"),  # inside the 15 days
    ({"kind": "instalments", "reason": "困难", "instalments": [{"due_on": "2025-10-20", "amount": "150"}]},
     "fields.instalments"),  # one instalment is no instalments
    ({"kind": "instalments", "reason": "困难", "instalments": [{"due_on": "2025-10-20", "amount": "-50"},
                                                             {"due_on": "2025-11-20", "amount": "200"}]},
     "fields.instalments[0].amount"),
    ({"kind": "instalments", "reason": "困难", "instalments": [{"due_on": "2025-10-20", "amount": "五十"},
                                                             {"due_on": "2025-11-20", "amount": "100"}]},
     "fields.instalments[0].amount"),
    ({"kind": "instalments", "reason": "困难", "instalments": [{"due_on": "2025-10-20", "amount": "50"},
                                                             {"due_on": "2025-11-20", "amount": "50"}]},
     "fields.instalments"),  # 100 is not the fine of 150
    ({"kind": "instalments", "reason": "困难", "instalments": [{"due_on": "2025-11-20", "amount": "50"},
                                                             {"due_on": "2025-10-20", "amount": "100"}]},
     "fields.instalments[1].due_on"),
])
def test_a_bad_payment_plan_is_refused_and_nothing_is_written(team, clock, fields, field):
    row = served(team, clock)
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/"
                    "request_payment_plan", {"fields": fields})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    assert not PaymentPlan.objects.exists() and status(row) == "served"


def test_a_plan_is_asked_for_within_the_days_to_pay(team, clock):
    row = served(team, clock)
    clock.advance(days=16)
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "request_payment_plan", kind="deferral", reason="困难", until="2026-01-31")
    assert exc.value.field == "fields.requested_on" and not PaymentPlan.objects.exists()


def test_an_approved_deferral_stops_the_late_fee_until_its_end(team, clock):
    row = served(team, clock, fine="150")
    until = clock.now.date() + datetime.timedelta(days=60)
    act(team.a.user, row, "request_payment_plan", kind="deferral", reason="经营困难", until=until.isoformat())
    assert status(row) == "plan_review"
    with pytest.raises(FieldError) as exc:  # the officer does not approve
        act(team.a.user, row, "approve_payment_plan", opinion="同意")
    assert exc.value.status == 403 and status(row) == "plan_review"
    act(team.leader, row, "approve_payment_plan", opinion="同意延期")
    case = Case.objects.get(pk=row.case.pk)
    assert case.status == "on_plan" and case.deadline_due_at is not None and case.deadline_due_at.date() == until
    clock.advance(days=60)  # 45 days after the 15 days to pay, on the deferral's last day: no late fee
    row = act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    assert status(row) == "paid" and row.late_fee == 0


def test_instalments_paid_on_time_add_nothing_and_a_late_one_adds_its_own_fee(team, clock):
    row = served(team, clock, fine="150")
    today = clock.now.date()
    first, second = on_instalments(team, row, today, 30, 60)
    clock.advance(days=30)
    row = act(team.a.user, row, "pay_instalment", paid_on=first.isoformat())
    assert status(row) == "on_plan" and fresh(row).paid_on is None
    detail = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}").json()["payment"]
    assert detail["next_due_on"] == second.isoformat() and detail["late_fee_today"] == "0.00"
    clock.advance(days=32)  # the second instalment two days late
    row = act(team.a.user, row, "pay_instalment", paid_on=clock.now.date().isoformat())
    row = fresh(row)
    assert status(row) == "paid" and row.late_fee == Decimal("3.00")  # 2 × 3% × 50; the last one paid the fine


def test_a_refused_plan_leaves_the_original_period(team, clock):
    row = served(team, clock, fine="150")
    due = clock.now.date() + datetime.timedelta(days=15)
    act(team.a.user, row, "request_payment_plan", kind="deferral", reason="困难", until="2026-03-01")
    act(team.leader, row, "refuse_payment_plan", opinion="不符合条件")
    case = Case.objects.get(pk=row.case.pk)
    assert case.status == "served" and case.deadline_due_at is not None and case.deadline_due_at.date() == due
    assert PaymentPlan.objects.get().status == "refused"


def test_demand_then_court_only_after_the_periods(team, clock):
    row = served(team, clock, fine="150")
    served_on = clock.now.date()
    with pytest.raises(FieldError) as exc:  # still within the 15 days
        act(team.a.user, row, "demand", served_on=served_on.isoformat())
    assert exc.value.field == "action" and status(row) == "served"
    with pytest.raises(FieldError) as exc:  # unpaid: the case cannot be closed
        act(team.leader, row, "close", report="结案")
    assert exc.value.field == "action"
    clock.advance(days=20)
    act(team.a.user, row, "demand", served_on=clock.now.date().isoformat())
    assert status(row) == "demanded"
    with pytest.raises(FieldError) as exc:  # the party may still sue for 6 months
        act(team.leader, row, "apply_court", court="江阴市人民法院")
    assert exc.value.field == "action" and status(row) == "demanded"
    first, last = court_window(fresh(row))
    assert (served_on, first, last) == (D(2025, 9, 30), D(2026, 3, 31), D(2026, 6, 30))  # 6 months, then 3
    clock.now = clock.now + datetime.timedelta(days=(first - clock.now.date()).days)
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "apply_court", court="江阴市人民法院")
    assert exc.value.status == 403  # the head of the authority applies
    row = act(team.leader, row, "apply_court", court="江阴市人民法院")
    assert status(row) == "enforcing" and fresh(row).court_applied_on == first
    late = act(team.leader, row, "close", report="法院裁定准予执行，已执行完毕")
    assert status(late) == "closed"


def test_the_court_window_closes_after_three_months(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=20)
    act(team.a.user, row, "demand", served_on=clock.now.date().isoformat())
    _first, last = court_window(fresh(row))
    clock.now = clock.now + datetime.timedelta(days=(last - clock.now.date()).days + 1)
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "apply_court", court="江阴市人民法院")
    assert exc.value.field == "action" and status(row) == "demanded"


def test_actions_out_of_order_or_without_a_fine_are_refused(team, clock):
    row = decided(team, clock)
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/pay",
                    {"fields": {"paid_on": "2025-09-30"}})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "action"
    assert status(row) == "decided" and fresh(row).paid_on is None


def test_a_negative_or_non_numeric_fine_is_refused_and_nothing_changes(team, clock):
    from zhenwu.enforcement.tests.case_file import investigating

    row = investigating(team)
    act(team.a.user, row, "finish_investigation", report="终结")
    act(team.a.user, row, "notify", penalty="fine", fine="150", band="ordinary")
    client = client_for(team.leader)
    url = f"/api/v1/enforcement/cases/{row.case.number}/actions/decide"
    for fine in ("-5", "一百", "NaN"):
        response = post(client, url, {"fields": {"penalty": "fine", "fine": fine, "band": "ordinary",
                                                  "defence_waived": True}})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "fields.fine", fine
    stored = fresh(row)
    assert status(row) == "notice" and stored.fine is None and stored.decision_number == ""
    assert not stored.documents.filter(kind="decision").exists()
