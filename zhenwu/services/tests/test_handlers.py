"""首问负责, A/B角 stand-ins, reassignment, withdrawal and the lost race of two reviewers."""

import datetime as dt

import pytest
from django.utils import timezone

from zhenwu.casework.models import AuditEntry
from zhenwu.errors import Conflict, FieldError, Forbidden
from zhenwu.services.models import Application
from zhenwu.services.services import (
    application_accept,
    application_reassign,
    application_review,
    application_withdraw,
    stand_in_set,
)
from zhenwu.services.tests.factories import online_app, window_app

pytestmark = pytest.mark.django_db


def _accepted(hall):
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    return app


def test_a_stand_in_acts_for_an_absent_handler_and_it_is_recorded(hall, item):
    app = _accepted(hall)
    application_reassign(actor=hall.clerk, application=app, handler=hall.reviewer)
    with pytest.raises(Forbidden):
        application_review(actor=hall.reviewer2, application=app, step="first_review", opinion="可", approve=True)
    now = timezone.now()
    stand_in_set(actor=hall.reviewer, user=hall.reviewer, stand_in=hall.reviewer2,
                 starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(days=3))
    application_review(actor=hall.reviewer2, application=app, step="first_review", opinion="可", approve=True)
    entry = AuditEntry.objects.get(subject=app.case.number, action="forward_first_review")
    assert entry.data and entry.data["stand_in_for"]["id"] == hall.reviewer.pk and entry.actor_id == hall.reviewer2.pk


def test_it_rejects_a_handler_without_the_step_role(hall, item):
    app = _accepted(hall)
    with pytest.raises(FieldError) as err:
        application_reassign(actor=hall.clerk, application=app, handler=hall.leader)
    assert err.value.field == "handler"


def test_the_accepting_clerk_stays_the_contact_and_hands_out(hall, item):
    app = _accepted(hall)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    assert app.first_contact == hall.clerk and app.handler == hall.clerk


def test_the_applicant_withdraws_before_a_decision(hall, item):
    app = online_app(hall)
    application_withdraw(actor=hall.citizen, application=app, reason="不需要了")
    assert app.case.status == "withdrawn"
    entry = AuditEntry.objects.get(subject=app.case.number, action="withdraw")
    assert entry.data == {"by_applicant": True} and entry.actor_id == hall.citizen.pk


def test_it_refuses_withdrawal_after_the_decision(hall, item):
    app = online_app(hall)
    app.case.status = "finished"
    app.case.save(update_fields=["status"])
    with pytest.raises(FieldError) as err:
        application_withdraw(actor=hall.citizen, application=app)
    assert err.value.field == "action"


def test_two_reviewers_approving_at_once_one_gets_409(hall, item):
    app = _accepted(hall)
    load = Application.objects.select_related("case")  # each reviewer loaded the case before either acted
    first, second = load.get(pk=app.pk), load.get(pk=app.pk)
    application_review(actor=hall.reviewer, application=first, step="first_review", opinion="可", approve=True)
    with pytest.raises(Conflict):
        application_review(actor=hall.reviewer2, application=second, step="first_review", opinion="可",
                           approve=True)
    assert AuditEntry.objects.filter(subject=app.case.number, action="forward_first_review").count() == 1


def test_a_case_reassigned_after_the_page_loaded_answers_to_its_new_holder(hall, item):
    """The handler lives on the kernel's case: a reassignment made after someone loaded the application
    (it adds no version) still decides who may act."""
    app = _accepted(hall)
    application_reassign(actor=hall.clerk, application=app, handler=hall.reviewer)
    stale = Application.objects.select_related("case__handler").get(pk=app.pk)
    application_reassign(actor=hall.clerk, application=app, handler=hall.reviewer2)
    with pytest.raises(Forbidden):
        application_review(actor=hall.reviewer, application=stale, step="first_review", opinion="可", approve=True)
    stale.case.refresh_from_db()
    assert (stale.case.status, stale.case.handler_id) == ("first_review", hall.reviewer2.pk)
