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
from zhenwu.enforcement.tests.case_file import act, client_for, decided, fresh, pdf_text, post, served, status
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
                                    "fine_before": None, "days": 31}]
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
