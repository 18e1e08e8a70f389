"""好差评 once after 办结, rectification deadlines, 审管联动 supervision tasks."""

import pytest
from django.utils import timezone

from zhenwu.errors import Conflict, FieldError
from zhenwu.registry.models import Enterprise
from zhenwu.services.models import RectificationTask, SupervisionTask
from zhenwu.services.services import (
    application_accept,
    application_rate,
    application_review,
    rectification_answer,
    rectification_callback,
    rectification_verify,
    supervision_task_complete,
)
from zhenwu.services.tests.factories import make_item, online_app
from zhenwu.testing import GRID_A, VALID_USCC, local

pytestmark = pytest.mark.django_db


def _finish(hall, app):
    application_precheck = __import__("zhenwu.services.services", fromlist=["x"]).application_precheck
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    return app


def test_a_citizen_rates_once_after_the_case_is_finished(hall, item):
    app = online_app(hall)
    with pytest.raises(FieldError):
        application_rate(actor=hall.citizen, application=app, level=5)
    _finish(hall, app)
    rating = application_rate(actor=hall.citizen, application=app, level=5, comment="很快")
    assert (rating.channel, rating.level) == ("online", 5)
    with pytest.raises(Conflict) as err:
        application_rate(actor=hall.citizen, application=app, level=4)
    assert err.value.status == 409
    assert not RectificationTask.objects.exists()


def test_a_bad_rating_opens_a_rectification_task_with_its_deadlines(hall, item, clock):
    app = _finish(hall, online_app(hall))
    clock.now = local(2025, 9, 30, 15)
    rating = application_rate(actor=hall.citizen, application=app, level=1, comment="等太久")
    task = rating.rectification
    assert timezone.localtime(task.verify_due_at).date().isoformat() == "2025-10-09"
    assert timezone.localtime(task.rectify_due_at).date().isoformat() == "2025-10-28"
    rectification_verify(actor=hall.clerk, task=task, finding="排队时间过长属实")
    rectification_answer(actor=hall.clerk, task=task, reply="已增设窗口")
    task = rectification_callback(actor=hall.clerk, task=task, record="电话回访，群众表示满意")
    assert task.status == "closed"
    with pytest.raises(FieldError):
        rectification_verify(actor=hall.clerk, task=task, finding="again")


def test_approving_a_supervised_item_opens_a_task_for_the_applicants_grid(hall, town):
    make_item("320000-CJ-0009", name="店招店牌设置许可", department="城建", supervision=True,
              applicant="enterprise", chain=["approval"])
    Enterprise.objects.create(uscc=VALID_USCC, name="测试有限公司", legal_representative="张三",
                              address="东山路1号", grid=town.grid_a, area_code=GRID_A)
    app = online_app(hall, code="320000-CJ-0009", actor=hall.enterprise)
    __import__("zhenwu.services.services", fromlist=["x"]).application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    task = SupervisionTask.objects.get(application=app)
    assert task.area_code == GRID_A
    supervision_task_complete(actor=hall.officer_a, task=task, note_text="现场核查，已按许可设置")
    task.refresh_from_db()
    assert task.status == "done"


def test_a_denial_opens_no_supervision_task(hall, town):
    make_item("320000-CJ-0010", supervision=True, chain=["approval"])
    app = online_app(hall, code="320000-CJ-0010")
    __import__("zhenwu.services.services", fromlist=["x"]).application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    with pytest.raises(FieldError) as err:
        application_review(actor=hall.leader, application=app, step="approval", opinion=" ", approve=False)
    assert err.value.field == "opinion"
    application_review(actor=hall.leader, application=app, step="approval", opinion="不符合条件", approve=False)
    assert app.case.status == "denied" and not SupervisionTask.objects.exists()
