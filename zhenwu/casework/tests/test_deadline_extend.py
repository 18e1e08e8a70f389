"""transition(deadline_extend=n): an approved extension moves a running deadline out by n of its units;
the limit grows, the start stays, the audit chain records it; nothing to extend is a 400."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from zhenwu.casework import deadlines
from zhenwu.casework import process as processes
from zhenwu.casework.kinds import kind_register, kinds_isolated
from zhenwu.casework.models import Case
from zhenwu.casework.process import process_register
from zhenwu.casework.services import audit_verify, case_create, transition
from zhenwu.errors import FieldError
from zhenwu.testing import GRID_A, local

WORKER = ["grid_worker"]
ZX: dict[str, Any] = {
    "key": "zx:task", "label": "Extension test",
    "states": [{"key": "open", "label": "办理", "start": True}, {"key": "done", "label": "办结", "terminal": True}],
    "actions": [{"key": "extend", "label": "延期", "from": ["open"], "to": "open", "roles": WORKER},
                {"key": "close", "label": "办结", "from": ["open"], "to": "done", "roles": WORKER}],
}


@pytest.fixture
def zx_kind() -> Iterator[None]:
    with kinds_isolated():
        kind_register(code="ZX", label="Extension test case", process_prefix="zx:")
        process_register(ZX)
        try:
            yield
        finally:
            processes._PROCESSES.pop(ZX["key"], None)


@pytest.mark.django_db
@pytest.mark.parametrize(("unit", "limit", "extend", "expected_due"), [
    ("hours", 24, 12, local(2025, 9, 30, 10) + dt.timedelta(hours=36)),
    # 3 working days from Tue 30 Sep: the National Day holiday runs to 8 Oct, so 11 Oct (调休 Saturday);
    # 2 more working days: 13 and 14 Oct
    ("working_days", 3, 2, deadlines.end_of_day(dt.date(2025, 10, 14))),
])
def test_an_extension_moves_the_due_time_by_its_units(zx_kind, personas, clock, unit, limit, extend, expected_due):
    from zhenwu.casework.process import DeadlineSpec

    case = case_create(kind="ZX", process="zx:task", area_code=GRID_A, title="延期", actor=personas.grid_worker_a,
                       deadline=DeadlineSpec(unit, limit))
    started = case.deadline_started_at
    clock.advance(hours=2)
    case = transition(actor=personas.grid_worker_a, case=case, action="extend", deadline_extend=extend)
    stored = Case.objects.get(pk=case.pk)
    assert stored.deadline_due_at == expected_due and stored.deadline_limit == limit + extend
    assert stored.deadline_started_at == started
    assert audit_verify()[1] == []


@pytest.mark.django_db
def test_nothing_to_extend_is_refused_and_changes_nothing(zx_kind, personas):
    case = case_create(kind="ZX", process="zx:task", area_code=GRID_A, title="延期", actor=personas.grid_worker_a)
    with pytest.raises(FieldError) as caught:
        transition(actor=personas.grid_worker_a, case=case, action="extend", deadline_extend=2)
    assert caught.value.field == "deadline"
    assert case.version == 1 and Case.objects.get(pk=case.pk).version == 1
