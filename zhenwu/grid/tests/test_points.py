"""积分: each rule counted once per source, deductions, a recomputation that changes nothing, the tick."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenwu.grid.models import PointEntry
from zhenwu.grid.services.points import (
    points_for_incidents,
    points_for_patrols,
    points_for_visits,
    points_recompute,
    points_tick,
)
from zhenwu.grid.services.steps import incident_reject
from zhenwu.grid.services.visits import VisitInput, visit_record
from zhenwu.grid.tests.factories import report
from zhenwu.grid.tests.scoring_world import OCTOBER, WORKER_A_POINTS, World, build
from zhenwu.registry.tests import factories as registry
from zhenwu.testing import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(town, personas, staff, categories, clock) -> World:
    return build(town, personas, staff, clock)


def _ledger(worker) -> list[tuple[str, str, int]]:
    return sorted((e.source_id, e.rule, e.points) for e in PointEntry.objects.filter(worker=worker))


def test_the_month_gives_each_rule_once_per_source(world, personas, clock) -> None:
    points_recompute(month=OCTOBER)
    n1, n2, n3, n4 = (w.case.number for w in (world.sj1, world.sj2, world.sj3, world.sj4))
    assert _ledger(personas.grid_worker_a) == sorted([
        (n1, "valid_report", 2), (n1, "verified_closure", 3), (n1, "on_time_verification", 1),
        (n2, "invalid_report", -2),
        (n3, "valid_report", 2), (n3, "self_closure", 1),
        (n4, "valid_report", 2), (n4, "overdue_verification", -2), (n4, "overdue_verification", -2),
        (str(world.visit.pk), "visit", 1), (str(world.patrol.pk), "patrol_hour", 2),
    ])
    assert sum(e.points for e in PointEntry.objects.filter(worker=personas.grid_worker_a)) == WORKER_A_POINTS
    assert PointEntry.objects.exclude(worker=personas.grid_worker_a).count() == 0  # the citizen earns nothing
    assert set(PointEntry.objects.values_list("month", flat=True)) == {OCTOBER}


def test_recomputing_changes_nothing_and_the_incremental_path_agrees(world, personas) -> None:
    assert points_recompute(month=OCTOBER) == 11
    before = _ledger(personas.grid_worker_a)
    ids = list(PointEntry.objects.values_list("pk", flat=True))
    assert points_recompute(month=OCTOBER) == 0
    incidents = [w.case_id for w in (world.sj1, world.sj2, world.sj3, world.sj4, world.sj5)]
    assert points_for_incidents(case_ids=incidents) == 0
    assert points_for_visits(visit_ids=[world.visit.pk]) == 0 and points_for_patrols(patrol_ids=[world.patrol.pk]) == 0
    assert _ledger(personas.grid_worker_a) == before and list(PointEntry.objects.values_list("pk", flat=True)) == ids


def test_the_incremental_path_alone_builds_the_same_ledger(world, personas) -> None:
    incidents = [w.case_id for w in (world.sj1, world.sj2, world.sj3, world.sj4, world.sj5)]
    points_for_incidents(case_ids=incidents)
    points_for_visits(visit_ids=[world.visit.pk])
    points_for_patrols(patrol_ids=[world.patrol.pk])
    incremental = _ledger(personas.grid_worker_a)
    PointEntry.objects.all().delete()
    points_recompute(month=OCTOBER)
    assert _ledger(personas.grid_worker_a) == incremental


def test_a_rule_changed_in_the_settings_is_applied_by_the_next_recompute(world, personas, settings) -> None:
    points_recompute(month=OCTOBER)
    settings.GRID_POINTS = {**settings.GRID_POINTS, "invalid_report": -5, "visit": 0}
    assert points_recompute(month=OCTOBER) == 2  # one line updated, one dropped (a rule worth nothing)
    rules = dict(PointEntry.objects.filter(worker=personas.grid_worker_a, source_id=world.sj2.case.number)
                 .values_list("rule", "points"))
    assert rules == {"invalid_report": -5} and not PointEntry.objects.filter(rule="visit").exists()


def test_an_unanswered_round_is_not_deducted_before_it_falls_due(world, personas, clock) -> None:
    clock.now = world.sj4.case.updated_at + dt.timedelta(hours=1)  # an hour after the second handling
    points_for_incidents(case_ids=[world.sj4.case_id], now=clock.now)
    late = PointEntry.objects.filter(source_id=world.sj4.case.number, rule="overdue_verification")
    assert late.count() == 1  # the first round's late answer only
    clock.now += dt.timedelta(days=2)
    points_for_incidents(case_ids=[world.sj4.case_id], now=clock.now)
    assert late.count() == 2 and {e.worker_id for e in late} == {personas.grid_worker_a.pk}


def test_other_months_are_left_alone(world, personas) -> None:
    points_recompute(month=OCTOBER)
    assert points_recompute(month=dt.date(2025, 9, 1)) == 0 and points_recompute(month=dt.date(2025, 11, 1)) == 0
    assert PointEntry.objects.count() == 11


def test_the_tick_recomputes_once_a_day_and_then_only_what_moved(world, personas, clock) -> None:
    assert points_tick(now=local(2025, 10, 13, 12, 0)) == 11  # the first run: the whole month
    assert points_tick(now=local(2025, 10, 13, 12, 5)) == 0
    PointEntry.objects.filter(rule="visit").delete()  # lost: the next day's full run puts it back
    assert points_tick(now=local(2025, 10, 13, 12, 10)) == 0
    assert points_tick(now=local(2025, 10, 14, 0, 5)) == 1
    assert PointEntry.objects.filter(rule="visit").count() == 1


def test_the_tick_between_full_runs_picks_up_new_steps_and_visits(world, personas, town, staff, clock) -> None:
    points_tick(now=local(2025, 10, 13, 12, 0))
    clock.now = local(2025, 10, 13, 12, 30)
    late = incident_reject(actor=staff.dispatcher, incident=report(personas.grid_worker_a), reason="不属实")
    home = registry.household(town.grid_a)
    visit_record(actor=personas.grid_worker_a, data=VisitInput(target_kind="household", target_id=home.pk,
                                                               record="回访"))
    assert points_tick(now=local(2025, 10, 13, 12, 35)) == 2  # the invalid report and the visit
    assert PointEntry.objects.filter(source_id=late.case.number, rule="invalid_report").count() == 1
    assert points_tick(now=local(2025, 10, 13, 12, 40)) == 0


def test_the_command_recomputes_a_month(world) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("grid_points", month="2025-10", stdout=out)
    assert out.getvalue().strip() == "month=2025-10 changed=11"
    with pytest.raises(CommandError):
        call_command("grid_points", month="2025-13")
    out = StringIO()
    call_command("grid_points", month="2025-11", last=3, stdout=out)
    assert out.getvalue().split() == ["month=2025-11", "changed=0", "month=2025-10", "changed=0",
                                      "month=2025-09", "changed=0"]
