"""services.0011: 电子监察's daily summary (``services.ApplicationDayStat``) moves into the kernel's
``casework.CaseFilingStat``, so the statistics read after the move are the ones kept before it."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from zhenwu.casework.models import CaseFilingStat
from zhenwu.services.supervision import _from_summary, period_clean
from zhenwu.testing import TOWN

pytestmark = pytest.mark.migration  # CI runs these on PostgreSQL only (.ci/run)

BEFORE = [("services", "0010_task_case_required"), ("casework", "0010_case_filing_stat")]
AFTER = [("services", "0011_day_stats_move_into_casework")]
KEPT = {"cases": 7, "finished": 5, "on_time": 4, "promised_days": 50, "used_raw": 38,
        "r1": 1, "r2": 0, "r3": 0, "r4": 1, "r5": 2}


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    runner = MigrationExecutor(connection)
    try:
        yield runner
    finally:
        runner = MigrationExecutor(connection)
        runner.migrate(runner.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_kept_summary_gives_the_same_statistics_after_the_move(item, town, executor):
    version = item.current_version_id
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("services", "ApplicationDayStat").objects.create(
        town_code=TOWN, day=dt.date(2025, 9, 3), item_version_id=version, channel="window", **KEPT)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    row = CaseFilingStat.objects.get()
    assert (row.kind, row.facet, row.channel, row.day) == ("SQ", str(version), "window", dt.date(2025, 9, 3))
    figures = _from_summary(TOWN, period_clean(date_from="2025-09-01", date_to="2025-09-30"))
    kept = figures[(version, "window")]
    assert (kept.cases, kept.finished, kept.on_time, kept.promised_days, kept.used_days) == (7, 5, 4, 50, 38)
    assert kept.ratings == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}
