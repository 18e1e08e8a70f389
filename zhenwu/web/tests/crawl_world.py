"""A small town with one object of every kind a page can show, and one persona per role.

The crawl tests (English words, phone width) open every page with these objects as the URL's
parameters; a page whose parameters are not listed in ``url_params`` fails the crawl, so a new page is
never silently left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.accounts.services import token_create
from zhenwu.registry.tests import factories as rf
from zhenwu.registry.tests.import_files import RESIDENT_HEADERS, resident_row, xlsx_bytes
from zhenwu.services.models import Application, RectificationTask, SupervisionTask
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_precheck,
    application_rate,
    application_reject,
    application_request_supplement,
    application_review,
)
from zhenwu.services.tests.factories import build_hall, make_item, online_app, proxy_app, window_app
from zhenwu.testing import GRID_A, TestTown, make_staff

ENTERPRISE_ITEM = "320000-CJ-0009"
PERSONAS = ("window_clerk", "reviewer", "leader", "grid_worker", "dispatcher", "supervisor", "village_staff",
            "administrator", "enforcement_officer", "civil_affairs", "citizen", "enterprise", "anonymous")


@dataclass
class World:
    users: dict[str, Any]
    apps: dict[str, Application]
    rows: dict[str, int]
    import_job: int
    rectification: int
    supervision_task: int
    tokens: dict[str, int] = field(default_factory=dict)
    rating_link: str = ""  # the signed link of the SMS sent at 出件
    pad_token: str = ""  # a window rating pad, opened on the delivered case
    grid: dict[str, str] = field(default_factory=dict)  # 一网治理: an incident and a dispute in grid A
    power: str = ""  # 一队执法: the code of one penalty power on the public list
    plan: str = ""  # 双随机一公开: a published plan of the town with one target
    inspection_target: int = 0
    penalty: str = ""  # 一队执法: a general-procedure case asking for 立案 in grid A
    publication: int = 0  # its decision as published (行政处罚决定公开)
    followup: int = 0  # 审管联动 at the officer's
    assistance: dict[str, Any] = field(default_factory=dict)  # 社会救助: a file, its grant, an application …


def _to_review(hall: Any, app: Application) -> Application:
    if app.case.status == "precheck":
        application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    return app


def _finished(hall: Any, app: Application) -> Application:
    _to_review(hall, app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="材料齐全，同意",
                       approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    return app


def _applications(hall: Any, town: TestTown) -> dict[str, Application]:
    make_item()
    make_item(ENTERPRISE_ITEM, name="店招店牌设置许可", department="城建", supervision=True,
              applicant="enterprise", chain=["approval"])
    rf.enterprise(town.grid_a, uscc=hall.enterprise.uscc, name="测试有限公司")
    apps = {"submitted": online_app(hall), "review": _to_review(hall, window_app(hall)),
            "supplement": window_app(hall), "finished": _finished(hall, online_app(hall)),
            "delivered": _finished(hall, window_app(hall)), "rejected": window_app(hall),
            "denied": _to_review(hall, window_app(hall)), "proxy": proxy_app(hall),
            "enterprise": online_app(hall, code=ENTERPRISE_ITEM, actor=hall.enterprise)}
    application_request_supplement(actor=hall.clerk, application=apps["supplement"], missing=["照片"],
                                   reason="照片不清晰")
    application_reject(actor=hall.clerk, application=apps["rejected"], reason="不属于本镇办理范围")
    application_review(actor=hall.reviewer, application=apps["denied"], step="first_review", opinion="同意",
                       approve=True)
    application_review(actor=hall.leader, application=apps["denied"], step="approval", opinion="不符合条件",
                       approve=False)
    application_deliver(actor=hall.clerk, application=apps["delivered"], mode="window", signature="王芳")
    application_rate(actor=hall.citizen, application=apps["finished"], level=1, comment="等太久")
    _to_review(hall, apps["enterprise"])
    application_review(actor=hall.leader, application=apps["enterprise"], step="approval", opinion="同意",
                       approve=True)
    return apps


def _registry_rows(town: TestTown) -> dict[str, int]:
    home = rf.household(town.grid_a)
    return {"residents": rf.resident(town.grid_a, household=home, tags=("elderly_alone",)).pk,
            "households": home.pk, "enterprises": rf.enterprise(town.grid_a).pk,
            "places": rf.place(town.grid_a).pk, "cameras": rf.camera(town.grid_a).pk}


def _assistance_objects(town: TestTown, civil: Any, grid_worker: Any) -> dict[str, Any]:
    """社会救助 in grid A: a 低保 file with its grant and its village's payment list, a 低保 application, an
    early warning, a 福村宝 year; grid A's worker is the grid's village worker."""
    import datetime as dt

    from zhenwu.assistance.services.applications import application_file
    from zhenwu.assistance.services.grants import grant_open
    from zhenwu.assistance.services.mutual_aid import year_open
    from zhenwu.assistance.services.payments import payments_draw
    from zhenwu.assistance.services.rules import rules_seed
    from zhenwu.assistance.services.warnings import warnings_scan
    from zhenwu.assistance.tests.calc.factories import assistance_file
    from zhenwu.assistance.tests.warn.factories import person, settle
    from zhenwu.registry.models import GridAssignment
    from zhenwu.testing import TOWN, VILLAGE_A

    GridAssignment.objects.create(grid=town.grid_a, user=grid_worker, duty="worker", started_on=dt.date(2025, 1, 1))
    month = dt.date.today().replace(day=1)
    rule_set = rules_seed(town_code=TOWN, effective_from=month.replace(month=1))
    file = assistance_file(town.grid_a, status="dibao", members=[{}], incomes=["300"])
    grant = grant_open(actor=civil, file=file, kind="dibao", start=month)
    payments = payments_draw(actor=civil, village_code=VILLAGE_A, month=month)
    applicant = person(town.grid_a, status=None, name="赵大山")
    application = application_file(actor=civil, kind="dibao", applicant_id=applicant.pk, reason="因病致贫",
                                   channel="window")
    settle(person(town.grid_a, name="钱小花"), dt.date.today(), 90000)
    [warning] = warnings_scan()
    year = year_open(actor=civil, village_code=VILLAGE_A, year=dt.date.today().year)
    return {"rule_set": rule_set.pk, "file": file.pk, "grant": grant.pk, "payments": payments.pk,
            "application": application.case.number, "warning": warning.case.number, "year": year.pk,
            "village": VILLAGE_A}


def build_world(town: TestTown) -> World:
    """Every persona of the crawl, with Chinese names as real staff have, and their objects."""
    from zhenwu.registry.importing import import_job_create

    hall = build_hall(town)
    users: dict[str, Any] = {
        "window_clerk": hall.clerk, "reviewer": hall.reviewer, "leader": hall.leader,
        "grid_worker": make_staff("gw01", roles=[Role.GRID_WORKER], scope=town.grid_a, full_name="网格员甲"),
        "dispatcher": make_staff("dispatch01", roles=[Role.DISPATCHER], scope=town.town, full_name="调度员"),
        "supervisor": make_staff("sup01", roles=[Role.SUPERVISOR], scope=town.town, full_name="督查员"),
        "village_staff": hall.village_a,
        "civil_affairs": make_staff("mz01", roles=[Role.CIVIL_AFFAIRS], scope=town.town, full_name="民政员"),
        "administrator": make_staff("admin01", roles=[Role.ADMIN], scope=town.county, full_name="管理员",
                                    is_staff=True, is_superuser=True),
        "citizen": hall.citizen, "enterprise": hall.enterprise, "anonymous": AnonymousUser(),
    }
    # Usernames are identifiers (with a digit, as the crawl expects of identifiers); names are Chinese.
    User.objects.filter(username="lead").update(username="lead01")
    User.objects.filter(username="citizen").update(username="citizen01")
    User.objects.filter(username="ent").update(username="ent01")
    User.objects.filter(username="vs_a").update(full_name="代办员甲")
    User.objects.filter(username="vs_b").update(full_name="代办员乙")
    for user in users.values():
        if user.is_authenticated:
            user.refresh_from_db()
    apps = _applications(hall, town)
    job = import_job_create(actor=users["grid_worker"], kind="residents", file_name="居民.xlsx",
                            data=xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A),
                                                               resident_row(2, GRID_A, 手机号="999")]))
    world = World(users=users, apps=apps, rows=_registry_rows(town), import_job=job.pk,
                  rectification=RectificationTask.objects.get().pk,
                  supervision_task=SupervisionTask.objects.get().pk)
    from zhenwu.services.services.ratings import rating_link_token, rating_pad_open, rating_pad_pair

    world.rating_link = rating_link_token(apps["delivered"])
    _pad, world.pad_token = rating_pad_pair(actor=hall.clerk)
    rating_pad_open(actor=hall.clerk, application=apps["delivered"])
    world.grid = _grid_objects(users)
    from zhenwu.enforcement.tests.factories import power

    world.power = power().code  # 一队执法's public power list has one power to open
    from zhenwu.enforcement.tests.factories import inspection_plan

    plan = inspection_plan(town)
    world.plan, world.inspection_target = plan.number, plan.targets.get().pk
    from zhenwu.enforcement.tests.factories import decision_published, penalty_case

    penalty = penalty_case(town)
    world.penalty = penalty.case.number
    world.publication = decision_published(penalty).pk  # its decision on the public list
    from zhenwu.enforcement.models import SupervisionFollowUp

    world.followup = SupervisionFollowUp.objects.get_or_create(  # the hall's 审管联动 task at an officer's
        case=SupervisionTask.objects.get().case,
        defaults={"officer": penalty.investigators.order_by("pk").first(), "party_name": "测试有限公司"})[0].pk
    world.assistance = _assistance_objects(town, users["civil_affairs"], users["grid_worker"])
    users["enforcement_officer"] = penalty.investigators.order_by("pk").first().user
    for name, user in users.items():
        if name != "anonymous":
            world.tokens[name] = token_create(user=user, device="手机")[0].pk
    return world



def _grid_objects(users: dict[str, Any]) -> dict[str, str]:
    """一网治理: a reported incident (with a photo) and a dispute, both in grid A, by its grid worker."""
    from zhenwu.grid.services.disputes import dispute_create
    from zhenwu.grid.tests.factories import make_categories, report

    make_categories()
    incident = report(users["grid_worker"])
    dispute = dispute_create(actor=users["grid_worker"], grid_code=GRID_A, kind="neighbour", description="邻里纠纷",
                             parties=[{"role": "applicant", "name": "张三"}, {"role": "respondent", "name": "李四"}])
    return {"incident": incident.case.number, "dispute": dispute.case.number, "patrol": _patrol(users["grid_worker"])}


def _patrol(worker: Any) -> str:
    """巡查: a stopped patrol of grid A's worker with a short track (the patrol page draws it)."""
    import datetime as dt

    from django.utils import timezone

    from zhenwu.grid.services.patrols import patrol_points_add, patrol_start, patrol_stop

    start = timezone.now() - dt.timedelta(hours=1)
    made, _ = patrol_start(actor=worker, client_id="crawl", started_at=start)
    points = [{"t": start + dt.timedelta(seconds=10 * i), "lng": 119.52, "lat": 31.95 + i * 0.00009} for i in range(5)]
    patrol_points_add(actor=worker, patrol_id=made.pk, points=points)
    patrol_stop(actor=worker, patrol_id=made.pk, ended_at=start + dt.timedelta(seconds=40))
    return str(made.pk)
