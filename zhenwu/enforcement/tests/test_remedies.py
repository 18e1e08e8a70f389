"""Administrative Penalty Law Art. 73 para. 3: while the party's reconsideration or lawsuit is pending the late
fee does not run. ``file_remedy`` pauses the case in 复议/诉讼中, the leader's ``resume`` records the end and the
outcome; an annulled or changed decision marks its publication overturned (Art. 48)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from zhenwu.casework.models import AuditEntry
from zhenwu.enforcement.models import DecisionPublication, Remedy
from zhenwu.enforcement.services.payments import Due, late_fee_of, paused_days
from zhenwu.enforcement.services.publicity import publication_publish
from zhenwu.enforcement.tests.case_file import (
    act,
    client_for,
    decided,
    fresh,
    on_instalments,
    pdf_text,
    post,
    served,
    status,
)
from zhenwu.errors import FieldError

D = datetime.date
FINE = Decimal("1000")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# --- the arithmetic -----------------------------------------------------------------------------------

def test_the_days_of_a_pending_remedy_are_left_out_of_the_late_fee():
    due = [Due(FINE, D(2026, 1, 20), D(2026, 2, 1))]  # 12 days late
    assert late_fee_of(FINE, due, on=D(2026, 2, 1)) == Decimal("360.00")
    # pending 23 to 27 January, both days included: 7 days counted
    assert late_fee_of(FINE, due, on=D(2026, 2, 1), pauses=[(D(2026, 1, 23), D(2026, 1, 27))]) == Decimal("210.00")
    # filed before the due day: only its days after the due day (21, 22 January) are left out
    assert paused_days(D(2026, 1, 20), D(2026, 2, 1), [(D(2026, 1, 10), D(2026, 1, 22))]) == 2
    # overlapping remedies count once (23 to 30 January: 8 days)
    both = [(D(2026, 1, 23), D(2026, 1, 27)), (D(2026, 1, 25), D(2026, 1, 30))]
    assert late_fee_of(FINE, due, on=D(2026, 2, 1), pauses=both) == Decimal("120.00")
    # still pending: it runs to the day asked about; paid while pending, to the payment
    assert late_fee_of(FINE, [Due(FINE, D(2026, 1, 20))], on=D(2026, 3, 1),
                       pauses=[(D(2026, 1, 22), None)]) == Decimal("30.00")
    # after the payment a remedy changes nothing; nothing is ever below zero
    assert late_fee_of(FINE, due, on=D(2026, 5, 1), pauses=[(D(2026, 3, 1), D(2026, 4, 1))]) == Decimal("360.00")
    assert late_fee_of(FINE, [Due(FINE, D(2026, 1, 20), D(2026, 1, 25))], on=D(2026, 1, 25),
                       pauses=[(D(2026, 1, 1), D(2026, 2, 1))]) == 0


def test_the_cap_at_the_fine_still_applies_with_a_pause():
    late = [Due(FINE, D(2026, 1, 20))]
    # 100 days late less 30 paused: 70 × 3% = 210% of the fine, capped at the fine
    assert late_fee_of(FINE, late, on=D(2026, 4, 30), pauses=[(D(2026, 2, 1), D(2026, 3, 2))]) == FINE


# --- the steps ----------------------------------------------------------------------------------------

def _file(team, row, *, filed_on: str, **fields):
    values = {"kind": "reconsideration", "body": "丹阳市人民政府", "filed_on": filed_on, **fields}
    return act(team.a.user, row, "file_remedy", **values)


def test_a_reconsideration_pauses_the_late_fee_and_the_api_shows_the_paused_days(team, clock):
    row = served(team, clock, fine="150")  # served 30 September, due 15 October
    clock.advance(days=20)  # 20 October: 5 days late
    _file(team, row, filed_on="2025-10-20")
    assert status(row) == "remedy"
    clock.advance(days=30)  # 19 November: 35 days after the due day, 31 of them pending
    client = client_for(team.leader)
    url = f"/api/v1/enforcement/cases/{row.case.number}"
    payment = client.get(url).json()["payment"]
    assert payment["late_fee_today"] == "18.00"  # 4 days × 3% × 150
    assert payment["late_fee_paused_days"] == 31 and payment["annulled"] is False
    assert payment["remedies"] == [{"kind": "reconsideration", "kind_label": "行政复议", "body": "丹阳市人民政府",
                                    "filed_on": "2025-10-20", "ended_on": None, "outcome": "", "outcome_label": "",
                                    "fine_before": None, "days": 31, "refund": None, "refunded_on": None,
                                    "refund_reference": ""}]
    assert payment["refund_owed"] == "0.00"
    with pytest.raises(FieldError) as exc:  # the officer records the filing, the leader the end
        act(team.a.user, row, "resume", ended_on="2025-11-19", outcome="upheld")
    assert exc.value.status == 403 and status(row) == "remedy"
    body = post(client, f"{url}/actions/resume", {"fields": {"ended_on": "2025-11-19", "outcome": "upheld"}}).json()
    assert body["status"] == "served" and body["payment"]["remedies"][0]["outcome_label"] == "维持原决定"
    clock.advance(days=5)  # 24 November: 40 days late, 31 not counted
    row = act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    assert status(row) == "paid" and fresh(row).late_fee == Decimal("40.50")  # 9 × 3% × 150


def test_paid_while_the_reconsideration_is_pending(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=17)  # 17 October: 2 days late
    _file(team, row, filed_on="2025-10-17", kind="lawsuit", body="江阴市人民法院")
    clock.advance(days=10)
    row = act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    # 16 to 27 October late; from the filing day, 17 October, pending: only the 16th counts, 1 × 3% × 150
    assert status(row) == "paid" and fresh(row).late_fee == Decimal("4.50")
    payment = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}").json()["payment"]
    assert payment["late_fee_paused_days"] == 11


def test_a_demand_after_a_remedy_states_the_days_not_counted(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=18)  # 18 October
    _file(team, row, filed_on="2025-10-18")
    clock.advance(days=10)  # 28 October
    act(team.leader, row, "resume", ended_on="2025-10-27", outcome="upheld")
    act(team.a.user, row, "demand", served_on=clock.now.date().isoformat())
    text = pdf_text(client_for(team.a.user).get(
        f"/api/v1/enforcement/cases/{row.case.number}/documents/demand.pdf").content)
    # 13 days after the due day, 10 of them pending (18 to 27 October): 3 × 3% × 150
    assert "截至2025-10-28为13.50元" in text and "期间10日" in text and "应缴合计：163.50元" in text


def test_the_end_of_a_remedy_never_filed_is_refused(team, clock):
    row = served(team, clock)
    response = post(client_for(team.leader), f"/api/v1/enforcement/cases/{row.case.number}/actions/resume",
                    {"fields": {"ended_on": "2025-09-30", "outcome": "upheld"}})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "action"
    assert status(row) == "served" and not Remedy.objects.exists()


def test_a_remedy_against_a_decision_not_yet_served_is_refused(team, clock):
    row = decided(team, clock)
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/file_remedy",
                    {"fields": {"kind": "reconsideration", "body": "丹阳市人民政府", "filed_on": "2025-09-30"}})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "action"
    assert status(row) == "decided" and not Remedy.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"kind": "appeal"}, "fields.kind"),
    ({"body": "  "}, "fields.body"),
    ({"filed_on": "2025-10-21"}, "fields.filed_on"),  # tomorrow
    ({"filed_on": "2025-09-29"}, "fields.filed_on"),  # before the decision was served
    ({"filed_on": "20.10.2025"}, "fields.filed_on"),
])
def test_a_bad_filing_is_refused_and_nothing_is_written(team, clock, fields, field):
    row = served(team, clock)
    clock.advance(days=20)
    values = {"kind": "reconsideration", "body": "丹阳市人民政府", "filed_on": "2025-10-20", **fields}
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/file_remedy",
                    {"fields": values})
    assert response.status_code == 400, response.json()
    error = response.json()["errors"][0]
    assert error["field"] == field and error["message"]
    assert status(row) == "served" and not Remedy.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"ended_on": "2025-10-19"}, "fields.ended_on"),  # before it was filed
    ({"ended_on": "2025-11-20"}, "fields.ended_on"),  # in the future
    ({"outcome": "won"}, "fields.outcome"),
    ({"outcome": "changed", "fine": "200"}, "fields.fine"),  # never heavier
    ({"outcome": "changed", "fine": "-1"}, "fields.fine"),
])
def test_a_bad_end_is_refused_and_the_remedy_stays_pending(team, clock, fields, field):
    row = served(team, clock)
    clock.advance(days=20)
    _file(team, row, filed_on="2025-10-20")
    clock.advance(days=30)  # 19 November
    values = {"ended_on": "2025-11-19", "outcome": "upheld", **fields}
    response = post(client_for(team.leader), f"/api/v1/enforcement/cases/{row.case.number}/actions/resume",
                    {"fields": values})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    remedy = Remedy.objects.get()
    assert status(row) == "remedy" and remedy.ended_on is None and remedy.outcome == ""
    assert fresh(row).fine == Decimal("150.00")


def test_an_annulled_decision_owes_nothing_and_its_publication_is_marked_for_withdrawal(team, clock):
    row = served(team, clock, fine="150")
    pub = publication_publish(actor=team.legal, pub_id=DecisionPublication.objects.get(penalty=row).pk)
    clock.advance(days=20)
    _file(team, row, filed_on="2025-10-20")
    clock.advance(days=30)
    act(team.leader, row, "resume", ended_on="2025-11-19", outcome="annulled")
    pub.refresh_from_db()
    assert (pub.overturn_kind, pub.overturned_on, pub.status) == ("reconsideration_revoked", D(2025, 11, 19),
                                                                  "published")
    assert pub.withdraw_due_on is not None
    entry = AuditEntry.objects.filter(subject=row.case.number, action="publication_overturn").get()
    assert (entry.data or {}).get("recorded_on_case") is True
    payment = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}").json()["payment"]
    assert payment["annulled"] is True and payment["next_due_on"] is None and payment["late_fee_today"] == "0.00"
    assert payment["court_from"] is None
    with pytest.raises(FieldError) as exc:
        act(team.a.user, row, "pay", paid_on="2025-11-19")
    assert exc.value.field == "action"
    with pytest.raises(FieldError):  # nothing is owed: no demand
        act(team.a.user, row, "demand", served_on="2025-11-19")
    assert status(act(team.leader, row, "close", report="复议决定撤销原处罚决定，结案")) == "closed"


def test_a_pending_publication_of_a_decision_annulled_by_a_court_is_never_published(team, clock):
    row = served(team, clock, fine="150")
    _file(team, row, filed_on="2025-09-30", kind="lawsuit", body="江阴市人民法院")
    act(team.leader, row, "resume", ended_on="2025-09-30", outcome="annulled")
    pub = DecisionPublication.objects.get(penalty=row)
    assert pub.status == "pending" and pub.overturn_kind == "litigation_revoked"
    with pytest.raises(FieldError) as exc:
        publication_publish(actor=team.legal, pub_id=pub.pk)
    assert exc.value.field == "status"


def test_a_changed_fine_is_what_is_owed_and_the_publication_is_marked(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=20)  # 20 October
    _file(team, row, filed_on="2025-10-20")
    act(team.leader, row, "resume", ended_on="2025-10-20", outcome="changed", fine="100")
    remedy = Remedy.objects.get()
    assert (remedy.outcome, remedy.fine_before, fresh(row).fine) == ("changed", Decimal("150.00"), Decimal("100.00"))
    assert DecisionPublication.objects.get(penalty=row).overturn_kind == "reconsideration_changed"
    clock.advance(days=2)  # 22 October: 7 days after the due day, 20 October not counted
    row = act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    assert fresh(row).late_fee == Decimal("18.00")  # 6 × 3% × 100


# --- where a remedy may be filed from, and where it returns ---------------------------------------------

def test_a_remedy_after_the_payment_returns_to_paid_and_nothing_is_paid_twice(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=5)
    act(team.a.user, row, "pay", paid_on="2025-10-05")
    clock.advance(days=10)  # 15 October: within the 60 days of a reconsideration
    _file(team, row, filed_on="2025-10-15")
    assert status(row) == "remedy"
    with pytest.raises(FieldError) as exc:  # Art. 73 para. 1 concerns an unpaid fine: this one is paid
        act(team.a.user, row, "pay", paid_on="2025-10-15")
    assert exc.value.field == "action" and "2025-10-05" in str(exc.value.errors[0][1])
    clock.advance(days=20)
    act(team.leader, row, "resume", ended_on="2025-11-04", outcome="upheld")
    row = fresh(row)
    assert status(row) == "paid" and row.paid_on == D(2025, 10, 5) and row.late_fee == 0
    assert Remedy.objects.get().ended_on == D(2025, 11, 4)


def test_a_remedy_while_the_payment_plan_waits_returns_to_its_review(team, clock):
    row = served(team, clock, fine="150")
    until = (clock.now.date() + datetime.timedelta(days=60)).isoformat()
    act(team.a.user, row, "request_payment_plan", kind="deferral", reason="经营困难", until=until)
    assert status(row) == "plan_review"
    client = client_for(team.a.user)
    url = f"/api/v1/enforcement/cases/{row.case.number}"
    assert "file_remedy" in client.get(url).json()["actions"]
    body = post(client, f"{url}/actions/file_remedy", {"fields": {"kind": "lawsuit", "body": "江阴市人民法院",
                                                                  "filed_on": "2025-09-30"}}).json()
    assert body["status"] == "remedy"
    act(team.leader, row, "resume", ended_on="2025-09-30", outcome="upheld")
    assert status(row) == "plan_review"
    act(team.leader, row, "approve_payment_plan", opinion="同意延期")
    assert status(row) == "on_plan"


def test_a_closed_case_takes_no_remedy_and_says_why(team, clock):
    row = served(team, clock, fine="150")
    act(team.a.user, row, "pay", paid_on="2025-09-30")
    act(team.leader, row, "close", report="已履行")
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/file_remedy",
                    {"fields": {"kind": "reconsideration", "body": "丹阳市人民政府", "filed_on": "2025-09-30"}})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "action" and "已结案" in error["message"] and "结案" in error["message"], error
    assert status(row) == "closed" and not Remedy.objects.exists()
    with pytest.raises(FieldError) as exc:  # the English source says it too
        _file(team, row, filed_on="2025-09-30")
    assert "closed" in str(exc.value.errors[0][1].render("en"))  # type: ignore[union-attr]


def test_one_remedy_is_pending_at_a_time(team, clock):
    row = served(team, clock, fine="150")
    _file(team, row, filed_on="2025-09-30")
    with pytest.raises(FieldError) as exc:  # in the pause: not an action of 复议/诉讼中
        _file(team, row, filed_on="2025-09-30", kind="lawsuit", body="江阴市人民法院")
    assert exc.value.field == "action" and "尚未终结" in str(exc.value.errors[0][1])
    act(team.a.user, row, "pay", paid_on="2025-09-30")  # paid while pending: the case leaves the pause
    assert status(row) == "paid"
    with pytest.raises(FieldError) as exc:
        _file(team, row, filed_on="2025-09-30", kind="lawsuit", body="江阴市人民法院")
    assert exc.value.field == "action" and Remedy.objects.count() == 1 and status(row) == "paid"


# --- Art. 73 para. 1: instalments paid one by one while the remedy is pending ---------------------------

def test_instalments_are_paid_one_by_one_during_a_remedy(team, clock):
    row = served(team, clock, fine="150")
    today = clock.now.date()
    first, second = on_instalments(team, row, today, 30, 60)
    clock.advance(days=10)
    _file(team, row, filed_on=clock.now.date().isoformat())
    client = client_for(team.a.user)
    url = f"/api/v1/enforcement/cases/{row.case.number}"
    assert {"pay", "pay_instalment"} <= set(client.get(url).json()["actions"])
    clock.advance(days=20)
    client = client_for(team.a.user)  # a new session 20 days later
    body = post(client, f"{url}/actions/pay_instalment", {"fields": {"paid_on": first.isoformat()}}).json()
    assert body["status"] == "remedy" and body["payment"]["next_due_on"] == second.isoformat()
    assert fresh(row).paid_on is None and Remedy.objects.get().ended_on is None
    entry = AuditEntry.objects.filter(subject=row.case.number).order_by("-seq").first()
    assert entry is not None and (entry.from_state, entry.to_state) == ("remedy", "remedy")
    page = client.get(f"/enforcement/cases/{row.case.number}/").content.decode()
    assert 'data-action="pay_instalment"' in page and "缴纳一期" in page
    response = post(client, f"{url}/actions/pay_instalment_in_remedy", {"fields": {"paid_on": first.isoformat()}})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "action"  # not the API's
    clock.advance(days=5)
    act(team.leader, row, "resume", ended_on=clock.now.date().isoformat(), outcome="upheld")
    assert status(row) == "on_plan"  # back where it came from, one instalment left
    clock.advance(days=25)  # the second instalment's day
    row = act(team.a.user, row, "pay_instalment", paid_on=second.isoformat())
    assert status(row) == "paid" and fresh(row).late_fee == 0


def test_the_last_instalment_during_a_remedy_pays_the_fine(team, clock):
    row = served(team, clock, fine="150")
    today = clock.now.date()
    first, second = on_instalments(team, row, today, 5, 10)
    _file(team, row, filed_on=today.isoformat())
    clock.advance(days=10)
    act(team.a.user, row, "pay_instalment", paid_on=first.isoformat())
    assert status(row) == "remedy"
    row = act(team.a.user, row, "pay_instalment", paid_on=second.isoformat())
    assert status(row) == "paid" and fresh(row).paid_on == second and fresh(row).late_fee == 0


# --- 行政强制法 Art. 53: the window to ask the court does not run while a remedy is pending ------------

def test_the_court_window_moves_by_the_days_a_remedy_was_pending(team, clock):
    from zhenwu.enforcement.services.payments import court_window

    row = served(team, clock, fine="150")  # served 30 September 2025
    assert court_window(fresh(row)) == (D(2026, 3, 31), D(2026, 6, 30))  # 6 months, then 3
    clock.advance(days=20)
    _file(team, row, filed_on="2025-10-20")
    clock.advance(days=9)  # 29 October: pending for 10 days so far
    assert court_window(fresh(row)) == (D(2026, 4, 10), D(2026, 7, 10))
    clock.advance(days=21)  # 19 November
    act(team.leader, row, "resume", ended_on="2025-11-19", outcome="upheld")  # 31 days, both included
    first, last = court_window(fresh(row))
    assert (first, last) == (D(2026, 5, 1), D(2026, 7, 31))
    act(team.a.user, row, "demand", served_on=clock.now.date().isoformat())
    detail = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}").json()["payment"]
    assert (detail["court_from"], detail["court_until"]) == ("2026-05-01", "2026-07-31")
    clock.now = clock.now + datetime.timedelta(days=(D(2026, 4, 30) - clock.now.date()).days)
    with pytest.raises(FieldError) as exc:  # the old window's day: the remedy's days come first
        act(team.leader, row, "apply_court", court="江阴市人民法院")
    assert exc.value.field == "action" and status(row) == "demanded"
    clock.now = clock.now + datetime.timedelta(days=(D(2026, 7, 31) - clock.now.date()).days)
    row = act(team.leader, row, "apply_court", court="江阴市人民法院")  # after the old window closed
    assert status(row) == "enforcing" and fresh(row).court_applied_on == D(2026, 7, 31)
    with pytest.raises(FieldError) as exc:  # the court was asked: the periods for a remedy are over
        _file(team, row, filed_on="2026-07-31")
    assert exc.value.field == "action" and "已申请人民法院强制执行" in str(exc.value.errors[0][1])
    assert Remedy.objects.count() == 1


def test_the_court_window_closes_the_remedys_days_after_the_old_end(team, clock):
    row = served(team, clock, fine="150")
    clock.advance(days=20)
    _file(team, row, filed_on="2025-10-20")
    clock.advance(days=1)
    act(team.leader, row, "resume", ended_on="2025-10-21", outcome="upheld")  # 2 days
    act(team.a.user, row, "demand", served_on=clock.now.date().isoformat())
    clock.now = clock.now + datetime.timedelta(days=(D(2026, 7, 3) - clock.now.date()).days)  # 30 June + 3
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "apply_court", court="江阴市人民法院")
    assert exc.value.field == "action" and "2026-07-02" in str(exc.value.errors[0][1])


# --- the end of a remedy still pending when the whole fine was paid ------------------------------------

def _paid_while_pending(team, clock, *, fine="150", days=17):
    """Served 30 September, a reconsideration filed ``days`` later, the whole fine paid 10 days after that."""
    row = served(team, clock, fine=fine)
    clock.advance(days=days)
    _file(team, row, filed_on=clock.now.date().isoformat())
    clock.advance(days=10)
    row = act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    assert status(row) == "paid" and Remedy.objects.get().ended_on is None
    return row


def test_a_remedy_pending_on_a_paid_case_is_ended_there_and_the_case_then_closes(team, clock):
    row = _paid_while_pending(team, clock)  # filed 17 October, paid 27 October
    url = f"/api/v1/enforcement/cases/{row.case.number}"
    leader = client_for(team.leader)
    assert "end_remedy" in leader.get(url).json()["actions"]
    with pytest.raises(FieldError) as exc:  # the remedy first
        act(team.leader, row, "close", report="已履行")
    assert exc.value.field == "action" and "2025-10-17" in str(exc.value.errors[0][1]) and status(row) == "paid"
    with pytest.raises(FieldError) as exc:  # the leader's step, as ``resume``
        act(team.a.user, row, "end_remedy", ended_on="2025-10-27", outcome="upheld")
    assert exc.value.status == 403
    body = post(leader, f"{url}/actions/end_remedy", {"fields": {"ended_on": "2025-10-27",
                                                                 "outcome": "upheld"}}).json()
    assert body["status"] == "paid" and body["payment"]["remedies"][0]["ended_on"] == "2025-10-27"
    assert body["payment"]["refund_owed"] == "0.00" and "end_remedy" not in body["actions"]
    assert "refund" not in client_for(team.a.user).get(url).json()["actions"]
    entry = AuditEntry.objects.filter(subject=row.case.number).order_by("-seq").first()
    assert entry is not None and (entry.action, entry.from_state, entry.to_state) == ("end_remedy", "paid", "paid")
    with pytest.raises(FieldError) as exc:  # nothing pending any more
        act(team.leader, row, "end_remedy", ended_on="2025-10-27", outcome="upheld")
    assert exc.value.field == "action"
    assert status(act(team.leader, row, "close", report="已履行，复议维持")) == "closed"


@pytest.mark.parametrize(("fields", "field"), [
    ({"ended_on": "2025-10-16"}, "fields.ended_on"),  # before it was filed
    ({"ended_on": "2025-10-28"}, "fields.ended_on"),  # in the future
    ({"outcome": "won"}, "fields.outcome"),
    ({"outcome": "changed", "fine": "200"}, "fields.fine"),  # never heavier
])
def test_a_bad_end_on_a_paid_case_is_refused_and_nothing_is_written(team, clock, fields, field):
    row = _paid_while_pending(team, clock)
    values = {"ended_on": "2025-10-27", "outcome": "upheld", **fields}
    response = post(client_for(team.leader), f"/api/v1/enforcement/cases/{row.case.number}/actions/end_remedy",
                    {"fields": values})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
    remedy = Remedy.objects.get()
    assert (remedy.ended_on, remedy.outcome, remedy.refund) == (None, "", None)
    assert fresh(row).fine == Decimal("150.00") and status(row) == "paid"


def test_end_remedy_is_refused_where_the_case_is_not_paid(team, clock):
    row = served(team, clock)
    _file(team, row, filed_on="2025-09-30")
    with pytest.raises(FieldError) as exc:  # in the pause it is ``resume``
        act(team.leader, row, "end_remedy", ended_on="2025-09-30", outcome="upheld")
    assert exc.value.field == "action" and status(row) == "remedy"


# --- the refund of an annulled or lowered fine already paid ---------------------------------------------

def test_an_annulled_paid_fine_is_refunded_in_full_then_the_case_closes(team, clock):
    row = _paid_while_pending(team, clock)  # 16 October late: 4.50 late fee paid with the 150
    pub = publication_publish(actor=team.legal, pub_id=DecisionPublication.objects.get(penalty=row).pk)
    assert fresh(row).late_fee == Decimal("4.50")
    act(team.leader, row, "end_remedy", ended_on="2025-10-27", outcome="annulled")
    pub.refresh_from_db()
    assert pub.overturn_kind == "reconsideration_revoked" and pub.overturned_on == D(2025, 10, 27)
    assert Remedy.objects.get().refund == Decimal("154.50")
    url = f"/api/v1/enforcement/cases/{row.case.number}"
    officer = client_for(team.a.user)
    detail = officer.get(url).json()
    assert detail["payment"]["refund_owed"] == "154.50" and "refund" in detail["actions"]
    assert detail["payment"]["remedies"][0]["refund"] == "154.50"
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "close", report="撤销")
    assert exc.value.field == "action" and "154.50" in str(exc.value.errors[0][1])
    good = {"refunded_on": "2025-10-27", "amount": "154.5", "reference": "TK-2025-031"}
    for bad, field in [({"amount": "150"}, "fields.amount"), ({"amount": "abc"}, "fields.amount"),
                       ({"reference": " "}, "fields.reference"), ({"refunded_on": "2025-10-26"}, "fields.refunded_on"),
                       ({"refunded_on": "2025-10-28"}, "fields.refunded_on")]:
        response = post(officer, f"{url}/actions/refund", {"fields": {**good, **bad}})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field, (bad, response.json())
    assert Remedy.objects.get().refunded_on is None
    response = post(officer, f"{url}/actions/refund", {"fields": {**good, "amount": "150"}})
    assert "154.50" in response.json()["errors"][0]["message"]  # the amount owed is named
    body = post(officer, f"{url}/actions/refund", {"fields": good}).json()
    assert body["status"] == "paid" and body["payment"]["refund_owed"] == "0.00"
    remedy = Remedy.objects.get()
    assert (remedy.refunded_on, remedy.refund_reference) == (D(2025, 10, 27), "TK-2025-031")
    entry = AuditEntry.objects.filter(subject=row.case.number).order_by("-seq").first()
    assert entry is not None and entry.action == "refund" and entry.actor_name
    assert (entry.data or {})["fields"] == {"refunded_on": "2025-10-27", "amount": "154.50",
                                            "reference": "TK-2025-031"}
    response = post(officer, f"{url}/actions/refund", {"fields": good})  # once
    assert response.status_code == 400 and "没有应退还" in response.json()["errors"][0]["message"]
    assert status(act(team.leader, row, "close", report="复议撤销，罚款已退还")) == "closed"


def test_a_lowered_paid_fine_refunds_the_difference_and_its_late_fee_share(team, clock):
    row = _paid_while_pending(team, clock)
    act(team.leader, row, "end_remedy", ended_on="2025-10-27", outcome="changed", fine="100")
    row = fresh(row)
    # the fine 150 → 100 and the late fee 4.50 → 3.00 (1 day × 3% × 100): 51.50 back
    assert (row.fine, row.late_fee, Remedy.objects.get().refund) == (Decimal("100.00"), Decimal("3.00"),
                                                                     Decimal("51.50"))
    assert DecisionPublication.objects.get(penalty=row).overturn_kind == "reconsideration_changed"
    act(team.a.user, row, "refund", refunded_on="2025-10-27", amount="51.50", reference="TK-1")
    assert status(act(team.leader, row, "close", report="变更后已退还差额")) == "closed"


def test_a_refund_where_nothing_is_owed_is_refused_with_the_reason(team, clock):
    row = served(team, clock)
    act(team.a.user, row, "pay", paid_on="2025-09-30")
    for where in ("paid", "served"):
        if where == "served":
            row = served(team, clock)
        response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/refund",
                        {"fields": {"refunded_on": "2025-09-30", "amount": "150", "reference": "TK-1"}})
        assert response.status_code == 400, where
        error = response.json()["errors"][0]
        assert error["field"] == "action" and "没有应退还" in error["message"], error
        assert status(row) == where
    with pytest.raises(FieldError) as exc:  # the English source says it too
        act(team.a.user, row, "refund", refunded_on="2025-09-30", amount="150", reference="TK-1")
    assert "Nothing is to be refunded" in str(exc.value.errors[0][1].render("en"))  # type: ignore[union-attr]
    upheld = _paid_while_pending(team, clock)
    act(team.leader, upheld, "end_remedy", ended_on=clock.now.date().isoformat(), outcome="upheld")
    with pytest.raises(FieldError) as exc:
        act(team.a.user, upheld, "refund", refunded_on=clock.now.date().isoformat(), amount="150", reference="x")
    assert exc.value.field == "action"


def test_a_remedy_filed_after_the_payment_and_annulled_owes_the_refund(team, clock):
    row = served(team, clock, fine="150")
    act(team.a.user, row, "pay", paid_on="2025-09-30")
    _file(team, row, filed_on="2025-09-30", kind="lawsuit", body="江阴市人民法院")
    act(team.leader, row, "resume", ended_on="2025-09-30", outcome="annulled")
    assert status(row) == "paid" and Remedy.objects.get().refund == Decimal("150.00")
    assert DecisionPublication.objects.get(penalty=row).overturn_kind == "litigation_revoked"


def test_instalments_paid_before_the_decision_was_annulled_are_refunded(team, clock):
    row = served(team, clock, fine="150")
    today = clock.now.date()
    first, second = on_instalments(team, row, today, 5, 40)
    _file(team, row, filed_on=today.isoformat())
    clock.advance(days=5)
    act(team.a.user, row, "pay_instalment", paid_on=first.isoformat())
    act(team.leader, row, "resume", ended_on=first.isoformat(), outcome="annulled")
    assert status(row) == "on_plan" and Remedy.objects.get().refund == Decimal("100.00")
    with pytest.raises(FieldError) as exc:
        act(team.leader, row, "close", report="撤销")
    assert exc.value.field == "action"
    client = client_for(team.a.user)
    assert "refund" in client.get(f"/api/v1/enforcement/cases/{row.case.number}").json()["actions"]
    act(team.a.user, row, "refund", refunded_on=first.isoformat(), amount="100", reference="TK-2")
    assert status(row) == "on_plan"
    assert status(act(team.leader, row, "close", report="撤销，已缴部分已退还")) == "closed"


def test_the_case_page_shows_the_refund_owed_and_refuses_a_wrong_amount_in_chinese(team, clock):
    row = _paid_while_pending(team, clock)
    act(team.leader, row, "end_remedy", ended_on="2025-10-27", outcome="annulled")
    client = client_for(team.a.user)
    page_url = f"/enforcement/cases/{row.case.number}/"
    page = client.get(page_url).content.decode()
    assert 'id="refund-owed"' in page and "154.50 元" in page and 'data-action="refund"' in page
    assert 'name="amount" value="154.5"' in page and "退还罚款" in page
    bad = client.post(f"{page_url}act/refund/", {"refunded_on": "2025-10-27", "amount": "100",
                                                 "reference": "TK-9"})
    text = bad.content.decode()
    assert bad.status_code == 400 and "应退还154.50元" in text and 'value="TK-9"' in text
    assert Remedy.objects.get().refunded_on is None
    ok = client.post(f"{page_url}act/refund/", {"refunded_on": "2025-10-27", "amount": "154.50",
                                                "reference": "TK-9"})
    assert ok.status_code == 302 and Remedy.objects.get().refund_reference == "TK-9"
    page = client.get(page_url).content.decode()
    assert "TK-9" in page and 'id="refund-owed"' not in page and 'data-action="refund"' not in page


def test_the_leaders_page_ends_a_remedy_on_a_paid_case(team, clock):
    row = _paid_while_pending(team, clock)
    client = client_for(team.leader)
    page_url = f"/enforcement/cases/{row.case.number}/"
    assert 'data-action="end_remedy"' in client.get(page_url).content.decode()
    bad = client.post(f"{page_url}act/end_remedy/", {"ended_on": "2025-10-27", "outcome": "changed", "fine": "300"})
    assert bad.status_code == 400 and "不得超过" in bad.content.decode()
    assert Remedy.objects.get().ended_on is None and fresh(row).fine == Decimal("150.00")
    ok = client.post(f"{page_url}act/end_remedy/", {"ended_on": "2025-10-27", "outcome": "upheld"})
    assert ok.status_code == 302 and Remedy.objects.get().outcome == "upheld"


# --- the periods to file: 60 days (行政复议法 Art. 20), 6 months (行政诉讼法 Art. 46) from service ---------

def test_a_reconsideration_after_the_60_days_is_refused_naming_the_last_day(team, clock):
    row = served(team, clock)  # 30 September 2025: the 60th day is 29 November
    clock.advance(days=61)  # 30 November
    response = post(client_for(team.a.user), f"/api/v1/enforcement/cases/{row.case.number}/actions/file_remedy",
                    {"fields": {"kind": "reconsideration", "body": "丹阳市人民政府", "filed_on": "2025-11-30"}})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "fields.filed_on" and "2025-11-29" in error["message"] and "60日" in error["message"]
    assert status(row) == "served" and not Remedy.objects.exists()
    with pytest.raises(FieldError) as exc:
        _file(team, row, filed_on="2025-11-30")
    assert "2025-11-29" in str(exc.value.errors[0][1].render("en"))  # type: ignore[union-attr]
    # a lawsuit is still in time; a reconsideration on the last day too
    assert status(_file(team, row, filed_on="2025-11-30", kind="lawsuit", body="江阴市人民法院")) == "remedy"
    act(team.leader, row, "resume", ended_on="2025-11-30", outcome="upheld")
    Remedy.objects.all().delete()
    assert status(_file(team, row, filed_on="2025-11-29")) == "remedy"


def test_a_lawsuit_after_the_6_months_is_refused_naming_the_last_day(team, clock):
    row = served(team, clock)  # 30 September 2025: the last day is 30 March 2026
    clock.now = clock.now + datetime.timedelta(days=(D(2026, 3, 31) - clock.now.date()).days)
    with pytest.raises(FieldError) as exc:
        _file(team, row, filed_on="2026-03-31", kind="lawsuit", body="江阴市人民法院")
    assert exc.value.field == "fields.filed_on" and "2026-03-30" in str(exc.value.errors[0][1])
    assert "6个月" in str(exc.value.errors[0][1]) and not Remedy.objects.exists()
    assert status(_file(team, row, filed_on="2026-03-30", kind="lawsuit", body="江阴市人民法院")) == "remedy"


def test_a_lawsuit_after_a_reconsideration_decision_has_its_15_days_past_the_6_months(team, clock):
    """行政诉讼法 Art. 45: within 15 days of the reconsideration decision, even after the 6 months of Art. 46."""
    row = served(team, clock)  # 30 September 2025: the 6 months end on 30 March 2026
    clock.advance(days=20)
    _file(team, row, filed_on="2025-10-20")
    clock.now = clock.now + datetime.timedelta(days=(D(2026, 3, 25) - clock.now.date()).days)
    act(team.leader, row, "resume", ended_on="2026-03-25", outcome="upheld")  # decided 25 March
    clock.now = clock.now + datetime.timedelta(days=15)  # 9 April: the 15th day
    with pytest.raises(FieldError) as exc:
        _file(team, row, filed_on="2026-04-10", kind="lawsuit", body="江阴市人民法院")  # not yet: the date check
    assert exc.value.field == "fields.filed_on"
    assert status(_file(team, row, filed_on="2026-04-09", kind="lawsuit", body="江阴市人民法院")) == "remedy"
    act(team.leader, row, "resume", ended_on="2026-04-09", outcome="upheld")
    Remedy.objects.filter(kind="lawsuit").delete()
    clock.now = clock.now + datetime.timedelta(days=1)  # 10 April: the 16th day
    with pytest.raises(FieldError) as exc:
        _file(team, row, filed_on="2026-04-10", kind="lawsuit", body="江阴市人民法院")
    message = str(exc.value.errors[0][1])
    assert exc.value.field == "fields.filed_on" and "2026-04-09" in message and "第四十五条" in message


def test_the_periods_to_file_are_settings(team, clock, settings):
    settings.ENFORCEMENT_REVIEW_DAYS = 30
    row = served(team, clock)
    clock.advance(days=31)  # 31 October
    with pytest.raises(FieldError) as exc:
        _file(team, row, filed_on="2025-10-31")
    assert exc.value.field == "fields.filed_on" and "2025-10-30" in str(exc.value.errors[0][1])
