"""审管联动: an approved item under supervision reaches the officer of the squad covering the applicant's grid
(valid certificate, no declared conflict, least loaded) and ends with an inspection record or a penalty case;
the hall's task is closed with the ending as its note."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from zhenwu.casework.models import Case
from zhenwu.enforcement.models import ConflictDeclaration, PenaltyCase, Squad, SupervisionFollowUp
from zhenwu.enforcement.services.followups import followup_inspect, officer_for, squad_for
from zhenwu.errors import FieldError, Forbidden
from zhenwu.registry.models import Enterprise
from zhenwu.services.models import SupervisionTask
from zhenwu.services.services import application_accept, application_precheck, application_review
from zhenwu.services.tests.factories import build_hall, make_item, online_app
from zhenwu.testing import GRID_A, GRID_B, VALID_USCC


@pytest.fixture
def hall(town: Any) -> Any:
    return build_hall(town)


@pytest.fixture
def squads(town: Any, team: Any) -> tuple[Squad, Squad]:
    east = Squad.objects.create(name="东山中队", area=town.village_a)
    east.grids.add(town.grid_a)
    west = Squad.objects.create(name="西河中队", area=town.village_b)
    west.grids.add(town.grid_b)
    for officer in (team.a, team.b, team.expired):
        officer.squad = east
        officer.save()
    team.c.squad = west
    team.c.save()
    return east, west


def approved(hall: Any, town: Any) -> SupervisionTask:
    """An enterprise in grid A gets a supervised licence: the hall opens its 审管联动 task."""
    make_item("320000-CJ-0009", name="店招店牌设置许可", department="城建", supervision=True,
              applicant="enterprise", chain=["approval"])
    Enterprise.objects.get_or_create(uscc=VALID_USCC, defaults={
        "name": "测试有限公司", "legal_representative": "张三", "address": "东山路1号", "grid": town.grid_a,
        "area_code": GRID_A})
    app = online_app(hall, code="320000-CJ-0009", actor=hall.enterprise)
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    return SupervisionTask.objects.select_related("case").get(application=app)


def followup(task: SupervisionTask) -> SupervisionFollowUp:
    return SupervisionFollowUp.objects.select_related("officer__user", "squad").get(case=task.case)


def api(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_task_reaches_the_least_loaded_valid_officer_of_the_grids_squad(hall, town, team, squads):
    first = followup(approved(hall, town))
    # a and b are both free: the lower id; the expired certificate and the other squad's c never
    assert (first.squad, first.officer) == (squads[0], team.a)
    assert Case.objects.get(pk=first.case_id).handler == team.a.user  # the kernel's handler: the officer's queue
    assert officer_for(squads[0], GRID_A) == team.b  # a holds one open task now, b none
    followup_inspect(actor=team.a.user, pk=first.pk, problem=False, record="无问题")
    assert officer_for(squads[0], GRID_A) == team.a  # ended: a is free again


def test_the_squad_is_the_one_listing_the_grid_else_the_deepest_area_around_it(town, squads):
    east, west = squads
    assert (squad_for(GRID_A), squad_for(GRID_B)) == (east, west)
    whole = Squad.objects.create(name="镇中队", area=town.town)
    east.grids.clear()
    assert squad_for(GRID_A) == east  # village A contains the grid: deeper than the town's squad
    east.delete()
    assert squad_for(GRID_A) == whole


def test_an_officer_with_a_declared_conflict_is_passed_over(hall, town, team, squads):
    ConflictDeclaration.objects.create(officer=team.a, kind="shareholding", uscc=VALID_USCC, party_name="测试有限公司")
    assert followup(approved(hall, town)).officer == team.b


def test_a_grid_without_a_squad_leaves_the_task_with_nobody_until_a_leader_assigns_it(hall, town, team):
    row = followup(approved(hall, town))
    assert (row.squad, row.officer, Case.objects.get(pk=row.case_id).handler) == (None, None, None)
    response = post(api(team.leader), f"/api/v1/enforcement/supervision-tasks/{row.pk}/assign",
                    {"officer": team.b.pk, "reason": "片区未设中队"})
    assert response.status_code == 200 and response.json()["officer"] == str(team.b)
    assert Case.objects.get(pk=row.case_id).handler == team.b.user
    expired = post(api(team.leader), f"/api/v1/enforcement/supervision-tasks/{row.pk}/assign",
                   {"officer": team.expired.pk})
    assert expired.status_code == 400 and expired.json()["errors"][0]["field"] == "officer"


def test_an_inspection_without_problem_ends_the_task_and_the_halls_task(hall, town, team, squads):
    task = approved(hall, town)
    row = followup(task)
    mine = api(team.a.user).get("/api/v1/enforcement/supervision-tasks").json()
    assert [t["case_number"] for t in mine["items"]] == [task.case.number]
    assert api(team.b.user).get("/api/v1/enforcement/supervision-tasks").json()["count"] == 0  # not b's
    assert api(team.b.user).get(f"/api/v1/enforcement/supervision-tasks/{row.pk}").status_code == 404
    assert api(team.leader).get("/api/v1/enforcement/supervision-tasks").json()["count"] == 1  # the scope's
    empty = post(api(team.a.user), f"/api/v1/enforcement/supervision-tasks/{row.pk}/inspection",
                 {"problem": False, "record": "  "})
    assert empty.status_code == 400 and empty.json()["errors"][0]["field"] == "record"
    done = post(api(team.a.user), f"/api/v1/enforcement/supervision-tasks/{row.pk}/inspection",
                {"problem": False, "record": "现场核查，店招按许可设置"})
    assert done.status_code == 200, done.content
    assert (done.json()["result"], done.json()["status"]) == ("no_problem", "done")
    task.refresh_from_db()
    assert task.status == "done" and task.note.endswith("现场核查，店招按许可设置") and task.done_by == team.a.user
    again = post(api(team.a.user), f"/api/v1/enforcement/supervision-tasks/{row.pk}/inspection",
                 {"problem": True, "record": "再查"})
    assert again.status_code == 400


def test_a_problem_found_is_recorded_as_such(hall, town, team, squads):
    row = followup(approved(hall, town))
    ended = followup_inspect(actor=team.a.user, pk=row.pk, problem=True, record="店招超出许可尺寸，责令7日内整改")
    assert ended.result == "problem" and SupervisionTask.objects.get(case=row.case).status == "done"


def test_only_the_routed_officer_ends_it(hall, town, team, squads):
    row = followup(approved(hall, town))
    with pytest.raises(Forbidden):
        followup_inspect(actor=team.b.user, pk=row.pk, problem=False, record="无问题")
    assert SupervisionTask.objects.get(case=row.case).status == "open"


def test_an_officer_whose_certificate_expired_since_cannot_end_it(hall, town, team, squads):
    row = followup(approved(hall, town))
    team.a.certificate_valid_until = datetime.date(2020, 12, 31)
    team.a.save()
    with pytest.raises(FieldError) as exc:
        followup_inspect(actor=team.a.user, pk=row.pk, problem=False, record="无问题")
    assert exc.value.field == "actor" and not SupervisionFollowUp.objects.get(pk=row.pk).result


def test_a_penalty_case_ends_the_task_with_source_supervision_task(hall, town, team, squads):
    task = approved(hall, town)
    row = followup(task)
    url = f"/api/v1/enforcement/supervision-tasks/{row.pk}/case"
    bad = post(api(team.a.user), url,
               {"power": "NO-SUCH", "facts": "超出许可", "investigators": [team.a.pk, team.b.pk]})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "power"
    assert SupervisionTask.objects.get(pk=task.pk).status == "open" and not PenaltyCase.objects.exists()
    response = post(api(team.a.user), url, {"power": team.power.code, "facts": "店招超出许可尺寸且拒不整改",
                                            "investigators": [team.a.pk, team.b.pk]})
    assert response.status_code == 201, response.content
    penalty = PenaltyCase.objects.select_related("case").get()
    assert (penalty.source, penalty.party_uscc, penalty.case.area_code, penalty.case.status) == (
        "supervision_task", VALID_USCC, GRID_A, "registered")
    assert response.json()["penalty_case"] == penalty.case.number and response.json()["result"] == "case"
    task.refresh_from_db()
    assert task.status == "done" and penalty.case.number in task.note


def test_the_staff_page_lists_my_tasks_with_both_endings(hall, town, team, squads):
    row = followup(approved(hall, town))
    page = api(team.a.user).get("/enforcement/supervision-tasks/").content.decode()
    assert row.case.number in page and f"/enforcement/supervision-tasks/{row.pk}/inspection/" in page
    assert f"/enforcement/supervision-tasks/{row.pk}/case/" in page
    other = api(team.b.user).get("/enforcement/supervision-tasks/").content.decode()
    assert row.case.number not in other
    response = api(team.a.user).post(f"/enforcement/supervision-tasks/{row.pk}/inspection/",
                                     {"problem": "0", "record": "核查无问题"})
    assert response.status_code == 302
    assert SupervisionFollowUp.objects.get(pk=row.pk).result == "no_problem"
    assert api(hall.citizen).get("/enforcement/supervision-tasks/").status_code == 404
    assert api(hall.clerk).get("/enforcement/supervision-tasks/").status_code == 403
