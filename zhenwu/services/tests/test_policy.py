"""Pages and services ask one policy (``services.policy``): a step's form or button shows exactly when the
service would take the step, and refuses (404 outside the scope, 403 without the role) when it would not."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.errors import FieldError
from zhenwu.registry.models import Enterprise
from zhenwu.services import policy
from zhenwu.services.models import SupervisionTask
from zhenwu.services.services import (
    application_accept,
    application_precheck,
    application_rate,
    application_review,
    rectification_verify,
    supervision_task_complete,
)
from zhenwu.services.tests.factories import make_item, online_app
from zhenwu.services.tests.supervision_factories import other_town_supervisor
from zhenwu.testing import GRID_A, VALID_USCC, make_staff

pytestmark = pytest.mark.django_db


class Undo(Exception):
    """Rolls back a service call that succeeded: the probe must leave the task as it was."""


def refusal(service, **kwargs) -> int | None:
    """The status the service refuses with, or None when it would take the step (then undone)."""
    try:
        with transaction.atomic():
            service(**kwargs)
            raise Undo
    except Undo:
        return None
    except FieldError as exc:
        return exc.status


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""


def grid_worker(town, which: str):
    return make_staff(f"gw_{which}", roles=[Role.GRID_WORKER], scope=getattr(town, f"grid_{which}"))


def decided(hall, app):
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    for actor, step in ((hall.reviewer, "first_review"), (hall.leader, "approval")):
        application_review(actor=actor, application=app, step=step, opinion="同意", approve=True)
    return app


def test_the_rectification_form_shows_exactly_when_the_service_verifies(hall, item, town):
    task = application_rate(actor=hall.citizen, application=decided(hall, online_app(hall)), level=1,
                            comment="等太久").rectification
    expected = {"clerk": None, "leader": None, "reviewer": 403, "village_a": 404, "other": 404,
                "grid_worker_a": 404, "citizen": 404}
    people = {"clerk": hall.clerk, "leader": hall.leader, "reviewer": hall.reviewer, "village_a": hall.village_a,
              "other": other_town_supervisor(town), "grid_worker_a": grid_worker(town, "a"),
              "citizen": hall.citizen}
    for who, user in people.items():
        status = refusal(rectification_verify, actor=user, task=task, finding="属实")
        shown = 'name="finding"' in page(user, f"/services/rectifications/{task.pk}/")
        allowed = policy.may(user, "rectification_verify", area_code=task.area_code)
        assert (status, shown, allowed) == (expected[who], expected[who] is None, expected[who] is None), who
    task.refresh_from_db()
    assert task.status == "open"


def test_the_done_button_shows_exactly_when_the_service_completes(hall, town):
    make_item("320000-CJ-0009", name="店招店牌设置许可", department="城建", supervision=True,
              applicant="enterprise", chain=["approval"])
    Enterprise.objects.create(uscc=VALID_USCC, name="测试有限公司", legal_representative="张三",
                              address="东山路1号", grid=town.grid_a, area_code=GRID_A)
    app = online_app(hall, code="320000-CJ-0009", actor=hall.enterprise)
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    task = SupervisionTask.objects.get(application=app)
    done = f"/services/supervision-tasks/{task.pk}/done/"
    expected = {"officer_a": None, "leader": None, "grid_worker_a": None, "grid_worker_b": 404, "clerk": 403,
                "citizen": 404}
    people = {"officer_a": hall.officer_a, "leader": hall.leader, "grid_worker_a": grid_worker(town, "a"),
              "grid_worker_b": grid_worker(town, "b"), "clerk": hall.clerk, "citizen": hall.citizen}
    for who, user in people.items():
        status = refusal(supervision_task_complete, actor=user, task=task, note_text="已核查")
        shown = done in page(user, "/services/supervision-tasks/")
        allowed = policy.may(user, "supervision_task_complete", area_code=task.area_code)
        assert (status, shown, allowed) == (expected[who], expected[who] is None, expected[who] is None), who
    task.refresh_from_db()
    assert task.status == "open"


def test_roles_are_role_members():
    for roles in (*policy.PAGE_ROLES.values(), *policy.ACTION_ROLES.values()):
        assert roles and all(isinstance(role, Role) for role in roles)
