"""Every endpoint and page that exists, for every persona: who gets in, who gets 404, who must log in.

Objects in grid A (a case, an attachment) must be invisible (404) to grid worker B and to the citizen;
staff-only pages must not open for citizens; the API answers 401 without a login. Each later issue adds
its endpoints here.
"""

from __future__ import annotations

import pytest
from django.test import Client

from zhenwu.casework.process import process_cache_clear, process_forget_resolved
from zhenwu.casework.services import attachment_add, case_create
from zhenwu.enforcement.tests import factories as enforcement
from zhenwu.grid.services.patrols import patrol_start
from zhenwu.registry.tests import factories
from zhenwu.services.services import application_submit
from zhenwu.services.tests.factories import all_materials, make_item
from zhenwu.testing import (
    GRID_A,
    GRID_B,
    PNG,
    TEST_KIND,
    TOWN,
    VILLAGE_A,
    build_personas,
    build_test_town,
    shared_world,
)

PERSONAS = ["anonymous", "grid_worker_a", "grid_worker_b", "town_staff", "county_staff", "admin", "citizen"]
OK, LOGIN, NOT_FOUND = 200, "login", 404
API_DENIED = 401


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The town, its personas and the world, built once for the module's 1,800 cases (each ≈0.3 s to build)
    inside a transaction rolled back after the module; every test still runs in its own savepoint, so what a
    test changes is undone before the next one."""
    with shared_world(django_db_blocker, tmp_path_factory.mktemp("scope")):
        process_cache_clear()
        process_forget_resolved()
        built = build_test_town()
        people = build_personas(built)
        try:
            yield built, people, _world(built, people)
        finally:
            process_cache_clear()
            process_forget_resolved()


@pytest.fixture
def town(_built, db):
    return _built[0]


@pytest.fixture
def personas(_built, db):
    return _built[1]


@pytest.fixture
def world(_built, db):
    return _built[2]


def _world(town, personas) -> dict:  # one object of every kind, all in grid A
    case = case_create(kind=TEST_KIND, process="generic", area_code=GRID_A, title="井盖缺失",
                       actor=personas.grid_worker_a)
    link = attachment_add(actor=personas.grid_worker_a, case=case, data=PNG, name="photo.png")
    home = factories.household(town.grid_a)
    rows = {"resident": factories.resident(town.grid_a, household=home).pk, "household": home.pk,
            "enterprise": factories.enterprise(town.grid_a).pk, "place": factories.place(town.grid_a).pk,
            "camera": factories.camera(town.grid_a).pk}
    make_item()
    app = application_submit(actor=personas.citizen, item_code="320000-MZ-0001", channel="online",
                             materials=all_materials(files_by=personas.citizen))
    from zhenwu.grid.tests.factories import make_categories, report

    make_categories(("E0101",))
    incident = report(personas.grid_worker_a)  # 一网治理: a grid worker's report in grid A
    patrol, _ = patrol_start(actor=personas.grid_worker_a, client_id="world")
    penalty = enforcement.penalty_case(town)  # 一队执法: a general case in grid A, by two officers of the town
    publication, followup = enforcement.published_and_followup(penalty, case)  # its publication; a 审管联动 task
    return {"case": case.number, "sha": link.attachment.sha256, "personas": personas, "app": app.case.number,
            "incident": incident.case.number, "patrol": patrol.pk, "gw_a": personas.grid_worker_a.pk,
            "penalty": penalty.case.number, "power": penalty.power_version.power.code,
            "plan": enforcement.inspection_plan(town).number,
            "officer": penalty.investigators.order_by("pk").first().pk,
            "publication": publication.pk, "followup": followup.pk,
            **rows, **_grid_disputes_world(personas, home), **_assistance_world(personas, home),
            **_assistance_warn_world(personas, town)}


def _grid_disputes_world(personas, home) -> dict:  # 矛盾纠纷 and 走访 in grid A, filed by grid A's worker
    from zhenwu.grid.services.disputes import dispute_create
    from zhenwu.grid.services.visits import VisitInput, visit_record

    dispute = dispute_create(actor=personas.grid_worker_a, grid_code=GRID_A, kind="neighbour", description="邻里纠纷",
                             parties=[{"role": "applicant", "name": "张三"}, {"role": "respondent", "name": "李四"}])
    visit = visit_record(actor=personas.grid_worker_a, photos=[PNG],
                         data=VisitInput(target_kind="household", target_id=home.pk, record="入户走访"))
    return {"dispute": dispute.case.number, "visit": visit.pk, "visit_sha": visit.photos[0]}


def _assistance_world(personas, home) -> dict:  # 社会救助: a 低保 application (and so a file) of grid A's household
    import datetime

    from zhenwu.accounts.choices import Role
    from zhenwu.assistance.services.applications import application_file
    from zhenwu.registry.models import GridAssignment
    from zhenwu.testing import make_staff

    civil = make_staff("civil_w", roles=[Role.CIVIL_AFFAIRS], scope=home.grid.parent.parent.parent)  # the town
    for worker in (personas.grid_worker_a, personas.grid_worker_b):  # each the village worker of their grid
        GridAssignment.objects.create(grid=worker.scope_area, user=worker, duty="worker",
                                      started_on=datetime.date(2025, 1, 1))
    applicant = home.members.first()
    row = application_file(actor=civil, kind="dibao", applicant_id=applicant.pk, reason="因病致贫", channel="window")
    return {"jz": row.case.number, "jz_file": row.file_id}


def _assistance_warn_world(personas, town) -> dict:  # 社会救助: a warning in grid A, 福村宝 in village A
    import datetime as dt

    from zhenwu.assistance.services.mutual_aid import year_open
    from zhenwu.assistance.services.warnings import warnings_scan
    from zhenwu.assistance.tests.warn.factories import person, settle
    from zhenwu.registry.models import GridAssignment
    from zhenwu.testing import VILLAGE_A, make_staff

    if not GridAssignment.objects.filter(grid=town.grid_a, user=personas.grid_worker_a).exists():
        factories.assignment(town.grid_a, personas.grid_worker_a, "worker")  # grid A's worker: its village worker
    someone = person(town.grid_a)
    settle(someone, dt.date.today(), 90000)
    [warning] = warnings_scan()
    civil = make_staff("civil_warn", roles=["civil_affairs"], scope=town.town)
    return {"warning": warning.case.number, "aid_year": year_open(actor=civil, village_code=VILLAGE_A, year=2025).pk}


def client_for(world, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world["personas"], persona))
    return client


def status_of(response) -> object:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return LOGIN
    return response.status_code


# (url template, expected per persona in PERSONAS order)
PAGES = [
    ("/", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("/areas/map/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/accounts/tokens/", [LOGIN, OK, OK, OK, OK, OK, OK]),
    ("/login/", [OK, OK, OK, OK, OK, OK, OK]),
    ("/healthz", [OK, OK, OK, OK, OK, OK, OK]),
    *[(f"/registry/{kind}s/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND])
      for kind in ("resident", "household", "enterprise", "place", "camera")],
    *[(f"/registry/{kind}s/{{{kind}}}/", [LOGIN, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND])
      for kind in ("resident", "household", "enterprise", "place", "camera")],
    (f"/registry/grids/{GRID_A}/", [LOGIN, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/registry/import/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),  # the page says who may import
    ("/registry/export/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),
    # 一窗受理: the citizen's online application lies in the town, outside every grid worker's grid
    ("/services/", [LOGIN, 403, 403, OK, OK, OK, NOT_FOUND]),  # a grid worker has no hall role (and no link)
    ("/services/pad/", [LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND]),  # window clerks
    ("/services/applications/{app}/", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/services/applications/new/", [LOGIN, NOT_FOUND, NOT_FOUND, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    ("/services/supervision/", [LOGIN, 403, 403, 403, OK, OK, NOT_FOUND]),
    ("/public/guide/", [OK, OK, OK, OK, OK, OK, OK]),
    ("/public/guide/320000-MZ-0001/", [OK, OK, OK, OK, OK, OK, OK]),
    ("/public/track/", [OK, OK, OK, OK, OK, OK, OK]),
    ("/public/rate/not-a-signed-link/", [NOT_FOUND] * 7),
    ("/public/pad/not-a-paired-pad/", [NOT_FOUND] * 7),
    ("/portal/", [LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK]),
    ("/portal/applications/{app}/", [LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK]),
    ("/portal/apply/320000-MZ-0001/", [LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK]),
    # 矛盾纠纷 and 走访 (grid staff, supervisors and administrators read; a window clerk has no grid role)
    ("/grid/disputes/", [LOGIN, OK, OK, 403, OK, OK, NOT_FOUND]),
    ("/grid/disputes/new/", [LOGIN, OK, OK, 403, 403, 403, NOT_FOUND]),  # filed by grid, village and town staff
    ("/grid/disputes/{dispute}/", [LOGIN, OK, NOT_FOUND, 403, OK, OK, NOT_FOUND]),
    ("/grid/households/{household}/visits/", [LOGIN, OK, NOT_FOUND, 403, OK, OK, NOT_FOUND]),
    # 一网治理 incidents: staff with a grid role (the town's clerks have none: 403); the incident lies in grid A
    *[(url, [LOGIN, OK, OK, 403, OK, OK, NOT_FOUND]) for url in (
        "/grid/incidents/", "/grid/incidents/?view=map", "/grid/incidents/export.xlsx", "/grid/incidents/new/")],
    ("/grid/incidents/{incident}/", [LOGIN, OK, NOT_FOUND, 403, OK, OK, NOT_FOUND]),
    ("/public/grid/report/", [OK, OK, OK, OK, OK, OK, OK]),  # anonymous allowed (throttled when sending)
    ("/public/grid/track/", [OK, OK, OK, OK, OK, OK, OK]),
    ("/grid/visits/coverage/", [LOGIN, OK, OK, 403, OK, OK, NOT_FOUND]),
    # Open311 GeoReport v2: public for everyone (POST needs an api_key: zhenwu/grid/tests/test_open311_post.py);
    # a case that is not a grid incident is no service request
    *[(f"/open311/v2/{path}", [OK] * 7) for path in ("discovery.xml", "services.json", "requests.xml")],
    ("/open311/v2/requests/{case}.json", [NOT_FOUND] * 7),
    ("/open311/v2/tokens/no-such-token.xml", [NOT_FOUND] * 7),
    # the grid worker's phone app: a shell without data (it signs in for a device token); staff-only namespace
    *[(url, [OK, OK, OK, OK, OK, OK, NOT_FOUND]) for url in ("/m/", "/m/manifest.webmanifest", "/m/sw.js")],
    # 一队执法: the power list is public (Art. 39)
    ("/public/enforcement/powers/", [OK] * 7),
    ("/public/enforcement/powers/{power}/", [OK] * 7),
    # 行政处罚决定公开: public; the officer's 审管联动 page for officers, leaders and administrators
    ("/public/enforcement/decisions/", [OK] * 7),
    ("/public/enforcement/decisions/{publication}/", [OK] * 7),
    ("/enforcement/supervision-tasks/", [LOGIN, 403, 403, 403, 403, OK, NOT_FOUND]),
    # 双随机一公开: announced plans and published results are public; the staff pages for the case roles
    ("/public/enforcement/inspections/", [OK] * 7),
    ("/public/enforcement/inspections/{plan}/", [OK] * 7),
    ("/enforcement/inspections/", [LOGIN, 403, 403, 403, OK, OK, NOT_FOUND]),
    ("/enforcement/inspections/new/", [LOGIN, 403, 403, 403, 403, OK, NOT_FOUND]),  # leaders and administrators
    ("/enforcement/inspections/{plan}/", [LOGIN, 403, 403, 403, OK, OK, NOT_FOUND]),
    # 一队执法 staff pages: case roles read (the supervisor and administrator here), officers file; others 403
    *[(url, [LOGIN, 403, 403, 403, OK, OK, NOT_FOUND]) for url in (
        "/enforcement/cases/", "/enforcement/cases/?status=open&procedure=general&q=东山",
        "/enforcement/cases/export.xlsx", "/enforcement/cases/{penalty}/", "/enforcement/review/",
        "/enforcement/approvals/", "/enforcement/powers/", "/enforcement/powers/{power}/",
        *[f"/enforcement/cases/{{penalty}}/records/{kind}/"  # the case file's records: list (and form)
          for kind in ("inquiries", "inspections", "discussions", "hearings")])],
    *[(url, [LOGIN, 403, 403, 403, 403, 403, NOT_FOUND]) for url in (
        "/enforcement/cases/new/summary/", "/enforcement/cases/new/general/")],  # enforcement officers only
    *[(url, [LOGIN, 403, 403, 403, 403, OK, NOT_FOUND]) for url in (
        "/enforcement/officers/", "/enforcement/squads/", "/enforcement/powers/import/")],
    ("/enforcement/cases/no-such-case/", [LOGIN, 403, 403, 403, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    # 积分 and indicators: readers of a scope (supervisors, administrators here); a grid worker their own ledger
    ("/grid/scores/", [LOGIN, OK, OK, 403, OK, OK, NOT_FOUND]),
    ("/grid/scores/workers/{gw_a}/", [LOGIN, OK, NOT_FOUND, 403, OK, OK, NOT_FOUND]),
    ("/grid/scores/ranking.xlsx", [LOGIN, 403, 403, 403, OK, OK, NOT_FOUND]),
    ("/grid/indicators/", [LOGIN, 403, 403, 403, OK, OK, NOT_FOUND]),
    # 社会救助 §4–5: published rules for every staff member; grants and payments for civil affairs (none here)
    ("/assistance/rules/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/assistance/grants/", [LOGIN, 403, 403, 403, 403, 403, NOT_FOUND]),
    ("/assistance/payments/", [LOGIN, 403, 403, 403, 403, 403, NOT_FOUND]),
    # 社会救助: a file is seen only by civil affairs and the village worker of its grid (grid A's here);
    # every other staff member sees counts (the lists are empty for them), citizens nothing
    *[(url, [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]) for url in (
        "/assistance/", "/assistance/needs/", "/assistance/needs/export.xlsx", "/assistance/applications/")],
    *[(url, [LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]) for url in (
        "/assistance/files/{jz_file}/", "/assistance/applications/{jz}/")],
    ("/assistance/applications/new/", [LOGIN, OK, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),  # village workers
    ("/public/assistance/publicity/", [OK] * 7),
    # 社会救助 early warning: names only for civil affairs and the grid's village worker (grid A's); counts for all
    ("/assistance/warnings/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),  # the list holds only what each may read
    ("/assistance/warnings/counts/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/assistance/warnings/import/", [LOGIN, 403, 403, 403, 403, 403, NOT_FOUND]),  # civil affairs only
    ("/assistance/warnings/{warning}/", [LOGIN, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    ("/assistance/mutual-aid/", [LOGIN, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/assistance/mutual-aid/{aid_year}/", [LOGIN, NOT_FOUND, NOT_FOUND, OK, OK, OK, NOT_FOUND]),  # village A's
    (f"/public/assistance/mutual-aid/{VILLAGE_A}/", [OK] * 7),  # the public ledger, names masked
    # 巡查记录: readers of a scope see its patrols, a grid worker their own; the window clerk has no grid role
    ("/grid/patrols/", [LOGIN, OK, OK, 403, OK, OK, NOT_FOUND]),
    ("/grid/patrols/export.xlsx", [LOGIN, OK, OK, 403, OK, OK, NOT_FOUND]),
    ("/grid/patrols/{patrol}/", [LOGIN, OK, NOT_FOUND, 403, OK, OK, NOT_FOUND]),
]

API_GET = [
    ("/api/v1/accounts/me", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/accounts/tokens", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/accounts/staff", [API_DENIED, OK, OK, OK, OK, OK, 403]),
    ("/api/v1/areas/locate?lng=119.52&lat=31.95", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/areas/geojson", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/areas", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    (f"/api/v1/areas/{GRID_A}", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    (f"/api/v1/areas/{TOWN}", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/casework/cases/{case}", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/casework/cases/{case}/timeline", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/casework/cases/{case}/attachments", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/casework/cases/{case}/handlers", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/casework/my-work", [API_DENIED, OK, OK, OK, OK, OK, OK]),  # a list: the caller's own, scoped
    ("/api/v1/casework/attachments/{sha}", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/casework/calendar/add-workdays?start=2025-09-30&days=3", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/casework/calendar/years", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    *[(f"/api/v1/registry/{kind}s", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND])
      for kind in ("resident", "household", "enterprise", "place", "camera")],
    *[(f"/api/v1/registry/{kind}s/{{{kind}}}", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND])
      for kind in ("resident", "household", "enterprise", "place", "camera")],
    ("/api/v1/registry/residents/{resident}?unmasked=true", [API_DENIED, OK, NOT_FOUND, OK, 403, OK, NOT_FOUND]),
    (f"/api/v1/registry/grids/{GRID_A}", [API_DENIED, OK, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/registry/grid-assignments", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/registry/io/templates/residents", [API_DENIED, OK, OK, OK, OK, OK, OK]),  # a blank form
    ("/api/v1/registry/io/export/residents", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/services/catalogue", [OK, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/services/applications/{app}", [API_DENIED, NOT_FOUND, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/services/me/applications/{app}", [API_DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK]),
    ("/api/v1/services/applications/{app}/notices/acceptance",
     [API_DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),  # not accepted yet
    ("/api/v1/services/supervision/stats", [API_DENIED, 403, 403, 403, OK, OK, 403]),
    ("/api/v1/services/supervision/overdue", [API_DENIED, 403, 403, 403, OK, OK, 403]),
    # supervision over every kind (the kernel): supervisors, leaders and administrators, cut to their scope
    *[(f"/api/v1/casework/supervision/{name}", [API_DENIED, 403, 403, 403, OK, OK, 403])
      for name in ("overdue", "at-risk", "flagged", "stats")],
    # 一网治理: the incident lies in grid A; the town's clerks have no grid role; lists are cut to the scope
    ("/api/v1/grid/categories", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/grid/incidents", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/grid/incidents/{incident}", [API_DENIED, OK, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND]),
    ("/api/v1/grid/duplicates?category=E0101&lng=119.52&lat=31.95", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/grid/my-tasks", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    ("/api/v1/grid/map", [API_DENIED, OK, OK, OK, OK, OK, OK]),
    # 矛盾纠纷 and 走访 in grid A: lists cut to the scope (empty without a grid role), rows outside it 404
    *[(url, [API_DENIED, OK, OK, OK, OK, OK, OK]) for url in (
        "/api/v1/grid/disputes/", "/api/v1/grid/visits/", "/api/v1/grid/visits/targets",
        "/api/v1/grid/visits/coverage?month=2026-01")],
    *[(url, [API_DENIED, OK, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND]) for url in (
        "/api/v1/grid/disputes/{dispute}", "/api/v1/grid/disputes/{dispute}/sessions",
        "/api/v1/grid/visits/{visit}", "/api/v1/grid/visits/{visit}/photos/{visit_sha}")],
    ("/api/v1/grid/disputes/{dispute}/agreement.pdf", [API_DENIED] + [NOT_FOUND] * 6),  # not settled yet
    # 一队执法: the power list is public; cases for the case roles (the supervisor reads), cut to their scope
    ("/api/v1/enforcement/powers", [OK] * 7),
    ("/api/v1/enforcement/powers/{power}", [OK] * 7),
    ("/api/v1/enforcement/powers/export", [OK] * 7),
    ("/api/v1/enforcement/officers", [API_DENIED, 403, 403, 403, 403, OK, NOT_FOUND]),
    ("/api/v1/enforcement/cases", [API_DENIED, 403, 403, 403, OK, OK, NOT_FOUND]),
    ("/api/v1/enforcement/cases/{penalty}", [API_DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND]),
    ("/api/v1/enforcement/cases/{penalty}/decision.pdf", [API_DENIED, *[NOT_FOUND] * 6]),  # a general case: none
    # publication of decisions: public reads; the overdue list for legal reviewers, leaders, supervisors
    ("/api/v1/enforcement/publications", [OK] * 7),
    ("/api/v1/enforcement/publications/{publication}", [OK] * 7),
    ("/api/v1/enforcement/publications/supervision", [API_DENIED, 403, 403, 403, OK, OK, NOT_FOUND]),
    # 审管联动 tasks: the routed officer's (leaders, administrators: the scope's); the phone app's 我的任务
    ("/api/v1/enforcement/supervision-tasks", [API_DENIED, 403, 403, 403, 403, OK, NOT_FOUND]),
    ("/api/v1/enforcement/supervision-tasks/{followup}", [API_DENIED, *[NOT_FOUND] * 4, OK, NOT_FOUND]),
    ("/api/v1/enforcement/my-tasks", [API_DENIED, 403, 403, 403, 403, OK, NOT_FOUND]),
    # 双随机一公开: plans for the case roles of their scope; the public part without a login
    *[(f"/api/v1/enforcement/inspections/{path}", [API_DENIED, 403, 403, 403, OK, OK, NOT_FOUND]) for path in (
        "plans", "plans/{plan}", "plans/{plan}/targets", "plans/{plan}/directory", "plans/{plan}/draw-inputs.json",
        "my-tasks")],
    *[(f"/api/v1/enforcement/inspections/{path}", [OK] * 7) for path in (
        "public/plans", "public/plans/{plan}", "public/plans/{plan}/draw-inputs.json")],
    # the case file: lists for the case's readers; a document before its step, and the archive before 结案
    # (except for leaders, and the world has none), exist for no one
    *[(f"/api/v1/enforcement/cases/{{penalty}}/{path}",
       [API_DENIED, NOT_FOUND, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND])
      for path in ("documents", "inquiries", "inspections", "discussions", "hearings")],
    *[(f"/api/v1/enforcement/cases/{{penalty}}/{path}", [API_DENIED, *[NOT_FOUND] * 6])
      for path in ("documents/filing.pdf", "documents/decision.pdf", "documents/closing.pdf", "inquiries/1.pdf",
                   "inspections/1.pdf", "discussions/1.pdf", "hearings/1.pdf", "archive.zip")],
    # patrols: lists hold my own (a worker) or my scope's (grid leaders, dispatchers, supervisors, admins)
    *[(f"/api/v1/grid/patrols/{path}", [API_DENIED, OK, OK, OK, OK, OK, OK])
      for path in ("", "?day=2025-09-30", "summary", "checkins", "places?lng=119.52&lat=31.95")],
    ("/api/v1/grid/patrols/{patrol}", [API_DENIED, OK, NOT_FOUND, NOT_FOUND, OK, OK, NOT_FOUND]),
    # 积分 and indicators
    ("/api/v1/grid/scores/", [API_DENIED, 403, 403, 403, OK, OK, NOT_FOUND]),
    ("/api/v1/grid/scores/ledger", [API_DENIED, OK, OK, 403, OK, OK, NOT_FOUND]),  # my own
    ("/api/v1/grid/scores/ledger?worker={gw_a}", [API_DENIED, OK, NOT_FOUND, 403, OK, OK, NOT_FOUND]),
    ("/api/v1/grid/scores/ranking.xlsx", [API_DENIED, 403, 403, 403, OK, OK, NOT_FOUND]),
    ("/api/v1/grid/indicators/", [API_DENIED, 403, 403, 403, OK, OK, NOT_FOUND]),
    # 社会救助 §4–5: rules are read by staff; grants are cut to the files one may see (none without civil affairs)
    ("/api/v1/assistance/rules", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/assistance/grants", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/assistance/payments", [API_DENIED, 403, 403, 403, 403, 403, NOT_FOUND]),
    ("/api/v1/assistance/payments/totals?month=2026-01", [API_DENIED, 403, 403, 403, 403, 403, NOT_FOUND]),
    # 社会救助 (a window clerk sees no file; grid B's village worker none of grid A's; counts for all staff)
    *[(f"/api/v1/assistance/{path}", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]) for path in (
        "files", "files/counts", "needs", "needs/export.xlsx", "resources", "applications", "applications/counts")],
    *[(url, [API_DENIED, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]) for url in (
        "/api/v1/assistance/files/{jz_file}", "/api/v1/assistance/applications/{jz}", "/api/v1/casework/cases/{jz}",
        "/api/v1/casework/cases/{jz}/timeline")],
    ("/api/v1/assistance/me/applications", [API_DENIED, *[NOT_FOUND] * 5, OK]),
    ("/api/v1/assistance/publicity", [OK] * 7),
    # 社会救助 early warning and 福村宝
    ("/api/v1/assistance/warnings", [API_DENIED, OK, OK, OK, OK, OK, OK]),  # a list: only what each may read
    ("/api/v1/assistance/warnings/counts", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/assistance/warnings/rules", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/assistance/warnings/{warning}",
     [API_DENIED, OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]),
    ("/api/v1/assistance/imports", [API_DENIED, 403, 403, 403, 403, 403, NOT_FOUND]),
    ("/api/v1/assistance/mutual-aid/years", [API_DENIED, OK, OK, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/assistance/mutual-aid/years/{aid_year}", [API_DENIED, NOT_FOUND, NOT_FOUND, OK, OK, OK, NOT_FOUND]),
    ("/api/v1/assistance/mutual-aid/years/{aid_year}/enrolments",
     [API_DENIED, NOT_FOUND, NOT_FOUND, 403, 403, 403, NOT_FOUND]),
]


def _cases(table):
    return [pytest.param(url, persona, expected[i], id=f"{url}-{persona}")
            for url, expected in table for i, persona in enumerate(PERSONAS)]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "persona", "expected"), _cases(PAGES))
def test_pages(world, url, persona, expected):
    assert status_of(client_for(world, persona).get(url.format(**world))) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "persona", "expected"), _cases(API_GET))
def test_api_reads(world, url, persona, expected):
    assert status_of(client_for(world, persona).get(url.format(**world))) == expected


@pytest.mark.django_db
def test_the_admin_opens_only_for_administrators(world):
    assert status_of(client_for(world, "admin").get("/admin/")) == OK
    for persona in ("grid_worker_a", "town_staff", "county_staff"):
        assert client_for(world, persona).get("/admin/").status_code == 302
    assert client_for(world, "citizen").get("/admin/").status_code == NOT_FOUND


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("county_staff", 403),
])
def test_a_transition_outside_scope_or_role_changes_nothing(world, persona, expected):
    url = f"/api/v1/casework/cases/{world['case']}/transitions"
    response = client_for(world, persona).post(url, {"action": "accept"}, content_type="application/json")
    assert response.status_code == expected
    detail = client_for(world, "town_staff").get(f"/api/v1/casework/cases/{world['case']}").json()
    assert detail["status"] == "registered" and detail["version"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("town_staff", 403),
    ("county_staff", 201),
])
def test_urging_by_hand_out_of_scope_is_404_and_without_the_role_403(world, persona, expected):
    url = f"/api/v1/casework/supervision/cases/{world['case']}/urges"
    response = client_for(world, persona).post(url, {}, content_type="application/json")
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("town_staff", NOT_FOUND),
    ("county_staff", 403),
])
def test_a_penalty_case_step_outside_scope_or_role_changes_nothing(world, persona, expected):
    url = f"/api/v1/enforcement/cases/{world['penalty']}/actions/approve_filing"
    response = client_for(world, persona).post(url, {"fields": {"opinion": "同意"}}, content_type="application/json")
    assert response.status_code == expected
    detail = client_for(world, "admin").get(f"/api/v1/enforcement/cases/{world['penalty']}").json()
    assert detail["status"] == "registered" and detail["version"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "persona", "expected"), [
    (url, persona, expected) for url in ("/api/v1/enforcement/cases", "/api/v1/enforcement/cases/summary")
    for persona, expected in (("anonymous", API_DENIED), ("citizen", NOT_FOUND), ("grid_worker_a", 403),
                              ("town_staff", 403), ("county_staff", 403))
])
def test_only_officers_file_penalty_cases(world, url, persona, expected):
    body = {"power": world["power"], "party": {"name": "李明", "id_number": "11010519491231002X"},
            "area_code": GRID_A, "penalty_kind": "warning", "investigators": []}
    response = client_for(world, persona).post(url, body, content_type="application/json")
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("citizen", NOT_FOUND), ("grid_worker_b", NOT_FOUND), ("town_staff", 403),
    ("county_staff", 403), ("admin", 201),
])
def test_only_the_officer_or_a_leader_declares_a_conflict(world, persona, expected):
    url = f"/api/v1/enforcement/officers/{world['officer']}/conflicts"
    body = {"kind": "relative", "party_name": "李明", "id_number": "11010519491231002X"}
    assert client_for(world, persona).post(url, body, content_type="application/json").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_a", NOT_FOUND), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND),
    ("town_staff", NOT_FOUND), ("county_staff", 403), ("admin", 403),
])
def test_only_an_officer_adds_evidence_to_a_penalty_case(world, persona, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/v1/enforcement/cases/{world['penalty']}/evidence"
    response = client_for(world, persona).post(url, {"file": SimpleUploadedFile("p.png", PNG)})
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "persona", "expected"), [
    (action, persona, expected) for action in ("publish", "overturn", "withdraw")
    for persona, expected in (("anonymous", API_DENIED), ("citizen", NOT_FOUND), ("grid_worker_a", 403),
                              ("grid_worker_b", NOT_FOUND), ("town_staff", 403), ("county_staff", 403),
                              ("admin", 403))
])
def test_only_reviewers_and_leaders_publish_and_withdraw_decisions(world, action, persona, expected):
    url = f"/api/v1/enforcement/publications/{world['publication']}/{action}"
    body = {"reason": "撤销", "overturn_kind": "litigation_revoked", "overturned_on": "2025-01-02"}
    assert client_for(world, persona).post(url, body, content_type="application/json").status_code == expected
    assert client_for(world, "anonymous").get(url.rsplit("/", 1)[0]).json()["status"] == "published"


@pytest.mark.django_db
@pytest.mark.parametrize(("ending", "persona", "expected"), [
    (ending, persona, expected) for ending in ("inspection", "case", "assign")
    for persona, expected in (("anonymous", API_DENIED), ("citizen", NOT_FOUND), ("grid_worker_a", NOT_FOUND),
                              ("grid_worker_b", NOT_FOUND), ("town_staff", NOT_FOUND), ("county_staff", NOT_FOUND),
                              ("admin", OK if ending == "assign" else 403))  # an administrator hands it over
])
def test_only_the_routed_officer_ends_a_supervision_task(world, ending, persona, expected):
    url = f"/api/v1/enforcement/supervision-tasks/{world['followup']}/{ending}"
    body = {"problem": False, "record": "无问题", "power": world["power"], "facts": "x", "investigators": [],
            "officer": world["officer"]}
    assert client_for(world, persona).post(url, body, content_type="application/json").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "persona", "expected"), [
    (path, persona, expected) for path in ("inquiries", "inspections", "discussions")
    for persona, expected in (("anonymous", API_DENIED), ("grid_worker_a", NOT_FOUND), ("citizen", NOT_FOUND),
                              ("town_staff", NOT_FOUND), ("county_staff", 403), ("admin", 403))
])
def test_only_officers_and_leaders_make_the_records_of_a_penalty_case(world, path, persona, expected):
    url = f"/api/v1/enforcement/cases/{world['penalty']}/{path}"
    body = {"started_at": "2025-09-30T08:00", "ended_at": "2025-09-30T08:30", "place": "x", "person_name": "x",
            "person_role": "party", "officers": [], "officers_signed_on": "2025-09-30", "questions": [],
            "findings": "x", "held_at": "2025-09-30T08:00", "chair": "x", "participants": [], "opinions": "x",
            "conclusion": "x"}
    assert client_for(world, persona).post(url, body, content_type="application/json").status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [("anonymous", API_DENIED), ("citizen", 403),
                                                   ("town_staff", 403), ("county_staff", 403)])
def test_only_list_keepers_import_the_power_list(world, persona, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("p.xlsx", enforcement.sheet([enforcement.row()]))
    response = client_for(world, persona).post("/api/v1/enforcement/powers/import", {"file": upload})
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("town_staff", NOT_FOUND),
    ("county_staff", NOT_FOUND), ("admin", NOT_FOUND), ("grid_worker_a", 403),  # the village worker: not the town's
])
def test_an_assistance_step_outside_the_file_readers_or_role_changes_nothing(world, persona, expected):
    url = f"/api/v1/assistance/applications/{world['jz']}/actions/accept"
    assert client_for(world, persona).post(url, {}, content_type="application/json").status_code == expected
    from zhenwu.casework.models import Case

    assert Case.objects.filter(number=world["jz"]).values_list("status", "version").get() == ("submitted", 1)


@pytest.mark.django_db
def test_grid_worker_b_sees_grid_b_staff_only(world):
    body = client_for(world, "grid_worker_b").get(f"/api/v1/areas/{GRID_B}").json()
    assert [s["name"] for s in body["staff"]] == ["gw_b"]
    assert client_for(world, "grid_worker_b").get(f"/api/v1/areas/{GRID_A}").json()["staff"] is None


@pytest.mark.django_db
def test_a_supervisor_without_an_editing_role_cannot_import(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhenwu.registry.tests.import_files import RESIDENT_HEADERS, resident_row, xlsx_bytes

    upload = SimpleUploadedFile("r.xlsx", xlsx_bytes(RESIDENT_HEADERS, [resident_row(1, GRID_A)]))
    response = client_for(world, "county_staff").post("/api/v1/registry/io/imports",
                                                      {"kind": "residents", "file": upload})
    assert response.status_code == 403


@pytest.mark.django_db
def test_applicant_lists_hold_only_what_the_caller_may_see(world):
    mine = client_for(world, "citizen").get("/api/v1/services/applications").json()
    theirs = client_for(world, "grid_worker_a").get("/api/v1/services/applications").json()
    clerk = client_for(world, "town_staff").get("/api/v1/services/applications").json()
    numbers = [[row["number"] for row in body["items"]] for body in (mine, theirs, clerk)]
    assert numbers == [[world["app"]], [], [world["app"]]]


@pytest.mark.django_db
def test_my_work_lists_a_held_case_only_inside_the_scope(world):
    from django.utils import timezone

    from zhenwu.casework.models import Case, StandIn
    from zhenwu.casework.services.assignment import case_hand_over

    p = world["personas"]
    case_hand_over(case=Case.objects.get(number=world["case"]), handler=p.grid_worker_a)
    now = timezone.now()  # even a stand-in row naming grid B's worker does not carry the case out of grid A
    StandIn.objects.create(user=p.grid_worker_a, stand_in=p.grid_worker_b, starts_at=now,
                           ends_at=now + timezone.timedelta(days=1))
    url = "/api/v1/casework/my-work"
    lists = {persona: sorted(row["number"] for row in client_for(world, persona).get(url).json()["items"])
             for persona in ("grid_worker_a", "grid_worker_b", "citizen")}
    # grid A's worker also holds the 社会救助 warning of grid A (its village worker)
    assert lists == {"grid_worker_a": sorted([world["case"], world["warning"]]), "grid_worker_b": [], "citizen": []}


@pytest.mark.django_db
def test_grid_lists_hold_only_what_the_caller_may_see(world):
    seen = {}
    for persona in ("grid_worker_a", "grid_worker_b", "town_staff", "county_staff", "citizen"):
        client = client_for(world, persona)
        queue = [row["number"] for row in client.get("/api/v1/grid/incidents").json()["items"]]
        near = [row["number"] for row in client.get(
            "/api/v1/grid/duplicates?category=E0101&lng=119.52&lat=31.95").json()]
        mapped = [f["properties"]["number"] for f in client.get("/api/v1/grid/map").json()["features"]]
        tasks = [row["number"] for row in client.get("/api/v1/grid/my-tasks").json()]
        seen[persona] = (queue, near, mapped, tasks)
    mine = [world["incident"]]
    assert seen == {"grid_worker_a": (mine, mine, mine, mine),  # a self-closable report of their own
                    "grid_worker_b": ([], [], [], []), "town_staff": ([], [], [], []),
                    "county_staff": (mine, mine, mine, []), "citizen": ([], [], [], [])}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "action", "expected"), [
    ("anonymous", "register", API_DENIED), ("grid_worker_b", "register", NOT_FOUND),
    ("grid_worker_b", "verify_pass", NOT_FOUND), ("citizen", "register", NOT_FOUND),
    ("town_staff", "register", NOT_FOUND), ("county_staff", "register", 403), ("grid_worker_a", "register", 403),
])
def test_a_grid_action_outside_scope_or_role_changes_nothing(world, persona, action, expected):
    url = f"/api/v1/grid/incidents/{world['incident']}/actions/{action}"
    assert client_for(world, persona).post(url, {"expected_version": 1}).status_code == expected
    detail = client_for(world, "county_staff").get(f"/api/v1/grid/incidents/{world['incident']}").json()
    assert detail["status"] == "reported" and detail["version"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_a", 201), ("grid_worker_b", 400), ("town_staff", 403), ("citizen", 201),
])
def test_reporting_an_incident_in_grid_a(world, persona, expected):
    data = {"category": "E0101", "lng": "119.52", "lat": "31.95", "description": "垃圾", "source": "patrol"}
    response = client_for(world, persona).post("/api/v1/grid/incidents", data)
    assert response.status_code == expected  # grid B's worker: the point lies outside their scope (400 lng)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("town_staff", NOT_FOUND),
    ("county_staff", 403), ("admin", 403), ("grid_worker_a", 200),
])
def test_a_dispute_step_outside_scope_or_role_changes_nothing(world, persona, expected):
    url = f"/api/v1/grid/disputes/{world['dispute']}/actions/escalate"
    response = client_for(world, persona).post(url, {"reason": "网格调解不成"}, content_type="application/json")
    assert response.status_code == expected
    detail = client_for(world, "grid_worker_a").get(f"/api/v1/grid/disputes/{world['dispute']}").json()
    assert detail["level"] == ("village" if expected == 200 else "grid")


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", 400), ("citizen", 403), ("town_staff", 403),
    ("county_staff", 403), ("grid_worker_a", 201),
])
def test_a_visit_outside_scope_or_role_is_refused(world, persona, expected):
    body = {"target_kind": "household", "target_id": world["household"], "record": "入户走访"}
    response = client_for(world, persona).post("/api/v1/grid/visits/", body)
    assert response.status_code == expected



@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", LOGIN), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("town_staff", 403),
    ("county_staff", 403), ("grid_worker_a", 403), ("admin", 302),
])
def test_an_incident_step_from_its_page_outside_scope_or_role_changes_nothing(world, persona, expected):
    url = f"/grid/incidents/{world['incident']}/act/register/"
    response = client_for(world, persona).post(url, {"expected_version": 1})
    assert status_of(response) == expected
    detail = client_for(world, "county_staff").get(f"/api/v1/grid/incidents/{world['incident']}").json()
    assert detail["status"] == ("registered" if expected == 302 else "reported")


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("grid_worker_b", NOT_FOUND), ("citizen", NOT_FOUND), ("county_staff", NOT_FOUND),
    ("grid_worker_a", 200),
])
def test_only_the_worker_stops_their_own_patrol(world, persona, expected):
    response = client_for(world, persona).post(f"/api/v1/grid/patrols/{world['patrol']}/stop", {},
                                               content_type="application/json")
    assert response.status_code == expected


@pytest.mark.django_db
def test_assistance_grants_and_payments_only_for_civil_affairs_of_the_scope(world, town):
    """A grant in grid A: civil affairs of village A and of the town see it and its PDF; village B's civil affairs,
    the window clerk and the supervisor get 404, grid A's village worker reads the grant but no payment list, grid B's
    worker nothing; payment lists 404 outside the village."""
    import datetime as dt

    from zhenwu.accounts.choices import Role
    from zhenwu.assistance.services.grants import grant_open
    from zhenwu.assistance.services.payments import payments_draw
    from zhenwu.assistance.services.rules import rules_seed
    from zhenwu.assistance.tests.calc.factories import assistance_file
    from zhenwu.testing import make_staff

    rules_seed(town_code=TOWN, effective_from=dt.date(2026, 1, 1))
    civil_a = make_staff("mz_a", roles=[Role.CIVIL_AFFAIRS], scope=town.village_a)
    civil_b = make_staff("mz_b", roles=[Role.CIVIL_AFFAIRS], scope=town.village_b)
    file = assistance_file(town.grid_a, status="dibao", members=[{}], incomes=["0"])
    grant = grant_open(actor=civil_a, file=file, kind="dibao", start=dt.date(2026, 1, 1))
    plist = payments_draw(actor=civil_a, village_code=town.village_a.code, month=dt.date(2026, 1, 1))
    urls = [f"/api/v1/assistance/grants/{grant.pk}", f"/api/v1/assistance/grants/{grant.pk}/decision.pdf",
            f"/assistance/grants/{grant.pk}/", f"/api/v1/assistance/payments/{plist.pk}",
            f"/assistance/payments/{plist.pk}/"]
    p = world["personas"]
    none, every = [NOT_FOUND] * len(urls), [OK] * len(urls)
    village_worker = [OK, OK, OK, NOT_FOUND, NOT_FOUND]  # grid A's village worker reads its files, not payment lists
    for user, expected in ((civil_a, every), (civil_b, none), (p.town_staff, none), (p.county_staff, none),
                           (p.grid_worker_a, village_worker), (p.grid_worker_b, none), (p.citizen, none)):
        client = Client()
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == expected, user.username


@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("citizen", NOT_FOUND), ("grid_worker_a", 403), ("town_staff", 403),
    ("county_staff", 403), ("admin", 400),  # the administrator may: refused only because the plan was drawn
])
def test_only_leaders_and_administrators_move_a_plan(world, persona, expected):
    from zhenwu.enforcement.models_inspection import InspectionPlan

    for step in ("issue", "publish", "close"):
        url = f"/api/v1/enforcement/inspections/plans/{world['plan']}/{step}"
        response = client_for(world, persona).post(url, {}, content_type="application/json")
        assert response.status_code == (expected if step != "close" or persona != "admin" else 200)
    assert InspectionPlan.objects.get(number=world["plan"]).status == ("closed" if persona == "admin" else "published")


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", API_DENIED), ("citizen", NOT_FOUND), ("grid_worker_a", 403), ("county_staff", 403),
])
def test_a_plan_is_made_only_by_leaders_and_administrators(world, persona, expected):
    body = {"title": "t", "area_code": TOWN, "items": [], "ratio": "5"}
    response = client_for(world, persona).post("/api/v1/enforcement/inspections/plans", body,
                                               content_type="application/json")
    assert response.status_code == expected
@pytest.mark.parametrize(("persona", "expected"), [
    ("anonymous", LOGIN), ("grid_worker_b", 403), ("citizen", NOT_FOUND), ("town_staff", 403),
    ("county_staff", 403), ("admin", 403),
])
def test_a_penalty_step_from_its_page_outside_scope_or_role_changes_nothing(world, persona, expected):
    url = f"/enforcement/cases/{world['penalty']}/act/approve_filing/"
    response = client_for(world, persona).post(url, {"opinion": "同意", "expected_version": 1})
    assert status_of(response) == expected
    for path in ("evidence/", "act/finish_investigation/"):
        client_for(world, persona).post(f"/enforcement/cases/{world['penalty']}/{path}", {"report": "终结"})
    detail = client_for(world, "admin").get(f"/api/v1/enforcement/cases/{world['penalty']}").json()
    assert detail["status"] == "registered" and detail["version"] == 1


@pytest.mark.django_db
def test_an_officer_of_another_area_gets_404_on_the_case_page(world, town):
    from zhenwu.areas.models import Area

    far = enforcement.officer("zf_far", Area.objects.get(code=GRID_B))
    client = Client()
    client.force_login(far.user)
    assert client.get(f"/enforcement/cases/{world['penalty']}/").status_code == NOT_FOUND
    response = client.post(f"/enforcement/cases/{world['penalty']}/act/finish_investigation/", {"report": "终结"})
    assert response.status_code == NOT_FOUND
    assert world["penalty"] not in client.get("/enforcement/cases/").content.decode()
