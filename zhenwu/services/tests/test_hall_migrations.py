"""The service hall's data migrations (services 0005 to 0011), checked in one walk down and up the chain.

Each migration had a test of its own that took the whole database back to just before it and forward again to
the leaf (30-40 s each, nearly all of it Django rendering the migration states). Their points form one chain, so
here the database goes back once, to the earliest point (services 0004 / casework 0006), and forward once,
stopping where a step writes or reads the tables as they were then:

    leaf            every step's data filed with today's code (oldest moments first)
    BACK            services 0004 / casework 0006: the paused application's way back is in ``return_state``
    AT_PAUSED_FROM  services 0005 / casework 0007: ... and in ``Case.paused_from``; the hall's handler, stand-in
    AT_HANDLERS     services 0007 / casework 0008: a 催办 record of the hall
    AT_URGES        services 0008 / casework 0009: a rating with its rectification and supervision tasks
    AT_TASK_CASES   services 0010 / casework 0010: a day of the hall's daily summary
    leaf            every step's checks on today's models

Each step keeps its own objects (its own applications and cases, its own item for the summary) and asserts on
those only (but ``audit verify``, which walks every chain), so no step's data can change what another step
sees. Each step's checks run as a subtest named after the test it replaces (the constants below, with what that
test verified), so a failure still says which migration broke.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState
from django.db.models import Q
from django.utils import timezone

from zhenwu.casework.models import AuditEntry, Case, CaseFilingStat, CaseHandoff, CaseUrge, OutboxMessage, StandIn
from zhenwu.casework.services import audit_verify, tick
from zhenwu.services.models import RectificationTask, SupervisionTask
from zhenwu.services.services import application_accept, application_special_pause, application_special_resume
from zhenwu.services.supervision import _from_summary, period_clean
from zhenwu.services.tests.factories import make_item, online_app, window_app
from zhenwu.services.tests.test_task_cases import _finish
from zhenwu.testing import TOWN, Clock, local

pytestmark = pytest.mark.migration  # CI runs these on PostgreSQL only (.ci/run)

# services.0005: a paused application's ``return_state`` moves into the kernel's ``Case.paused_from``.
PAUSED_FROM = "test_a_paused_application_keeps_where_it_returns_across_the_migration"
# services.0006/0007: the hall's handlers and A/B角 stand-ins move into the kernel (Case.handler, casework.StandIn).
HANDLERS = "test_handlers_and_stand_ins_are_copied_into_the_kernel"
# services.0008: the hall's 催办 records (``services.Urge``) move into the kernel's ``casework.CaseUrge``, so a
# case urged before the move is not urged again after it.
URGES = "test_reminders_sent_before_the_move_count_after_it"
# services.0009: tasks filed before their kinds existed get their cases, history replayed by the kernel.
TASK_CASES = "test_existing_tasks_get_gap_free_cases_with_their_history"
# services.0011: 电子监察's daily summary (``services.ApplicationDayStat``) moves into the kernel's
# ``casework.CaseFilingStat``, so the statistics read after the move are the ones kept before it.
DAY_STATS = "test_the_kept_summary_gives_the_same_statistics_after_the_move"

BACK = [("services", "0004_hall_tracking_ratings_aliases"), ("casework", "0006_attachment_upload_records")]
AT_PAUSED_FROM = [("services", "0005_paused_from_moves_into_the_case"), ("casework", "0007_case_paused_from")]
AT_HANDLERS = [("services", "0007_application_handler_and_stand_ins_removed"),
               ("casework", "0008_case_handler_handoffs_and_stand_ins")]
AT_URGES = [("services", "0008_urges_move_into_casework"), ("casework", "0009_supervision_over_cases")]
AT_TASK_CASES = [("services", "0010_task_case_required"), ("casework", "0010_case_filing_stat")]

KEPT = {"cases": 7, "finished": 5, "on_time": 4, "promised_days": 50, "used_raw": 38,
        "r1": 1, "r2": 0, "r3": 0, "r4": 1, "r5": 2}
KEPT_DAY = dt.date(2025, 9, 3)


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    runner = MigrationExecutor(connection)
    try:
        yield runner
    finally:
        runner = MigrationExecutor(connection)
        runner.migrate(runner.loader.graph.leaf_nodes())


def _forward(executor: MigrationExecutor, targets: list[tuple[str, str]], state: ProjectState) -> ProjectState:
    """Apply what leads from ``state`` to ``targets`` and return the state there. The state is carried from one
    stop to the next, so the models are rendered once for the whole forward pass, not once per stop."""
    executor.loader.build_graph()  # what is applied now
    return executor.migrate(targets, state=state)


def _real_time(clock: Clock) -> None:
    """The steps whose former tests ran without the clock (paused application, handlers, summary) run at real time."""
    clock.now = dt.datetime.now(dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_the_hall_migrations_keep_their_data(hall, item, clock, executor, subtests):
    # ---- the leaf: today's data of each step, oldest moments first (the clock of each former test)
    clock.now = local(2025, 9, 30, 10)
    finished = _finish(hall, online_app(hall))  # TASK_CASES: the application its tasks will rate

    clock.now = local(2026, 3, 2, 9)
    urged = window_app(hall)  # URGES
    application_accept(actor=hall.clerk, application=urged)

    _real_time(clock)
    paused = window_app(hall)  # PAUSED_FROM
    application_accept(actor=hall.clerk, application=paused)
    application_special_pause(actor=hall.reviewer, application=paused, reason="现场勘验")
    running = window_app(hall)
    held, free = window_app(hall), window_app(hall)  # HANDLERS
    summarised = make_item("320000-MZ-0002")  # DAY_STATS: an item of its own, so its summary rows are its own
    version = summarised.current_version_id
    assert version is not None

    # ---- back, once, to the earliest point: services 0004 / casework 0006
    state = executor.migrate(BACK)
    old = state.apps
    with subtests.test(PAUSED_FROM):
        assert old.get_model("services", "Application").objects.get(
            pk=paused.pk).return_state == "first_review"  # the way back, copied back
    old.get_model("services", "Application").objects.filter(pk=running.pk).update(
        return_state="submitted")  # stale, on a case not paused

    # ---- services 0005 / casework 0007
    state = _forward(executor, AT_PAUSED_FROM, state)
    old = state.apps
    OldCase = old.get_model("casework", "Case")  # the table as it was then
    with subtests.test(PAUSED_FROM):
        assert OldCase.objects.get(pk=paused.case_id).paused_from == "first_review"
        assert OldCase.objects.get(pk=running.case_id).paused_from == ""
    old.get_model("services", "Application").objects.filter(pk=held.pk).update(handler_id=hall.clerk2.pk)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    stand_in = old.get_model("services", "StandIn").objects.create(
        user_id=hall.clerk2.pk, stand_in_id=hall.clerk.pk, starts_at=start, ends_at=start + dt.timedelta(days=9))

    # ---- services 0007 / casework 0008 (the URGES test's clock ran from here on)
    state = _forward(executor, AT_HANDLERS, state)
    clock.now = local(2026, 3, 2, 9)
    state.apps.get_model("services", "Urge").objects.create(
        application_id=urged.pk, level="yellow", recipient_id=hall.clerk.pk, sent_at=local(2026, 3, 5, 9))

    # ---- services 0008 / casework 0009 (the TASK_CASES test's clock ran from here on)
    state = _forward(executor, AT_URGES, state)
    clock.now = local(2025, 9, 30, 10)
    old = state.apps
    rating = old.get_model("services", "Rating").objects.create(
        application_id=finished.pk, level=1, comment="慢", channel="online", rated_by_id=hall.citizen.pk)
    created = local(2025, 9, 30, 15)
    OldRect, OldSup = old.get_model("services", "RectificationTask"), old.get_model("services", "SupervisionTask")
    rect = OldRect.objects.create(
        rating=rating, application_id=finished.pk, area_code=finished.case.area_code, status="verified",
        verify_due_at=local(2025, 10, 9, 23, 59), rectify_due_at=local(2025, 10, 28, 23, 59),
        verified_at=local(2025, 10, 9, 9), verified_by_id=hall.clerk.pk, verification="属实")
    sup = OldSup.objects.create(application_id=finished.pk, area_code=finished.case.area_code)
    OldRect.objects.filter(pk=rect.pk).update(created_at=created)
    OldSup.objects.filter(pk=sup.pk).update(created_at=created)

    # ---- services 0010 / casework 0010
    state = _forward(executor, AT_TASK_CASES, state)
    _real_time(clock)
    state.apps.get_model("services", "ApplicationDayStat").objects.create(
        town_code=TOWN, day=KEPT_DAY, item_version_id=version, channel="window", **KEPT)

    # ---- forward to the leaf, then each step's checks on today's models, each at its former test's clock
    _forward(executor, executor.loader.graph.leaf_nodes(), state)

    clock.now = local(2025, 9, 30, 10)
    with subtests.test(TASK_CASES):
        task = RectificationTask.objects.select_related("case").get(pk=rect.pk)
        assert task.case.number == f"ZG-{finished.case.town_code}-20250930-0001"
        assert (task.case.status, task.case.version, task.case.created_by) == ("verified", 2, hall.citizen)
        assert task.case.deadline_due_at is not None
        assert timezone.localtime(task.case.deadline_due_at).date() == timezone.localtime(task.rectify_due_at).date()
        steps = list(AuditEntry.objects.filter(subject=task.case.number).order_by("seq")
                     .values_list("action", "actor"))
        assert steps == [("create", hall.citizen.pk), ("verify", hall.clerk.pk)]
        follow = SupervisionTask.objects.select_related("case").get(pk=sup.pk)
        assert follow.case.number.startswith("SG-") and follow.case.status == "open"
        _count, problems = audit_verify()  # every chain in the database: the other steps' cases hold too
        assert problems == []

    _real_time(clock)
    with subtests.test(DAY_STATS):
        rows = list(CaseFilingStat.objects.filter(Q(facet=str(version)) | Q(day=KEPT_DAY))
                    .values_list("kind", "facet", "channel", "day"))  # its own item's rows, its own day's
        assert rows == [("SQ", str(version), "window", KEPT_DAY)]
        figures = _from_summary(TOWN, period_clean(date_from="2025-09-01", date_to="2025-09-30"))
        kept = figures[(version, "window")]
        assert (kept.cases, kept.finished, kept.on_time, kept.promised_days, kept.used_days) == (7, 5, 4, 50, 38)
        assert kept.ratings == {1: 1, 2: 0, 3: 0, 4: 1, 5: 2}

    with subtests.test(HANDLERS):
        assert Case.objects.get(pk=held.case_id).handler_id == hall.clerk2.pk
        assert Case.objects.get(pk=free.case_id).handler_id is None
        assert list(CaseHandoff.objects.filter(case_id__in=[held.case_id, free.case_id])
                    .values_list("case_id", "handler_id")) == [(held.case_id, hall.clerk2.pk)]
        copied = StandIn.objects.get(user_id__in=[hall.clerk.pk, hall.clerk2.pk])  # the one copied, once
        assert (copied.pk, copied.user_id, copied.stand_in_id, copied.starts_at) == (
            stand_in.pk, hall.clerk2.pk, hall.clerk.pk, start)
        assert StandIn.objects.create(user=hall.clerk, stand_in=hall.clerk2, starts_at=start,
                                      ends_at=start).pk != stand_in.pk  # the sequence goes on after the copied rows
        held.refresh_from_db()
        assert held.handler == hall.clerk2  # the hall reads its handler from the kernel

    with subtests.test(PAUSED_FROM):
        paused.case.refresh_from_db()
        application_special_resume(actor=hall.reviewer, application=paused)
        assert Case.objects.get(pk=paused.case_id).status == "first_review"

    with subtests.test(URGES):  # last: the tick looks at every case in the database
        moved = CaseUrge.objects.get(case_id=urged.case_id)
        assert (moved.level, moved.recipient_id, moved.sent_at) == ("yellow", hall.clerk.pk, local(2026, 3, 5, 9))
        clock.now = local(2026, 3, 5, 10)
        tick()  # yellow again: already urged before the move, so nothing is sent
        assert not OutboxMessage.objects.filter(payload__urge="yellow", payload__case=urged.case.number).exists()
        assert CaseUrge.objects.filter(case_id=urged.case_id).count() == 1
