"""Pauses return where they came from: one kernel ``resume``, ``Case.paused_from``, no per-state actions.

The kind ``ZP`` and its process live only in this module: two pausing states (听证, 公告) entered from two
different states each, and nothing outside this file knows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps

from zhenwu.casework import kinds
from zhenwu.casework import process as processes
from zhenwu.casework.kinds import kind_register, kinds_isolated
from zhenwu.casework.models import AuditEntry, Case, CasePause, ProcessDefinitionRecord
from zhenwu.casework.process import RESUME, ProcessDefinitionError, action_label, process_load, process_register
from zhenwu.casework.services import audit_verify, case_create, transition
from zhenwu.errors import FieldError, Forbidden, render
from zhenwu.testing import GRID_A

API = "/api/v1/casework"
WORKER = ["grid_worker"]

PENALTY: dict[str, Any] = {
    "key": "zp:penalty", "label": "Test kind with two pauses",
    "states": [{"key": "opened", "label": "立案", "start": True, "limit": {"unit": "working_days", "value": 10}},
               {"key": "investigating", "label": "调查"},
               {"key": "hearing", "label": "听证", "pauses_clock": True,
                "resume": {"label": "听证结束", "roles": ["reviewer"]}},
               {"key": "notice", "label": "公告", "pauses_clock": True},
               {"key": "decided", "label": "决定", "terminal": True}],
    "actions": [{"key": "investigate", "label": "调查", "from": ["opened"], "to": "investigating", "roles": WORKER},
                {"key": "hold_hearing", "label": "听证", "from": ["opened", "investigating"], "to": "hearing",
                 "roles": WORKER},
                {"key": "publish", "label": "公告", "from": ["opened", "investigating", "hearing"], "to": "notice",
                 "roles": WORKER},
                {"key": "decide", "label": "决定", "from": ["investigating"], "to": "decided", "roles": WORKER}],
}


@pytest.fixture
def penalty_kind() -> Iterator[kinds.CaseKind]:
    with kinds_isolated():
        kind = kind_register(code="ZP", label="Penalty test case", process_prefix="zp:")
        process_register(PENALTY)
        try:
            yield kind
        finally:
            processes._PROCESSES.pop(PENALTY["key"], None)


@pytest.fixture
def open_case(personas: Any, penalty_kind: kinds.CaseKind) -> Case:
    return case_create(kind="ZP", process="zp:penalty", area_code=GRID_A, title="占道经营",
                       actor=personas.town_staff)


def _move(personas: Any, case: Case, action: str) -> Case:
    actor = personas.town_staff if action == RESUME and case.status == "hearing" else personas.grid_worker_a
    return transition(actor=actor, case=case, action=action)


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "pause"), [("", "hearing"), ("investigate", "hearing"),
                                              ("", "notice"), ("investigate", "notice")])
def test_each_pause_returns_to_the_state_it_was_entered_from(personas, open_case, first, pause):
    case = _move(personas, open_case, first) if first else open_case
    origin = case.status
    case = _move(personas, case, "hold_hearing" if pause == "hearing" else "publish")
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.paused_from) == (pause, origin) and stored.paused_at is not None
    case = _move(personas, case, RESUME)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.paused_from, stored.paused_at) == (origin, "", None)
    last = AuditEntry.objects.filter(subject=case.number).order_by("-seq")[0]
    assert (last.action, last.from_state, last.to_state) == (RESUME, pause, origin)
    assert CasePause.objects.filter(case=case, state=pause).count() == 1
    assert audit_verify()[1] == []


@pytest.mark.django_db
def test_a_pause_within_a_pause_returns_to_where_the_first_began(personas, open_case):
    case = _move(personas, _move(personas, open_case, "investigate"), "hold_hearing")
    case = _move(personas, case, "publish")  # 听证 → 公告: the clock stays paused
    assert Case.objects.get(pk=case.pk).paused_from == "investigating"
    case = _move(personas, case, RESUME)
    assert Case.objects.get(pk=case.pk).status == "investigating"


@pytest.mark.django_db
def test_the_generic_endpoint_resumes_and_names_the_pause_in_its_label(client, personas, open_case):
    client.force_login(personas.grid_worker_a)
    url = f"{API}/cases/{open_case.number}/transitions"
    for action in ("investigate", "publish", RESUME):
        answer = client.post(url, {"action": action}, content_type="application/json")
        assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "investigating"
    assert action_label("zp:penalty", RESUME, "notice") == "恢复"
    assert action_label("zp:penalty", RESUME, "hearing") == "听证结束"


@pytest.mark.django_db
def test_a_pause_says_who_may_resume_it(personas, open_case):
    case = _move(personas, open_case, "hold_hearing")
    with pytest.raises(Forbidden):  # 听证 names reviewers; the grid worker who opened it may not end it
        transition(actor=personas.grid_worker_a, case=case, action=RESUME)
    assert Case.objects.get(pk=case.pk).status == "hearing"


@pytest.mark.django_db
def test_resuming_a_case_that_is_not_paused_is_refused_and_changes_nothing(client, personas, open_case):
    before = Case.objects.values().get(pk=open_case.pk)
    entries = AuditEntry.objects.filter(subject=open_case.number).count()
    with pytest.raises(FieldError) as err:
        transition(actor=personas.grid_worker_a, case=open_case, action=RESUME)
    assert err.value.status == 400
    client.force_login(personas.grid_worker_a)
    answer = client.post(f"{API}/cases/{open_case.number}/transitions", {"action": RESUME},
                         content_type="application/json")
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["field"] == "action" and "not paused" in error["message_en"] and "立案" in error["message_en"]
    assert "暂停" in error["message"]
    assert Case.objects.values().get(pk=open_case.pk) == before
    assert AuditEntry.objects.filter(subject=open_case.number).count() == entries


@pytest.mark.django_db
def test_a_case_paused_before_paused_from_existed_finds_its_way_back_in_its_chain(personas, open_case):
    case = _move(personas, _move(personas, open_case, "investigate"), "hold_hearing")
    case = _move(personas, case, "publish")
    Case.objects.filter(pk=case.pk).update(paused_from="")  # as migrated: the column is new and empty
    case.refresh_from_db()
    case = _move(personas, case, RESUME)
    assert Case.objects.get(pk=case.pk).status == "investigating"


def _problems(definition: dict[str, Any]) -> str:
    with pytest.raises(ProcessDefinitionError) as err:
        process_load(definition)
    return "; ".join(render(problem, "en") for problem in err.value.problems)


def test_a_process_may_not_declare_its_own_resume_or_pause_at_the_start():
    own = {**PENALTY, "key": "penalty", "actions": [
        *PENALTY["actions"], {"key": "resume", "from": ["notice"], "to": "opened", "roles": WORKER}]}
    assert "reserved" in _problems(own)
    states = [{**s, "start": s["key"] == "hearing"} for s in PENALTY["states"]]
    assert "cannot pause the clock" in _problems({**PENALTY, "key": "penalty", "states": states})
    states = [{**s, "resume": {"label": "x"}} if s["key"] == "opened" else s for s in PENALTY["states"]]
    assert "only a state that pauses" in _problems({**PENALTY, "key": "penalty", "states": states})


@pytest.mark.django_db
def test_stored_definitions_with_their_own_resume_are_rewritten_by_the_migration():
    definition = {**PENALTY, "key": "stored", "actions": [
        *PENALTY["actions"], {"key": "resume", "label": "公告期满", "from": ["notice"], "to": "opened",
                              "roles": ["reviewer"]}]}
    record = ProcessDefinitionRecord.objects.create(key="stored", definition=definition)
    migration = import_module("zhenwu.casework.migrations.0007_case_paused_from")
    migration.move_resume_actions_into_states(django_apps, None)
    proc = process_load(ProcessDefinitionRecord.objects.get(pk=record.pk).definition)
    assert RESUME not in proc.actions
    assert (proc.resumes["notice"].label, proc.resumes["notice"].roles) == ("公告期满", ("reviewer",))


@pytest.mark.django_db
def test_a_pause_extends_the_deadline_by_its_length_whatever_state_it_returns_to(clock, personas, open_case):
    case = _move(personas, open_case, "investigate")
    due = Case.objects.get(pk=case.pk).deadline_due_at
    case = _move(personas, case, "publish")
    clock.advance(days=9)  # Tuesday 9/30 → Thursday 10/9, across the National Day holidays
    case = _move(personas, case, RESUME)
    stored = Case.objects.get(pk=case.pk)
    extension = CasePause.objects.get(case=case, state="notice").extension
    assert due is not None and stored.deadline_due_at is not None
    assert stored.status == "investigating" and extension > 0 and stored.deadline_due_at > due
    assert stored.paused_total == dt.timedelta(days=9)
