"""Every timed task is a case: 差评整改 (ZG) and 审管联动 (SG) tasks move their own cases, which the kernel's
deadline supervision sees like any other."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.casework.kinds import case_kind, case_pillar, case_url
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.services import audit_verify
from zhenwu.casework.supervision import overdue_list
from zhenwu.registry.models import Enterprise
from zhenwu.services.models import SupervisionTask
from zhenwu.services.services import (
    application_accept,
    application_precheck,
    application_rate,
    application_review,
    rectification_answer,
    rectification_callback,
    rectification_verify,
    supervision_task_complete,
)
from zhenwu.services.tests.factories import make_item, online_app
from zhenwu.testing import GRID_A, PASSWORD, VALID_USCC, local, make_staff

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services"


def _finish(hall, app):
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    return app


def _bad_rating(hall, clock):
    app = _finish(hall, online_app(hall))
    clock.now = local(2025, 9, 30, 15)
    return application_rate(actor=hall.citizen, application=app, level=1, comment="等太久").rectification


def _supervisor(town):
    return make_staff("sup1", roles=[Role.SUPERVISOR], scope=town.town)


def test_a_rectification_task_lives_as_a_case_with_its_deadlines_and_audit_chain(hall, item, clock):
    task = _bad_rating(hall, clock)
    case = task.case
    assert case.number.startswith("ZG-") and case.status == "open" and case.version == 1
    kind = case_kind(case)
    assert kind is not None and kind.code == "ZG" and case_pillar(case) == task
    assert case_url(case) == f"/services/rectifications/{task.pk}/"
    assert case.area_code == task.area_code and case.created_by == hall.citizen
    assert case.deadline_due_at == task.verify_due_at  # 核实 within one working day

    clock.now = local(2025, 10, 9, 9)
    task = rectification_verify(actor=hall.clerk, task=task, finding="排队时间过长属实")
    assert (task.case.status, task.case.version) == ("verified", 2)
    assert task.case.deadline_due_at == task.rectify_due_at  # then the rectification's own due day
    task = rectification_answer(actor=hall.clerk, task=task, reply="已增设窗口")
    assert task.case.status == "answered" and task.case.deadline_stopped_at is not None
    assert task.case.light != "red"  # answered on time
    task = rectification_callback(actor=hall.clerk, task=task, record="电话回访，群众表示满意")
    task.case.refresh_from_db()
    assert (task.status, task.case.status, task.case.version) == ("closed", "closed", 4)

    trail = list(AuditEntry.objects.filter(subject=task.case.number).order_by("seq")
                 .values_list("action", "to_state", "reason"))
    assert trail == [("create", "open", "等太久"), ("verify", "verified", "排队时间过长属实"),
                     ("answer", "answered", "已增设窗口"), ("callback", "closed", "电话回访，群众表示满意")]
    _count, problems = audit_verify()
    assert problems == []


def test_a_late_rectification_is_in_the_kernels_overdue_list(hall, item, clock, town):
    task = _bad_rating(hall, clock)
    supervisor = _supervisor(town)
    assert task.case not in overdue_list(user=supervisor, now=clock.now)
    late = task.verify_due_at + dt.timedelta(hours=1)
    assert list(overdue_list(user=supervisor, kind="ZG", now=late)) == [task.case]
    clock.now = late
    task = rectification_verify(actor=hall.clerk, task=task, finding="属实")  # verified late: 15 days again
    assert task.case not in overdue_list(user=supervisor, now=late)
    assert list(overdue_list(user=supervisor, kind="ZG", now=task.rectify_due_at + dt.timedelta(minutes=1))) \
        == [task.case]


def test_a_stale_step_is_a_conflict_and_changes_nothing(hall, item, clock):
    task = _bad_rating(hall, clock)
    c = Client()
    assert c.login(username=hall.clerk.username, password=PASSWORD)
    seen = c.get(f"{BASE}/rectifications").json()[0]
    assert (seen["case_number"], seen["version"]) == (task.case.number, 1)
    done = c.post(f"{BASE}/rectifications/{task.pk}/verify", {"text": "属实", "version": 1},
                  content_type="application/json")
    assert done.status_code == 200 and done.json()["version"] == 2
    # a second clerk's page still shows version 1: its next step is refused, the task and case unchanged
    stale = c.post(f"{BASE}/rectifications/{task.pk}/answer", {"text": "已整改", "version": 1},
                   content_type="application/json")
    assert stale.status_code == 409
    task.refresh_from_db()
    task.case.refresh_from_db()
    assert (task.status, task.reply, task.case.status, task.case.version) == ("verified", "", "verified", 2)
    ok = c.post(f"{BASE}/rectifications/{task.pk}/answer", {"text": "已整改", "version": 2},
                content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "answered"


def test_the_generic_transition_endpoint_refuses_task_cases(hall, item, clock, town):
    task = _bad_rating(hall, clock)
    c = Client()
    assert c.login(username=hall.clerk.username, password=PASSWORD)
    r = c.post(f"/api/v1/casework/cases/{task.case.number}/transitions", {"action": "verify",
               "fields": {"finding": "x"}}, content_type="application/json")
    assert r.status_code == 403
    task.case.refresh_from_db()
    assert task.case.status == "open"


def test_a_supervision_task_is_a_case_in_the_applicants_grid(hall, town, clock, settings):
    make_item("320000-CJ-0009", name="店招店牌设置许可", department="城建", supervision=True,
              applicant="enterprise", chain=["approval"])
    Enterprise.objects.create(uscc=VALID_USCC, name="测试有限公司", legal_representative="张三",
                              address="东山路1号", grid=town.grid_a, area_code=GRID_A)
    app = online_app(hall, code="320000-CJ-0009", actor=hall.enterprise)
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    task = SupervisionTask.objects.select_related("case").get(application=app)
    assert task.case.number.startswith("SG-") and task.case.area_code == GRID_A == task.area_code
    assert task.case.status == "open" and task.case.deadline_limit == settings.SERVICES_SUPERVISION_TASK_DAYS
    supervisor, due = _supervisor(town), task.case.deadline_due_at
    assert due is not None
    assert list(overdue_list(user=supervisor, kind="SG", now=due + dt.timedelta(hours=1))) == [task.case]
    task = supervision_task_complete(actor=hall.officer_a, task=task, note_text="现场核查，已按许可设置")
    assert (task.status, task.case.status) == ("done", "done") and task.case.deadline_stopped_at is not None
    assert timezone.now() <= due
    _count, problems = audit_verify()
    assert problems == []
