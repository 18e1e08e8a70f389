"""A case kind is a process, a registration and nothing else: the kind ``ZL`` and its timed task kind ``ZR``
live only in this module, and a ZL case goes through its whole life with the kernel alone — a handler and
an A/B角 stand-in, a hearing that pauses the clock and resumes where it came from, automatic 催办 when late,
and a follow-up task opened by an effect of its last step, itself a timed case the supervision lists see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.casework import process as processes
from zhenwu.casework.kinds import kind_register, kinds_isolated
from zhenwu.casework.models import AuditEntry, Case, CasePause, CaseUrge
from zhenwu.casework.process import effect_register, process_register
from zhenwu.casework.services import audit_verify, case_create, tick
from zhenwu.casework.services.assignment import case_assign, stand_in_set
from zhenwu.casework.supervision import overdue_list
from zhenwu.testing import GRID_A, local, make_staff

API = "/api/v1/casework"
WORKER = ["grid_worker"]

INCIDENT: dict[str, Any] = {
    "key": "zl:incident", "label": "Whole-life test kind",
    "states": [{"key": "reported", "label": "上报", "start": True, "limit": {"unit": "working_days", "value": 5}},
               {"key": "handling", "label": "处置"},
               {"key": "hearing", "label": "听证", "pauses_clock": True},
               {"key": "closed", "label": "结案", "terminal": True}],
    "actions": [{"key": "handle", "label": "处置", "from": ["reported"], "to": "handling", "roles": WORKER},
                {"key": "hold_hearing", "label": "听证", "from": ["handling"], "to": "hearing", "roles": WORKER},
                {"key": "close", "label": "结案", "from": ["handling"], "to": "closed", "roles": WORKER,
                 "effects": ["zl_open_follow_up"]}],
}
FOLLOW_UP: dict[str, Any] = {
    "key": "zr:follow-up", "label": "Follow-up test task",
    "states": [{"key": "open", "label": "回访", "start": True, "limit": {"unit": "working_days", "value": 2}},
               {"key": "done", "label": "已回访", "terminal": True}],
    "actions": [{"key": "finish", "label": "回访完成", "from": ["open"], "to": "done", "roles": WORKER}],
}


def _open_follow_up(*, case: Case, **_: Any) -> None:
    case_create(kind="ZR", process=FOLLOW_UP["key"], area_code=case.area_code, title=f"回访 {case.number}",
                actor=None)


@pytest.fixture
def whole_life_kinds() -> Iterator[None]:
    saved = dict(processes._EFFECTS)
    with kinds_isolated():
        kind_register(code="ZL", label="Whole-life case", process_prefix="zl:", page=lambda c: f"/zl/{c.number}/")
        kind_register(code="ZR", label="Follow-up task", process_prefix="zr:", page=lambda c: f"/zr/{c.number}/")
        effect_register("zl_open_follow_up", _open_follow_up, in_transaction=True)
        process_register(INCIDENT)
        process_register(FOLLOW_UP)
        try:
            yield
        finally:
            for key in (INCIDENT["key"], FOLLOW_UP["key"]):
                processes._PROCESSES.pop(key, None)
            processes._EFFECTS.clear()
            processes._EFFECTS.update(saved)


def _move(client: Any, user: Any, case: Case, action: str) -> Case:
    client.force_login(user)
    answer = client.post(f"{API}/cases/{case.number}/transitions", {"action": action},
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_a_kind_defined_here_lives_its_whole_life_through_the_kernel(client, town, personas, clock,
                                                                     whole_life_kinds):
    clock.now = local(2026, 3, 2, 9)  # Monday; 5 working days → due Monday 9 March
    leader = make_staff("leader_zl", roles=[Role.LEADER], scope=town.town)
    holder, cover = personas.grid_worker_a, make_staff("gw_cover", roles=[Role.GRID_WORKER], scope=town.grid_a)
    case = case_create(kind="ZL", process=INCIDENT["key"], area_code=GRID_A, title="占道经营",
                       actor=personas.town_staff)

    # a handler, and a stand-in who acts while the holder is away
    case_assign(actor=leader, case=case, handler=holder, reason="网格内")
    stand_in_set(user=holder, stand_in=cover, starts_at=clock.now - dt.timedelta(hours=1),
                 ends_at=clock.now + dt.timedelta(days=30))
    case = _move(client, cover, case, "handle")
    moved = AuditEntry.objects.get(subject=case.number, action="handle").data
    assert moved is not None and moved["stand_in_for"]["id"] == holder.pk

    # a hearing pauses the clock and `resume` returns to where it came from
    due_before = case.deadline_due_at
    case = _move(client, cover, case, "hold_hearing")
    clock.now = local(2026, 3, 3, 9)
    case = _move(client, cover, case, "resume")
    assert case.status == "handling" and case.paused_from == ""
    assert CasePause.objects.filter(case=case).count() == 1
    assert case.deadline_due_at is not None and due_before is not None and case.deadline_due_at > due_before

    # late: the tick urges it, and the supervision lists show it
    clock.now = local(2026, 3, 16, 9)
    assert tick()["case_urges"] >= 1
    assert CaseUrge.objects.filter(case=case, level="red").exists()
    assert case.number in [c.number for c in overdue_list(user=leader)]

    # its last step opens a follow-up task (an effect), a timed case of its own kind
    case = _move(client, cover, case, "close")
    task = Case.objects.get(kind="ZR")
    assert task.title == f"回访 {case.number}" and task.status == "open"
    assert case.number not in [c.number for c in overdue_list(user=leader)]
    clock.now = local(2026, 3, 20, 9)
    assert [c.number for c in overdue_list(user=leader, kind="ZR")] == [task.number]

    count, problems = audit_verify()
    assert problems == [] and count >= 2
