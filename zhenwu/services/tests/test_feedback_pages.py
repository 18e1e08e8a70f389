"""The pages of 好差评 rectification tasks and 审管联动 supervision tasks."""

import pytest
from django.test import Client

from zhenwu.registry.models import Enterprise
from zhenwu.services.models import RectificationTask, SupervisionTask
from zhenwu.services.services import (
    application_accept,
    application_precheck,
    application_rate,
    application_review,
)
from zhenwu.services.tests.factories import make_item, online_app
from zhenwu.services.tests.supervision_factories import other_town_supervisor
from zhenwu.testing import GRID_A, VALID_USCC

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def finished(hall, app):
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    for actor, step in ((hall.reviewer, "first_review"), (hall.leader, "approval")):
        application_review(actor=actor, application=app, step=step, opinion="同意", approve=True)
    return app


@pytest.fixture
def task(hall, item):
    app = finished(hall, online_app(hall))
    return application_rate(actor=hall.citizen, application=app, level=1, comment="等太久").rectification


def test_a_clerk_takes_the_task_through_verify_answer_and_call_back(hall, task):
    clerk = login(hall.clerk)
    assert f"/services/rectifications/{task.pk}/" in clerk.get("/services/rectifications/").content.decode()
    url = f"/services/rectifications/{task.pk}/step/"
    for field, text, status in (("finding", "排队时间过长属实", "verified"), ("reply", "已增设窗口", "answered"),
                                ("record", "电话回访，群众表示满意", "closed")):
        assert clerk.post(url, {field: text}).status_code == 302
        assert RectificationTask.objects.get(pk=task.pk).status == status
    assert clerk.post(url, {"record": "again"}).status_code == 409


def test_an_empty_step_shows_the_page_again_and_changes_nothing(hall, task):
    response = login(hall.clerk).post(f"/services/rectifications/{task.pk}/step/", {"finding": "  "})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert RectificationTask.objects.get(pk=task.pk).status == "open"


def test_other_towns_and_citizens_do_not_find_the_task(hall, task, town):
    for user in (other_town_supervisor(town), hall.citizen):
        assert login(user).get(f"/services/rectifications/{task.pk}/").status_code == 404
        assert login(user).post(f"/services/rectifications/{task.pk}/step/", {"finding": "x"}).status_code == 404
    assert RectificationTask.objects.get(pk=task.pk).status == "open"


def test_the_grid_officer_closes_a_supervision_task_from_the_list(hall, town):
    make_item("320000-CJ-0009", name="店招店牌设置许可", department="城建", supervision=True,
              applicant="enterprise", chain=["approval"])
    Enterprise.objects.create(uscc=VALID_USCC, name="测试有限公司", legal_representative="张三",
                              address="东山路1号", grid=town.grid_a, area_code=GRID_A)
    app = online_app(hall, code="320000-CJ-0009", actor=hall.enterprise)
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    officer = login(hall.officer_a)
    assert app.case.number in officer.get("/services/supervision-tasks/").content.decode()
    done = f"/services/supervision-tasks/{SupervisionTask.objects.get(application=app).pk}/done/"
    officer.post(done, {"note": ""})
    assert SupervisionTask.objects.get(application=app).status == "open"
    officer.post(done, {"note": "现场核查，已按许可设置"})
    assert SupervisionTask.objects.get(application=app).status == "done"
