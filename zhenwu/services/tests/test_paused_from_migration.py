"""services.0005: a paused application's ``return_state`` moves into the kernel's ``Case.paused_from``."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zhenwu.casework.models import Case
from zhenwu.services.services import application_accept, application_special_pause, application_special_resume
from zhenwu.services.tests.factories import window_app

pytestmark = pytest.mark.migration  # CI runs these on PostgreSQL only (.ci/run)

BEFORE = [("services", "0004_hall_tracking_ratings_aliases"), ("casework", "0006_attachment_upload_records")]
AFTER = [("services", "0005_paused_from_moves_into_the_case"), ("casework", "0007_case_paused_from")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    runner = MigrationExecutor(connection)
    try:
        yield runner
    finally:
        runner = MigrationExecutor(connection)
        runner.migrate(runner.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_paused_application_keeps_where_it_returns_across_the_migration(hall, item, executor):
    paused = window_app(hall)
    application_accept(actor=hall.clerk, application=paused)
    application_special_pause(actor=hall.reviewer, application=paused, reason="现场勘验")
    running = window_app(hall)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Application = old.get_model("services", "Application")
    assert Application.objects.get(pk=paused.pk).return_state == "first_review"  # the way back, copied back
    Application.objects.filter(pk=running.pk).update(return_state="submitted")  # stale, on a case not paused

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    OldCase = executor.loader.project_state(AFTER).apps.get_model("casework", "Case")  # the table as it was then
    assert OldCase.objects.get(pk=paused.case_id).paused_from == "first_review"
    assert OldCase.objects.get(pk=running.case_id).paused_from == ""

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    paused.case.refresh_from_db()
    application_special_resume(actor=hall.reviewer, application=paused)
    assert Case.objects.get(pk=paused.case_id).status == "first_review"
