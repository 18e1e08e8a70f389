"""双随机一公开 end to end: plan → announcement → draw (verifiable) → tasks → results → publication."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from zhenwu.enforcement.choices import CaseSource, OriginDepartment
from zhenwu.enforcement.guards import add_working_days
from zhenwu.enforcement.models import ConflictDeclaration, InspectionItem
from zhenwu.enforcement.models_inspection import InspectionPlan, InspectionTarget, PlanStatus
from zhenwu.enforcement.services import inspections as svc
from zhenwu.errors import FieldError
from zhenwu.registry.tests import factories as rf
from zhenwu.testing import GRID_A, GRID_B, TOWN

SCRIPT = Path(__file__).resolve().parents[3] / "docs" / "verify_draw.py"
API = "/api/v1/enforcement/inspections"
DRAW_DAY = datetime.date(2025, 10, 9)  # the clock starts on 2025-09-30


@pytest.fixture
def firms(town):
    rows = []
    for i in range(60):
        grid = town.grid_a if i % 2 else town.grid_b
        rows.append(rf.enterprise(grid, name=f"丹湖{i:02d}号商店", industry="零售" if i % 3 else "餐饮",
                                  risk_level="high" if i % 5 == 0 else "low", abnormal_listed=i % 10 == 0,
                                  complaint_count=1 if i % 12 == 0 else 0))
    return rows


@pytest.fixture
def item(team):
    return InspectionItem.objects.create(code="JC-CG-01", name="门前三包落实情况", department=OriginDepartment.URBAN,
                                         law="城市市容和环境卫生管理条例", article="第十条", power=team.power)


def leader(team) -> Client:
    client = Client()
    client.force_login(team.leader)
    return client


def create(team, item, **extra) -> dict:
    body = {"title": "2025年第四季度门前三包双随机抽查", "area_code": TOWN, "items": [item.code], "ratio": "10",
            "flagged_ratio": "30", **extra}
    return leader(team).post(f"{API}/plans", body, content_type="application/json").json()


def announce(team, number: str, day: datetime.date = DRAW_DAY) -> dict:
    body = {"draw_date": day.isoformat(), "beacon_source": "中国福利彩票双色球 2025年10月9日开奖号码"}
    return leader(team).post(f"{API}/plans/{number}/announce", body, content_type="application/json").json()


def drawn(team, item, clock) -> InspectionPlan:
    number = create(team, item)["number"]
    announce(team, number)
    clock.advance(days=9)
    response = leader(team).post(f"{API}/plans/{number}/draw", {"beacon_value": "02 09 14 21 27 33 + 12"},
                                 content_type="application/json")
    assert response.status_code == 200, response.json()
    return InspectionPlan.objects.get(number=number)


def test_a_ratio_under_the_minimum_is_refused_on_ratio_in_both_languages(team, item, firms):
    response = leader(team).post(f"{API}/plans", {"title": "t", "area_code": TOWN, "items": [item.code],
                                                  "ratio": "2.5"}, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "ratio" and "3" in error["message"] and "3" in error["message_en"]
    assert error["message"] != error["message_en"] and not InspectionPlan.objects.exists()


def test_fewer_than_two_inspectors_is_a_clear_refusal(team, item, firms):
    for o in (team.b, team.c):
        o.certificate_valid_until = datetime.date(2020, 1, 1)
        o.save()
    response = leader(team).post(f"{API}/plans", {"title": "t", "area_code": TOWN, "items": [item.code],
                                                  "ratio": "5"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "inspectors"


def test_only_leaders_make_plans(team, item, firms):
    client = Client()
    client.force_login(team.a.user)
    response = client.post(f"{API}/plans", {"title": "t", "area_code": TOWN, "items": [item.code], "ratio": "5"},
                           content_type="application/json")
    assert response.status_code == 403


def test_the_draw_is_refused_before_the_announced_date_and_without_a_public_value(team, item, firms, clock):
    number = create(team, item)["number"]
    assert announce(team, number, datetime.date(2025, 9, 30))["errors"][0]["field"] == "draw_date"  # not future
    assert announce(team, number)["status"] == "announced"
    url = f"{API}/plans/{number}/draw"
    early = leader(team).post(url, {"beacon_value": "1"}, content_type="application/json")
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "draw_date"
    clock.advance(days=9)
    blank = leader(team).post(url, {"beacon_value": " "}, content_type="application/json")
    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "beacon_value"
    assert not InspectionTarget.objects.exists()


def test_the_announcement_freezes_the_directory(team, item, firms, clock):
    number = create(team, item)["number"]
    announce(team, number)
    rf.enterprise(firms[0].grid, name="公告后新设的企业")  # after the announcement: not in this draw
    plan = InspectionPlan.objects.get(number=number)
    assert plan.draw_inputs is not None
    frozen = plan.draw_inputs["candidates"]
    assert len(frozen["flagged"]) + len(frozen["ordinary"]) == 60
    assert plan.announcement_hash and plan.status == PlanStatus.ANNOUNCED


def test_a_drawn_plan_verifies_with_the_command_and_the_docs_script(team, item, firms, clock, tmp_path):
    plan = drawn(team, item, clock)
    flagged = [t for t in plan.targets.all() if t.flagged]
    assert len(flagged) == 3 and plan.targets.count() == 3 + 5  # 30% of 10 flagged, 10% of 50 ordinary
    assert all(len(t.inspector_ids) == 2 and t.inspectors.count() == 2 for t in plan.targets.all())
    assert plan.publish_due == add_working_days(DRAW_DAY, 20)
    call_command("enforcement", "verify-draw", plan.number)  # no error: matches
    export = leader(team).get(f"{API}/plans/{plan.number}/draw-inputs.json")
    assert export.status_code == 200, export.content[:300]
    path = tmp_path / "in.json"
    path.write_bytes(export.content)
    done = subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    for t in plan.targets.all():
        assert f"enterprise {t.enterprise_key} inspectors {' '.join(map(str, t.inspector_ids))}" in done.stdout


def test_a_tampered_draw_fails_verification(team, item, firms, clock):
    plan = drawn(team, item, clock)
    target = plan.targets.order_by("position")[0]
    others = [o for o in (team.a.pk, team.b.pk, team.c.pk) if o not in target.inspector_ids]
    InspectionTarget.objects.filter(pk=target.pk).update(inspector_ids=[others[0], target.inspector_ids[1]])
    with pytest.raises(CommandError):
        call_command("enforcement", "verify-draw", plan.number)
    assert svc.plan_verify(plan)


def test_a_declared_conflict_keeps_the_inspector_away(team, item, town, clock):
    firm = rf.enterprise(town.grid_a, name="丹湖五金店")
    ConflictDeclaration.objects.create(officer=team.a, kind="shareholding", uscc=firm.uscc, party_name=firm.name)
    plan = drawn(team, item, clock)  # one enterprise: drawn whatever the ratio
    target = plan.targets.get()
    assert target.enterprise == firm and team.a.pk not in target.inspector_ids
    assert sorted(target.inspector_ids) == [team.b.pk, team.c.pk]


def test_recusal_leaving_one_inspector_is_refused_at_announcement(team, item, town, clock):
    firm = rf.enterprise(town.grid_a, name="丹湖五金店")
    for o in (team.a, team.b):
        ConflictDeclaration.objects.create(officer=o, kind="relative", uscc=firm.uscc, party_name=firm.name)
    number = create(team, item)["number"]
    response = announce(team, number)
    assert response["errors"][0]["field"] == "inspectors" and "丹湖五金店" in response["errors"][0]["message"]


def test_tasks_results_a_case_and_publication(team, item, firms, clock):
    plan = drawn(team, item, clock)
    leader(team).post(f"{API}/plans/{plan.number}/issue")
    mine = {o: Client() for o in (team.a, team.b, team.c)}
    for officer, client in mine.items():
        client.force_login(officer.user)
        tasks = client.get(f"{API}/my-tasks").json()["items"]
        assert {t["id"] for t in tasks} == {t.pk for t in plan.targets.all() if officer.pk in t.inspector_ids}
    targets = list(plan.targets.order_by("position"))
    first = targets[0]
    outsider = next(o for o in (team.a, team.b, team.c) if o.pk not in first.inspector_ids)
    refused = mine[outsider].post(f"{API}/targets/{first.pk}/result", {"result": "no_problem"},
                                  content_type="application/json")
    assert refused.status_code == 403
    early = leader(team).post(f"{API}/plans/{plan.number}/publish")
    assert early.status_code == 400 and early.json()["errors"][0]["field"] == "status"
    inspector = next(o for o in mine if o.pk == first.inspector_ids[0])
    body = {"result": "problem", "note": "门前堆放杂物，占用人行道"}
    found = mine[inspector].post(f"{API}/targets/{first.pk}/result", body, content_type="application/json").json()
    assert found["case"] and found["result"] == "problem"
    case = InspectionTarget.objects.get(pk=first.pk).case
    assert case is not None
    assert case.source == CaseSource.RANDOM_INSPECTION and case.party_uscc == first.uscc
    assert sorted(case.investigators.values_list("pk", flat=True)) == sorted(first.inspector_ids)
    for t in targets[1:]:
        who = next(o for o in mine if o.pk == t.inspector_ids[0])
        assert mine[who].post(f"{API}/targets/{t.pk}/result", {"result": "no_problem"},
                              content_type="application/json").status_code == 200
    assert InspectionPlan.objects.get(pk=plan.pk).status == PlanStatus.REPORTED
    assert Client().get(f"{API}/public/plans/{plan.number}/draw-inputs.json").status_code == 404  # not yet
    assert Client().get(f"{API}/public/plans/{plan.number}").json()["results"] is None
    assert leader(team).post(f"{API}/plans/{plan.number}/publish").json()["status"] == "published"
    public = Client().get(f"{API}/public/plans/{plan.number}").json()
    assert [r["name"] for r in public["results"]] == [t.name for t in targets]
    assert public["results"][0]["result"] == "problem" and public["seed"] == plan.seed
    assert Client().get(f"{API}/public/plans/{plan.number}/draw-inputs.json").status_code == 200
    page = Client().get(f"/public/enforcement/inspections/{plan.number}/")
    assert page.status_code == 200 and first.name in page.content.decode()


def test_a_changed_result_after_a_case_is_refused(team, item, town, clock):
    rf.enterprise(town.grid_a, name="丹湖五金店")
    plan = drawn(team, item, clock)
    svc.plan_issue(actor=team.leader, plan_id=plan.pk)
    target = plan.targets.get()
    officer = next(o for o in (team.a, team.b, team.c) if o.pk == target.inspector_ids[0])
    svc.target_record(actor=officer.user, target_id=target.pk, result="problem", note="无证经营")
    with pytest.raises(FieldError) as exc:
        svc.target_record(actor=officer.user, target_id=target.pk, result="no_problem")
    assert exc.value.field == "result"


def test_a_summary_penalty_does_not_flag_the_directory(team, town):
    """The credit flag comes from general-procedure decisions only (test_credit_and_clock.py shows one flagging)."""
    from zhenwu.enforcement.selectors import credit_flagged_enterprise_ids
    from zhenwu.enforcement.services.cases import Party, summary_decide

    firm = rf.enterprise(town.grid_a, name="丹湖五金店")
    rf.enterprise(town.grid_b, name="丹湖饭店")
    assert credit_flagged_enterprise_ids() == set()
    summary_decide(actor=team.a.user, power_code=team.power.code, party=Party(firm.name, uscc=firm.uscc),
                   area_code=GRID_A, facts="占道经营", penalty_kind="fine", fine="500")
    assert credit_flagged_enterprise_ids() == set()


def test_the_filter_narrows_the_directory(team, item, firms):
    plan = svc.plan_save(actor=team.leader, title="餐饮高风险", area_code=GRID_B, item_codes=[item.code], ratio="5",
                         industries=["餐饮"], risk_levels=["high"])
    flagged, ordinary, _usccs = svc.directory.enterprise_directory(plan)
    expected = {f.pk for f in firms if f.area_code == GRID_B and f.industry == "餐饮" and f.risk_level == "high"}
    assert set(flagged) | set(ordinary) == expected and expected
