"""小事不出网格、难事不出乡镇 by the tick: a dispute still being mediated when its level's limit passes goes one
level up (grid → village → town) by the kernel's escalate step, with no actor, the next level's limit and its
staff told; never past the town or the configured top; once, however many ticks run at the same time."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from zhenwu.casework.models import AuditEntry, Case, OutboxMessage
from zhenwu.casework.services import tick
from zhenwu.grid.models import Dispute
from zhenwu.grid.services import disputes as services
from zhenwu.grid.services.dispute_escalation import disputes_escalate_overdue
from zhenwu.grid.tests.dispute_fixtures import RESPONDENT_ID, _media, mediators
from zhenwu.registry.tests import factories
from zhenwu.testing import GRID_A, Clock, TestTown

__all__ = ["_media", "mediators"]
STEP = "grid_dispute_escalations"


def file_dispute(town: TestTown, actor: Any) -> Dispute:
    applicant = factories.resident(town.grid_a, name="张三")
    return services.dispute_create(actor=actor, grid_code=GRID_A, kind="neighbour", description="围墙边界争执。",
                                   parties=[{"role": "applicant", "resident_id": applicant.pk},
                                            {"role": "respondent", "name": "李四", "id_number": RESPONDENT_ID}])


def fresh(dispute: Dispute) -> Dispute:
    return Dispute.objects.select_related("case").get(pk=dispute.pk)


def escalations(dispute: Dispute) -> list[tuple[Any, ...]]:
    entries = AuditEntry.objects.filter(subject=dispute.case.number, action="escalate").order_by("seq")
    return [(e.actor_id, (e.data or {})["fields"]["from_level"], (e.data or {})["fields"]["to_level"],
             bool((e.data or {})["fields"].get("automatic"))) for e in entries]


@pytest.mark.django_db
def test_an_overdue_dispute_goes_up_a_level_per_limit_and_stops_at_the_town(town, mediators, clock: Clock,
                                                                            settings) -> None:
    settings.GRID_DISPUTE_DAYS = {"grid": 2, "village": 3, "town": 4}
    dispute = file_dispute(town, mediators.grid_worker)  # filed Tue 2025-09-30; 10/1–10/8 are holidays
    assert tick()[STEP] == 0
    clock.advance(days=9)  # Thu 10/9: 1 working day of 2 used
    assert tick()[STEP] == 0
    clock.advance(days=1, hours=14)  # Sat 10/11 00:00 (a working day): the grid's 2 days have passed
    assert tick()[STEP] == 1
    dispute = fresh(dispute)
    assert dispute.level == "village" and dispute.case.status == "mediating"
    assert dispute.case.deadline_limit == 3 and dispute.case.deadline_started_at == clock.now
    told = list(OutboxMessage.objects.values_list("recipient", flat=True))
    assert told == [mediators.village_staff.mobile]  # the village's mediator hears of it
    assert tick()[STEP] == 0  # the village's own limit runs now

    clock.advance(days=5)  # Thu 10/16: the village's 3 working days have passed
    assert tick()[STEP] == 1 and fresh(dispute).level == "town"
    assert OutboxMessage.objects.filter(recipient=mediators.dispatcher.mobile).count() == 1
    clock.advance(days=30)
    assert tick()[STEP] == 0 and fresh(dispute).level == "town"  # 难事不出乡镇: the town settles or refers
    assert escalations(dispute) == [(None, "grid", "village", True), (None, "village", "town", True)]
    entry = AuditEntry.objects.filter(subject=dispute.case.number, action="escalate").first()
    assert entry is not None and entry.reason.startswith("超过网格") and (entry.data or {})["system"] is True


@pytest.mark.django_db
def test_nothing_goes_up_when_switched_off_above_the_top_or_once_settled(town, mediators, clock: Clock,
                                                                       settings) -> None:
    settings.GRID_DISPUTE_DAYS = {"grid": 1, "village": 1, "town": 1}
    waiting, settled = file_dispute(town, mediators.grid_worker), file_dispute(town, mediators.grid_worker)
    services.dispute_settle(actor=mediators.grid_worker, dispute=settled, agreement="双方同意拆除围墙重建。")
    settings.GRID_AUTO_ESCALATE = False
    clock.advance(days=12)
    assert tick()[STEP] == 0
    settings.GRID_AUTO_ESCALATE, settings.GRID_AUTO_ESCALATE_TOP = True, "village"
    assert tick()[STEP] == 1
    clock.advance(days=12)
    assert tick()[STEP] == 0  # the village is the top reached automatically
    assert fresh(waiting).level == "village"
    assert fresh(settled).level == "grid" and fresh(settled).case.status == "settled"  # waits for its 回访
    settings.GRID_AUTO_ESCALATE_TOP = "grid"
    assert disputes_escalate_overdue() == 0


@pytest.mark.django_db
def test_a_person_can_still_take_the_step_the_tick_would_have_taken(town, mediators, clock: Clock,
                                                                    settings) -> None:
    settings.GRID_DISPUTE_DAYS = {"grid": 1, "village": 5, "town": 5}
    dispute = file_dispute(town, mediators.grid_worker)
    clock.advance(days=12)
    services.dispute_escalate(actor=mediators.grid_worker, dispute=dispute, reason="网格调解不成。")
    assert tick()[STEP] == 0  # by hand first: the village's limit runs, nothing more to do
    assert escalations(dispute) == [(mediators.grid_worker.pk, "grid", "village", False)]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_ticks_at_once_escalate_each_overdue_dispute_once(town, mediators, clock: Clock, settings) -> None:
    settings.GRID_DISPUTE_DAYS = {"grid": 1, "village": 5, "town": 5}
    disputes = [file_dispute(town, mediators.grid_worker) for _ in range(6)]
    clock.advance(days=12)
    barrier = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            counts.append(disputes_escalate_overdue())
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sum(counts) == 6
    for dispute in disputes:
        assert fresh(dispute).level == "village"
        assert [e[1:3] for e in escalations(dispute)] == [("grid", "village")]
        case = Case.objects.get(pk=dispute.case_id)
        assert case.version == 2 and case.deadline_limit == 5
    assert OutboxMessage.objects.filter(recipient=mediators.village_staff.mobile).count() == 6
