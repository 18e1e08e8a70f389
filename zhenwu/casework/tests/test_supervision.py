"""Supervision over Case for every kind: a kind defined only in this module is urged by the tick at
yellow and red, listed as overdue, counted in the statistics under its own label, urged by hand and put
under 督办; urging a finished case is refused with the case unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.casework import process as processes
from zhenwu.casework.kinds import kind_register, kinds_isolated
from zhenwu.casework.models import AuditEntry, Case, CaseDayStat, CaseSupervision, CaseUrge, OutboxMessage
from zhenwu.casework.process import process_register
from zhenwu.casework.services import case_create, tick, transition
from zhenwu.casework.supervision import case_stats, case_stats_rebuild, period_clean
from zhenwu.testing import GRID_A, GRID_B, local, make_staff

API = "/api/v1/casework/supervision"

SHORT: dict[str, Any] = {
    "key": "zu:short", "label": "Urged test kind",
    "states": [{"key": "opened", "label": "立案", "start": True, "limit": {"unit": "working_days", "value": 3}},
               {"key": "closed", "label": "结案", "terminal": True}],
    "actions": [{"key": "close", "label": "结案", "from": ["opened"], "to": "closed", "roles": ["window_clerk"]}],
}


@pytest.fixture
def urged_kind() -> Iterator[None]:
    with kinds_isolated():
        kind_register(code="ZU", label="Urged case", process_prefix="zu:", page=lambda case: f"/zu/{case.number}/")
        process_register(SHORT)
        try:
            yield
        finally:
            processes._PROCESSES.pop(SHORT["key"], None)


@pytest.fixture
def filed(personas, clock, urged_kind) -> Case:
    clock.now = local(2026, 3, 2, 9)  # Monday; 3 working days → due Thursday 5 March
    personas.town_staff.mobile = "13600001234"
    personas.town_staff.save(update_fields=["mobile"])
    return case_create(kind="ZU", process="zu:short", area_code=GRID_A, title="占道经营", actor=personas.town_staff)


@pytest.fixture
def leader(town):
    return make_staff("leader", roles=[Role.LEADER], scope=town.town, mobile="13600005678")


def sms() -> list[tuple[str, Any, str]]:
    return list(OutboxMessage.objects.filter(payload__case__isnull=False).order_by("pk")
                .values_list("recipient", "payload", "body"))


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_tick_urges_a_test_kind_at_yellow_and_at_red_once_each(filed, clock):
    tick()
    assert sms() == []  # green
    clock.now = local(2026, 3, 5, 9)
    assert tick()["case_urges"] == 1
    assert tick()["case_urges"] == 0
    clock.now = local(2026, 3, 6, 9)
    tick()
    tick()
    assert [(r, p["urge"]) for r, p, _b in sms()] == [("13600001234", "yellow"), ("13600001234", "red")]
    assert "Urged case" in sms()[1][2] and filed.number in sms()[1][2]
    assert sorted(CaseUrge.objects.filter(case=filed).values_list("level", flat=True)) == ["red", "yellow"]


@pytest.mark.django_db
def test_overdue_and_at_risk_lists_show_the_test_kind_with_its_label(client, filed, clock, personas):
    clock.now = local(2026, 3, 5, 9)
    tick()
    supervisor = login(client, personas.county_staff)
    risk = supervisor.get(f"{API}/at-risk").json()
    assert [(r["number"], r["kind_label"], r["page_url"]) for r in risk["items"]] == [
        (filed.number, "Urged case", f"/zu/{filed.number}/")]
    assert supervisor.get(f"{API}/overdue").json() == {"items": [], "count": 0}
    clock.now = local(2026, 3, 6, 9)
    supervisor = login(client, personas.county_staff)  # a fresh session: the clock moved a day
    body = supervisor.get(f"{API}/overdue?kind=ZU").json()
    assert body["count"] == 1 and body["items"][0]["kind"] == "ZU" and body["items"][0]["status_label"] == "立案"
    assert supervisor.get(f"{API}/overdue?kind=NOPE").status_code == 400


@pytest.mark.django_db
def test_lists_are_cut_to_the_supervisors_scope(client, filed, clock, town):
    clock.now = local(2026, 3, 6, 9)
    case_create(kind="ZU", process="zu:short", area_code=GRID_B, title="B", actor=filed.created_by)
    clock.now = local(2026, 3, 12, 9)
    grid_b = make_staff("sup_b", roles=[Role.SUPERVISOR], scope=town.grid_b)
    items = login(client, grid_b).get(f"{API}/overdue").json()["items"]
    assert [r["title"] for r in items] == ["B"]


@pytest.mark.django_db
def test_statistics_count_the_test_kind_under_its_own_label(filed, clock, personas):
    clock.now = local(2026, 3, 5, 9)
    tick()
    clock.now = local(2026, 3, 6, 9)
    tick()
    result = case_stats(user=personas.county_staff, period=period_clean(date_from="2026-03-01", date_to="2026-03-31"))
    row = next(r for r in result.rows if r.kind == "ZU")
    assert (row.label, row.filed, row.finished, row.overdue, row.urged) == ("Urged case", 1, 0, 1, 2)


@pytest.mark.django_db
def test_the_daily_summary_gives_the_same_figures_as_counting_the_cases(client, filed, clock, personas):
    clock.now = local(2026, 3, 3, 10)
    second = case_create(kind="ZU", process="zu:short", area_code=GRID_A, title="二", actor=personas.town_staff)
    clock.now = local(2026, 3, 4, 10)
    transition(actor=personas.town_staff, case=second, action="close")  # on time
    clock.now = local(2026, 3, 10, 10)
    transition(actor=personas.town_staff, case=filed, action="close")  # late
    case_create(kind="ZU", process="zu:short", area_code=GRID_A, title="三", actor=personas.town_staff)  # today
    period = period_clean(date_from="2026-03-01", date_to="2026-03-31")
    live = [r.as_dict() for r in case_stats(user=personas.county_staff, period=period).rows]
    assert CaseDayStat.objects.count() == 0
    tick()  # sums every day before today
    assert CaseDayStat.objects.filter(kind="ZU").exists()
    CaseDayStat.objects.filter(kind="ZU", day=local(2026, 3, 2).date()).update(filed=0)  # would show if read
    summed = [r.as_dict() for r in case_stats(user=personas.county_staff, period=period).rows]
    zu = next(r for r in summed if r["kind"] == "ZU")
    assert (zu["filed"], zu["finished"], zu["on_time"]) == (2, 2, 1)  # the tampered day is read from the summary
    case_stats_rebuild()
    rebuilt = [r.as_dict() for r in case_stats(user=personas.county_staff, period=period).rows]
    assert rebuilt == live
    zu = next(r for r in rebuilt if r["kind"] == "ZU")
    assert (zu["filed"], zu["finished"], zu["on_time"], zu["on_time_rate"]) == (3, 2, 1, 0.5)
    api = login(client, personas.county_staff).get(f"{API}/stats?from=2026-03-01&to=2026-03-31").json()
    assert next(r for r in api["rows"] if r["kind"] == "ZU")["label"] == "Urged case"
    assert api["total"]["filed"] >= 3


@pytest.mark.django_db
def test_urging_by_hand_reaches_the_holder_and_is_audited(client, filed, personas):
    answer = login(client, personas.county_staff).post(f"{API}/cases/{filed.number}/urges", {"note": "今天办完"},
                                                       content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["level"] == "manual"
    assert [(r, p["urge"]) for r, p, _b in sms()] == [("13600001234", "manual")]
    assert "今天办完" in sms()[0][2]
    assert AuditEntry.objects.filter(subject=filed.number, action="urge").count() == 1


@pytest.mark.django_db
def test_urging_a_finished_case_is_refused_and_changes_nothing(client, filed, personas):
    transition(actor=personas.town_staff, case=filed, action="close")
    filed.refresh_from_db()
    entries = AuditEntry.objects.filter(subject=filed.number).count()
    answer = login(client, personas.county_staff).post(f"{API}/cases/{filed.number}/urges", {},
                                                       content_type="application/json")
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["field"] == "number"
    assert "already finished" in error["message_en"] and "已办结" in error["message"]
    after = Case.objects.get(pk=filed.pk)
    assert (after.status, after.version, after.updated_at) == (filed.status, filed.version, filed.updated_at)
    assert not CaseUrge.objects.exists() and sms() == []
    assert AuditEntry.objects.filter(subject=filed.number).count() == entries


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [("grid_worker_b", 404), ("citizen", 404), ("town_staff", 403)])
def test_urging_outside_the_scope_or_without_the_role_is_refused(client, filed, personas, persona, expected):
    answer = login(client, getattr(personas, persona)).post(f"{API}/cases/{filed.number}/urges", {},
                                                            content_type="application/json")
    assert answer.status_code == expected
    assert not CaseUrge.objects.exists()


@pytest.mark.django_db
def test_a_leader_flags_a_case_and_the_tick_reminds_until_it_is_finished(client, filed, clock, leader, personas):
    url = f"{API}/cases/{filed.number}/flag"
    body = {"priority": "urgent", "note": "群众反映强烈", "remind_hours": 24}
    assert login(client, personas.county_staff).put(url, body, content_type="application/json").status_code == 403
    answer = login(client, leader).put(url, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    listed = login(client, leader).get(f"{API}/flagged").json()["items"]
    assert [(r["number"], r["priority"], r["kind_label"]) for r in listed] == [(filed.number, "urgent", "Urged case")]
    assert tick()["supervision_reminders"] == 1
    assert tick()["supervision_reminders"] == 0  # not yet 24 hours
    clock.advance(hours=25)
    assert tick()["supervision_reminders"] == 1
    assert CaseSupervision.objects.get(case=filed).reminders == 2
    transition(actor=personas.town_staff, case=filed, action="close")
    clock.advance(hours=25)
    assert tick()["supervision_reminders"] == 0
    assert CaseSupervision.objects.get(case=filed).ended_at is not None
    assert [p.get("supervision") for _r, p, _b in sms() if "supervision" in p] == ["urgent", "urgent"]


@pytest.mark.django_db
def test_lifting_a_flag_and_bad_flag_input(client, filed, leader):
    url = f"{API}/cases/{filed.number}/flag"
    api = login(client, leader)
    assert api.put(url, {"remind_hours": 0}, content_type="application/json").status_code in (400, 422)
    assert api.put(url, {"priority": "whenever"}, content_type="application/json").status_code in (400, 422)
    assert api.delete(url).status_code == 400  # not flagged
    assert api.put(url, {}, content_type="application/json").status_code == 200
    assert api.delete(url).status_code == 204
    assert api.get(f"{API}/flagged").json()["count"] == 0


@pytest.mark.django_db
def test_the_tick_urges_the_cases_handler_rather_than_who_filed_it(filed, clock, leader, town):
    from zhenwu.casework.services.assignment import case_assign

    holder = make_staff("holder", roles=[Role.WINDOW_CLERK], scope=town.town, mobile="13600009999")
    case_assign(actor=leader, case=filed, handler=holder, reason="专人办理")
    clock.now = local(2026, 3, 5, 9)
    assert tick()["case_urges"] == 1
    assert [(r, p["urge"]) for r, p, _b in sms()] == [("13600009999", "yellow")]
