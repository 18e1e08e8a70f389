"""Each step of the loop is its own transaction: called outside one (a management command, a thread, a
view without ATOMIC_REQUESTS) it still locks its incident. On PostgreSQL a row lock outside a transaction
is refused, so a step missing its ``transaction.atomic`` fails here (the other tests run inside one)."""

from __future__ import annotations

import pytest

from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import jpeg, report

pytestmark = pytest.mark.django_db(transaction=True)


def test_self_closure_outside_a_transaction(personas, categories) -> None:
    incident = report(personas.grid_worker_a)  # E0101 暴露垃圾: the grid worker may close it on the spot
    steps.incident_self_close(actor=personas.grid_worker_a, incident=incident, result="已清理",
                              photos=[("after.jpg", jpeg("green"))])
    incident.case.refresh_from_db()
    assert incident.case.status == "closed"


def test_a_power_is_written_outside_a_transaction() -> None:
    from zhenwu.enforcement.models import PenaltyPower
    from zhenwu.enforcement.tests.factories import power

    assert power().code == PenaltyPower.objects.get().code
