"""services.0006/0007: the hall's handlers and A/B角 stand-ins move into the kernel (Case.handler, casework.StandIn)."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from zhenwu.casework.models import Case, CaseHandoff, StandIn
from zhenwu.services.tests.factories import window_app

pytestmark = pytest.mark.migration  # CI runs these on PostgreSQL only (.ci/run)

BEFORE = [("services", "0005_paused_from_moves_into_the_case"), ("casework", "0007_case_paused_from")]
AFTER = [("services", "0007_application_handler_and_stand_ins_removed")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    runner = MigrationExecutor(connection)
    try:
        yield runner
    finally:
        runner = MigrationExecutor(connection)
        runner.migrate(runner.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_handlers_and_stand_ins_are_copied_into_the_kernel(hall, item, executor):
    held, free = window_app(hall), window_app(hall)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("services", "Application").objects.filter(pk=held.pk).update(handler_id=hall.clerk2.pk)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    row = old.get_model("services", "StandIn").objects.create(
        user_id=hall.clerk2.pk, stand_in_id=hall.clerk.pk, starts_at=start, ends_at=start + dt.timedelta(days=9))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Case.objects.get(pk=held.case_id).handler_id == hall.clerk2.pk
    assert Case.objects.get(pk=free.case_id).handler_id is None
    assert list(CaseHandoff.objects.values_list("case_id", "handler_id")) == [(held.case_id, hall.clerk2.pk)]
    copied = StandIn.objects.get()
    assert (copied.pk, copied.user_id, copied.stand_in_id, copied.starts_at) == (
        row.pk, hall.clerk2.pk, hall.clerk.pk, start)
    assert StandIn.objects.create(user=hall.clerk, stand_in=hall.clerk2, starts_at=start,
                                  ends_at=start).pk != row.pk  # the sequence goes on after the copied rows
    held.refresh_from_db()
    assert held.handler == hall.clerk2  # the hall reads its handler from the kernel
