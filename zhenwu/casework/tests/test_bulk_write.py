"""``cases_bulk_write``: whole histories written as ``case_create`` + ``transition()`` would write them.

The kind ``ZB`` and its process (a deadline, a pause with ``resume``, a required field) live only here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from zhenwu.casework import process as processes
from zhenwu.casework.kinds import kind_register, kinds_isolated
from zhenwu.casework.models import AuditEntry, Case, CaseCounter, CaseHandoff, CasePause
from zhenwu.casework.process import process_register
from zhenwu.casework.services import (
    CaseDraft,
    NoteDraft,
    StepDraft,
    audit_record,
    audit_verify,
    case_create,
    cases_bulk_write,
    transition,
)
from zhenwu.casework.services.assignment import case_hand_over
from zhenwu.errors import FieldError
from zhenwu.testing import GRID_A, TOWN, local

WORKER = ["grid_worker"]
PROCESS: dict[str, Any] = {
    "key": "zb:inspection", "label": "Bulk test kind",
    "states": [{"key": "opened", "label": "立案", "start": True, "limit": {"unit": "working_days", "value": 5}},
               {"key": "checking", "label": "核查"},
               {"key": "testing", "label": "检测", "pauses_clock": True},
               {"key": "closed", "label": "结案", "terminal": True}],
    "actions": [{"key": "check", "label": "核查", "from": ["opened"], "to": "checking", "roles": WORKER},
                {"key": "send_to_test", "label": "送检", "from": ["opened", "checking"], "to": "testing",
                 "roles": WORKER},
                {"key": "close", "label": "结案", "from": ["checking"], "to": "closed", "roles": WORKER,
                 "required": ["opinion"]}],
}
FIELDS = ("subject", "seq", "actor_id", "actor_name", "action", "from_state", "to_state", "reason", "attachments",
          "request_id", "data", "deadline", "created_at", "prev_hash", "hash")
CASE_FIELDS = ("kind", "process", "status", "version", "area_code", "town_code", "title", "created_by_id",
               "created_at", "updated_at", "deadline_unit", "deadline_limit", "deadline_started_at",
               "deadline_due_at", "deadline_stopped_at", "paused_at", "paused_total", "paused_from",
               "deadline_unconfirmed", "handler_id", "handler_unit_id")


@pytest.fixture
def bulk_kind() -> Iterator[None]:
    with kinds_isolated():
        kind_register(code="ZB", label="Bulk test kind", process_prefix="zb:")
        process_register(PROCESS)
        try:
            yield
        finally:
            processes._PROCESSES.pop(PROCESS["key"], None)


def history(worker: Any, start: dt.datetime) -> list[StepDraft]:
    """Checked, sent to testing (the clock pauses), resumed, closed; held by ``worker`` from the check on."""
    return [StepDraft("check", start + dt.timedelta(hours=1), worker, handler=worker),
            StepDraft("send_to_test", start + dt.timedelta(days=1), worker, reason="送检"),
            StepDraft("resume", start + dt.timedelta(days=4), worker),
            StepDraft("close", start + dt.timedelta(days=5), worker, fields={"opinion": "合格"})]


def live(clock: Any, personas: Any, start: dt.datetime) -> Case:
    """The same history through ``case_create`` and ``transition()``, the clock moved to each step."""
    clock.now = start
    case = case_create(kind="ZB", process="zb:inspection", area_code=GRID_A, title="抽检", actor=personas.town_staff)
    for step in history(personas.grid_worker_a, start):
        clock.now = step.at
        transition(actor=personas.grid_worker_a, case=case, action=step.action, reason=step.reason, fields=step.fields)
        if step.handler is not None and step.action == "check":
            case_hand_over(case=case, handler=step.handler, actor=step.actor)
    return Case.objects.get(pk=case.pk)


def draft(personas: Any, start: dt.datetime, **extra: Any) -> CaseDraft:
    return CaseDraft(**({"kind": "ZB", "process": "zb:inspection", "area_code": GRID_A, "title": "抽检",
                         "created_at": start, "actor": personas.town_staff,
                         "steps": history(personas.grid_worker_a, start)} | extra))


@pytest.mark.django_db
def test_bulk_written_cases_equal_the_live_ones_entry_for_entry(clock, personas, bulk_kind):
    start = local(2025, 9, 1, 9)
    made = live(clock, personas, start)
    [bulk] = cases_bulk_write([draft(personas, start)], now=start + dt.timedelta(days=6))
    assert made.number.endswith("-0001") and bulk.number.endswith("-0002")  # one counter, no gap
    bulk = Case.objects.get(pk=bulk.pk)
    for name in CASE_FIELDS:
        assert getattr(bulk, name) == getattr(made, name), name
    assert bulk.paused_total == dt.timedelta(days=3) and bulk.deadline_stopped_at is not None
    chains = [list(AuditEntry.objects.filter(case=c).order_by("seq")) for c in (made, bulk)]
    assert [e.action for e in chains[1]] == ["create", "check", "send_to_test", "resume", "close"]
    assert len(chains[0]) == len(chains[1])
    for a, b in zip(*chains, strict=True):
        for name in FIELDS:
            if name not in ("subject", "prev_hash", "hash"):  # the number is in both
                assert getattr(a, name) == getattr(b, name), (a.seq, name)
    pauses = [list(CasePause.objects.filter(case=c).values_list("state", "started_at", "ended_at", "extension"))
              for c in (made, bulk)]
    assert pauses[0] == pauses[1] and len(pauses[1]) == 1
    handoffs = [list(CaseHandoff.objects.filter(case=c).values_list("handler", "previous", "assigned_by"))
                for c in (made, bulk)]
    assert handoffs[0] == handoffs[1] and len(handoffs[1]) == 1  # (the live row's time is the model default's)
    assert CaseHandoff.objects.get(case=bulk).at == start + dt.timedelta(hours=1)
    assert audit_verify()[1] == []


@pytest.mark.django_db
def test_numbers_are_gap_free_and_a_later_transition_continues_the_chain(clock, personas, bulk_kind):
    day = local(2025, 9, 2, 9)
    open_steps = [StepDraft("check", day + dt.timedelta(hours=1), personas.grid_worker_a)]
    drafts = [draft(personas, day + dt.timedelta(minutes=i), steps=open_steps if i % 2 else []) for i in range(5)]
    drafts.append(draft(personas, day + dt.timedelta(days=1)))
    cases = cases_bulk_write(drafts, now=day + dt.timedelta(days=1, hours=1))
    assert [c.number for c in cases[:5]] == [f"ZB-{TOWN}-20250902-{i:04d}" for i in range(1, 6)]
    assert cases[5].number == f"ZB-{TOWN}-20250903-0001"
    counters = dict(CaseCounter.objects.filter(kind="ZB").values_list("day", "last"))
    assert counters == {dt.date(2025, 9, 2): 5, dt.date(2025, 9, 3): 1}
    assert cases[1].status == "checking" and cases[1].light == "green" and cases[1].version == 2
    clock.now = day + dt.timedelta(days=1, hours=2)
    live_case = case_create(kind="ZB", process="zb:inspection", area_code=GRID_A, title="抽检",
                            actor=personas.town_staff)
    assert live_case.number == f"ZB-{TOWN}-20250903-0002"  # live numbering continues after the bulk ones
    case = Case.objects.get(pk=cases[1].pk)
    transition(actor=personas.grid_worker_a, case=case, action="close", fields={"opinion": "合格"})
    assert AuditEntry.objects.filter(case=case).count() == 3
    assert audit_verify()[1] == []


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "field"), [
    ({"kind": "ZQ"}, "drafts.1.kind"),
    ({"process": "zb:nothing"}, "drafts.1.process"),
    ({"steps": [StepDraft("close", local(2025, 9, 3, 10), None, fields={"opinion": "x"})]}, "drafts.1.steps.0.action"),
    ({"steps": [StepDraft("check", local(2025, 9, 3, 10)), StepDraft("close", local(2025, 9, 3, 11))]},
     "drafts.1.steps.1.fields.opinion"),
    ({"steps": [StepDraft("resume", local(2025, 9, 3, 10))]}, "drafts.1.steps.0.action"),
])
def test_bad_drafts_are_refused_by_field_and_nothing_is_written(personas, bulk_kind, change, field):
    good = draft(personas, local(2025, 9, 3, 9), steps=[])
    with pytest.raises(FieldError) as caught:
        cases_bulk_write([good, draft(personas, local(2025, 9, 3, 9), **change)])
    assert caught.value.field == field
    assert not Case.objects.exists() and not CaseCounter.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_process_of_another_kind_is_refused(personas, bulk_kind):
    kind_register(code="ZC", label="Another kind", process_prefix="zc:")
    with pytest.raises(FieldError) as caught:
        cases_bulk_write([draft(personas, local(2025, 9, 3, 9), kind="ZC", steps=[])])
    assert caught.value.field == "drafts.0.process"


@pytest.mark.django_db
def test_a_note_step_attachments_and_an_approved_extension_equal_the_live_ones(clock, personas, bulk_kind):
    """``NoteDraft`` is what ``audit_record`` writes for a case; ``attachments`` and ``deadline_extend`` are
    ``transition()``'s own arguments (the grid's photos and 延期)."""
    start, worker, sha = local(2025, 9, 3, 9), personas.grid_worker_a, "ab" * 32
    clock.now = start
    made = case_create(kind="ZB", process="zb:inspection", area_code=GRID_A, title="抽检", actor=personas.town_staff)
    clock.now = start + dt.timedelta(hours=2)
    audit_record(subject=made.number, case=made, actor=worker, action="escalate", reason="超期",
                 data={"from": "grid", "to": "village"}, attachments=[sha])
    clock.now = start + dt.timedelta(hours=3)
    transition(actor=worker, case=made, action="check", attachments=[sha], deadline_extend=2)
    steps = [NoteDraft("escalate", start + dt.timedelta(hours=2), worker, reason="超期",
                       data={"from": "grid", "to": "village"}, attachments=[sha]),
             StepDraft("check", start + dt.timedelta(hours=3), worker, attachments=[sha], deadline_extend=2)]
    [bulk] = cases_bulk_write([draft(personas, start, steps=steps)], now=start + dt.timedelta(hours=4))
    made, bulk = Case.objects.get(pk=made.pk), Case.objects.get(pk=bulk.pk)
    assert bulk.deadline_limit == made.deadline_limit == 7 and bulk.deadline_due_at == made.deadline_due_at
    chains = [list(AuditEntry.objects.filter(case=c).order_by("seq")) for c in (made, bulk)]
    assert [e.action for e in chains[1]] == ["create", "escalate", "check"]
    for a, b in zip(*chains, strict=True):
        for name in FIELDS:
            if name not in ("subject", "prev_hash", "hash"):
                assert getattr(a, name) == getattr(b, name), (a.seq, name)
    assert audit_verify()[1] == []
