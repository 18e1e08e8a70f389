"""services.0009: tasks filed before their kinds existed get their cases, history replayed by the kernel."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhenwu.casework.models import AuditEntry
from zhenwu.casework.services import audit_verify
from zhenwu.services.models import RectificationTask, SupervisionTask
from zhenwu.services.tests.factories import online_app
from zhenwu.services.tests.test_task_cases import _finish
from zhenwu.testing import local

pytestmark = pytest.mark.migration  # CI runs these on PostgreSQL only (.ci/run)

BEFORE = [("services", "0008_urges_move_into_casework"), ("casework", "0009_supervision_over_cases")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    runner = MigrationExecutor(connection)
    try:
        yield runner
    finally:
        runner = MigrationExecutor(connection)
        runner.migrate(runner.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_tasks_get_gap_free_cases_with_their_history(hall, item, clock, executor):
    app = _finish(hall, online_app(hall))
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    rating = old.get_model("services", "Rating").objects.create(application_id=app.pk, level=1, comment="慢",
                                                                channel="online", rated_by_id=hall.citizen.pk)
    created = local(2025, 9, 30, 15)
    rect = old.get_model("services", "RectificationTask").objects.create(
        rating=rating, application_id=app.pk, area_code=app.case.area_code, status="verified",
        verify_due_at=local(2025, 10, 9, 23, 59), rectify_due_at=local(2025, 10, 28, 23, 59),
        verified_at=local(2025, 10, 9, 9), verified_by_id=hall.clerk.pk, verification="属实")
    sup = old.get_model("services", "SupervisionTask").objects.create(application_id=app.pk,
                                                                      area_code=app.case.area_code)
    old.get_model("services", "RectificationTask").objects.filter(pk=rect.pk).update(created_at=created)
    old.get_model("services", "SupervisionTask").objects.filter(pk=sup.pk).update(created_at=created)

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    task = RectificationTask.objects.select_related("case").get(pk=rect.pk)
    assert task.case.number == f"ZG-{app.case.town_code}-20250930-0001"
    assert (task.case.status, task.case.version, task.case.created_by) == ("verified", 2, hall.citizen)
    assert task.case.deadline_due_at is not None
    assert timezone.localtime(task.case.deadline_due_at).date() == timezone.localtime(task.rectify_due_at).date()
    steps = list(AuditEntry.objects.filter(subject=task.case.number).order_by("seq").values_list("action", "actor"))
    assert steps == [("create", hall.citizen.pk), ("verify", hall.clerk.pk)]
    follow = SupervisionTask.objects.select_related("case").get(pk=sup.pk)
    assert follow.case.number.startswith("SG-") and follow.case.status == "open"
    _count, problems = audit_verify()
    assert problems == []
