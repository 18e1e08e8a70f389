"""services.0008: the hall's 催办 records (``services.Urge``) move into the kernel's ``casework.CaseUrge``,
so a case urged before the move is not urged again after it."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zhenwu.casework.models import CaseUrge, OutboxMessage
from zhenwu.casework.services import tick
from zhenwu.services.services import application_accept
from zhenwu.services.tests.factories import window_app
from zhenwu.testing import local

pytestmark = pytest.mark.migration  # CI runs these on PostgreSQL only (.ci/run)

BEFORE = [("services", "0007_application_handler_and_stand_ins_removed"),
          ("casework", "0008_case_handler_handoffs_and_stand_ins")]
AFTER = [("services", "0008_urges_move_into_casework")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    runner = MigrationExecutor(connection)
    try:
        yield runner
    finally:
        runner = MigrationExecutor(connection)
        runner.migrate(runner.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_reminders_sent_before_the_move_count_after_it(hall, item, clock, executor):
    clock.now = local(2026, 3, 2, 9)
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("services", "Urge").objects.create(application_id=app.pk, level="yellow",
                                                     recipient_id=hall.clerk.pk, sent_at=local(2026, 3, 5, 9))

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = CaseUrge.objects.get(case_id=app.case_id)
    assert (moved.level, moved.recipient_id, moved.sent_at) == ("yellow", hall.clerk.pk, local(2026, 3, 5, 9))
    clock.now = local(2026, 3, 5, 10)
    tick()  # yellow again: already urged before the move, so nothing is sent
    assert not OutboxMessage.objects.filter(payload__urge="yellow").exists()
    assert CaseUrge.objects.filter(case_id=app.case_id).count() == 1
