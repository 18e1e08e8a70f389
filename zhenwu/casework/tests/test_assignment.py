"""Handler and assignment in the kernel: a kind defined only here gets a handler, is reassigned with a
reason, is covered by a stand-in (A/B角) and shows on "my work"; bad reassignments change nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from zhenwu.accounts.choices import DepartmentKind, Role
from zhenwu.accounts.models import Department
from zhenwu.casework import process as processes
from zhenwu.casework.kinds import kind_register, kinds_isolated
from zhenwu.casework.models import AuditEntry, Case, CaseHandoff, StandIn
from zhenwu.casework.process import process_register
from zhenwu.casework.services import case_create
from zhenwu.casework.services.assignment import case_assign, case_hand_over, stand_in_set
from zhenwu.errors import FieldError, Forbidden, NotFound, render
from zhenwu.testing import GRID_A, make_staff

API = "/api/v1/casework"

PATROL: dict[str, Any] = {
    "key": "za:patrol", "label": "Test kind with a handler",
    "states": [{"key": "reported", "label": "上报", "start": True, "limit": {"unit": "working_days", "value": 3}},
               {"key": "checking", "label": "核查", "limit": {"unit": "working_days", "value": 2}},
               {"key": "closed", "label": "结案", "terminal": True}],
    "actions": [{"key": "check", "label": "核查", "from": ["reported"], "to": "checking", "roles": ["grid_worker"]},
                {"key": "close", "label": "结案", "from": ["checking"], "to": "closed", "roles": ["grid_worker"]}],
}


@pytest.fixture
def patrol_kind() -> Iterator[None]:
    with kinds_isolated():
        kind_register(code="ZA", label="Patrol case", process_prefix="za:", page=lambda case: f"/za/{case.number}/")
        process_register(PATROL)
        try:
            yield
        finally:
            processes._PROCESSES.pop(PATROL["key"], None)


@pytest.fixture
def cast(town, personas, patrol_kind) -> dict[str, Any]:
    leader = make_staff("leader_t", roles=[Role.LEADER], scope=town.town)
    second = make_staff("gw_a2", roles=[Role.GRID_WORKER], scope=town.grid_a, full_name="王二")
    case = case_create(kind="ZA", process="za:patrol", area_code=GRID_A, title="占道经营",
                       actor=personas.town_staff)
    return {"p": personas, "leader": leader, "second": second, "case": case, "town": town}


def my_work(client, user) -> dict[str, Any]:
    client.force_login(user)
    answer = client.get(f"{API}/my-work")
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.mark.django_db
def test_a_test_kind_gets_a_handler_is_reassigned_covered_and_listed_as_my_work(client, cast):
    p, leader, second, case = cast["p"], cast["leader"], cast["second"], cast["case"]
    case_assign(actor=leader, case=case, handler=p.grid_worker_a, reason="网格内")
    body = my_work(client, p.grid_worker_a)
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["number"], row["kind_label"], row["page_url"], row["held_as"], row["status_label"]) == (
        case.number, "Patrol case", f"/za/{case.number}/", "mine", "上报")

    case_assign(actor=leader, case=case, handler=second, reason="轮岗")
    assert my_work(client, p.grid_worker_a)["count"] == 0
    assert [r["number"] for r in my_work(client, second)["items"]] == [case.number]
    entry = AuditEntry.objects.filter(subject=case.number, action="reassign").order_by("-seq")[0]
    assert entry.reason == "轮岗" and entry.to_state == "" and entry.data is not None
    assert entry.data["from"] == p.grid_worker_a.pk and entry.data["to"] == second.pk
    client.force_login(p.town_staff)
    history = client.get(f"{API}/cases/{case.number}/handlers").json()
    assert [(h["handler"], h["reason"]) for h in history] == [(str(p.grid_worker_a), "网格内"), ("王二", "轮岗")]
    assert history[1]["previous"] == str(p.grid_worker_a) and history[1]["assigned_by"] == str(leader)

    # the holder is away: gw_a stands in (A/B角), sees the case as a stand-in and moves it
    now = timezone.now()
    stand_in_set(user=second, stand_in=p.grid_worker_a, starts_at=now - dt.timedelta(hours=1),
                 ends_at=now + dt.timedelta(days=1))
    assert [r["held_as"] for r in my_work(client, p.grid_worker_a)["items"]] == ["stand_in"]
    moved = client.post(f"{API}/cases/{case.number}/transitions", {"action": "check"},
                        content_type="application/json")
    assert moved.status_code == 200, moved.content
    last = AuditEntry.objects.filter(subject=case.number).order_by("-seq")[0]
    assert last.data is not None and last.action == "check"
    assert last.data["stand_in_for"] == {"id": second.pk, "name": "王二"}

    # a grid worker who neither holds the case nor stands in is refused, the case unchanged
    third = make_staff("gw_a3", roles=[Role.GRID_WORKER], scope=cast["town"].grid_a)
    client.force_login(third)
    refused = client.post(f"{API}/cases/{case.number}/transitions", {"action": "close"},
                          content_type="application/json")
    assert refused.status_code == 403 and "stand-in" in refused.json()["errors"][0]["message_en"]
    case.refresh_from_db()
    assert (case.status, case.version) == ("checking", 2)

    # finished cases leave the list
    client.force_login(second)
    assert client.post(f"{API}/cases/{case.number}/transitions", {"action": "close"},
                       content_type="application/json").status_code == 200
    assert my_work(client, second)["count"] == 0


def _unchanged(case: Case, handler_id: int | None) -> None:
    case.refresh_from_db()
    assert case.handler_id == handler_id
    assert not CaseHandoff.objects.filter(case=case).exclude(handler_id=handler_id).exists()
    assert not AuditEntry.objects.filter(subject=case.number, action="reassign").exists()


@pytest.mark.django_db
def test_reassigning_to_someone_outside_the_case_scope_is_refused_in_both_languages(cast):
    p, case = cast["p"], cast["case"]
    with pytest.raises(FieldError) as refused:
        case_assign(actor=cast["leader"], case=case, handler=p.grid_worker_b, reason="x")
    field, message = refused.value.errors[0]
    assert field == "handler"
    assert render(message, "en") == "Choose a staff member whose scope covers the case."
    assert render(message, "zh-hans") == "请选择管辖范围覆盖该办件的工作人员。"
    _unchanged(case, None)


@pytest.mark.django_db
def test_reassigning_to_someone_without_the_steps_role_is_refused(cast):
    p, case = cast["p"], cast["case"]
    with pytest.raises(FieldError) as refused:  # the town clerk's scope covers grid A, but not the role
        case_assign(actor=cast["leader"], case=case, handler=p.town_staff)
    field, message = refused.value.errors[0]
    assert field == "handler"
    assert render(message, "en") == "This staff member does not hold the role the current step needs."
    assert render(message, "zh-hans") == "该工作人员没有当前环节所需的角色。"
    _unchanged(case, None)


@pytest.mark.django_db
def test_who_may_reassign_and_what(cast):
    p, case = cast["p"], cast["case"]
    with pytest.raises(NotFound):  # the case lies outside grid B
        case_assign(actor=p.grid_worker_b, case=case, handler=p.grid_worker_a)
    with pytest.raises(Forbidden):  # in scope, without a reassigning role
        case_assign(actor=p.town_staff, case=case, handler=p.grid_worker_a)
    with pytest.raises(FieldError) as neither:
        case_assign(actor=cast["leader"], case=case)
    assert neither.value.errors[0][0] == "handler"
    _unchanged(case, None)


@pytest.mark.django_db
def test_a_finished_case_is_not_reassigned(cast):
    p, case = cast["p"], cast["case"]
    case_assign(actor=cast["leader"], case=case, handler=p.grid_worker_a)
    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    with pytest.raises(FieldError) as refused:
        case_assign(actor=cast["leader"], case=case, handler=cast["second"])
    assert refused.value.errors[0][0] == "action"
    case.refresh_from_db()
    assert case.handler_id == p.grid_worker_a.pk


@pytest.mark.django_db
def test_a_squad_holds_a_case_and_its_members_see_it(client, cast):
    town = cast["town"]
    squad = Department.objects.create(name="一中队", kind=DepartmentKind.SQUAD, area=town.town)
    member = make_staff("sq1", roles=[Role.GRID_WORKER], scope=town.town, department=squad)
    case_assign(actor=cast["leader"], case=cast["case"], unit=squad, reason="派中队")
    rows = my_work(client, member)["items"]
    assert [(r["number"], r["held_as"], r["handler_unit"]) for r in rows] == [(cast["case"].number, "unit", "一中队")]
    elsewhere = Department.objects.create(name="外村站", kind=DepartmentKind.STATION, area=town.village_b)
    with pytest.raises(FieldError) as refused:
        case_assign(actor=cast["leader"], case=cast["case"], unit=elsewhere)
    assert refused.value.errors[0][0] == "unit"


@pytest.mark.django_db
def test_my_work_is_cut_to_the_scope_even_for_a_stand_in(client, cast):
    p, case = cast["p"], cast["case"]
    case_hand_over(case=case, handler=p.grid_worker_a)
    now = timezone.now()  # a stand-in named outside the rule (e.g. before a move of grid): still no leak
    StandIn.objects.create(user=p.grid_worker_a, stand_in=p.grid_worker_b, starts_at=now - dt.timedelta(hours=1),
                           ends_at=now + dt.timedelta(hours=1))
    assert my_work(client, p.grid_worker_b)["count"] == 0
    client.force_login(p.grid_worker_b)
    assert client.get(f"{API}/cases/{case.number}/handlers").status_code == 404
    assert my_work(client, p.grid_worker_a)["count"] == 1


@pytest.mark.django_db
def test_a_stand_in_must_cover_the_handlers_scope(cast):
    p = cast["p"]
    now = timezone.now()
    with pytest.raises(FieldError) as refused:
        stand_in_set(user=p.grid_worker_a, stand_in=p.grid_worker_b, starts_at=now, ends_at=now + dt.timedelta(days=1))
    assert refused.value.errors[0][0] == "stand_in"
    assert not StandIn.objects.exists()
