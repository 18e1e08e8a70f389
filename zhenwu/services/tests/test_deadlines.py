"""The promised deadline: started at 受理, across the 2025 National Day holiday, paused by 补正."""

import pytest
from django.utils import timezone

from zhenwu.casework.models import OutboxMessage
from zhenwu.services.services import (
    application_accept,
    application_request_supplement,
    application_special_pause,
    application_special_resume,
    application_supply,
)
from zhenwu.services.tests.factories import online_app, upload, window_app
from zhenwu.testing import local

pytestmark = pytest.mark.django_db


def due(app):
    return timezone.localtime(app.case.deadline_due_at).date().isoformat()


def test_the_deadline_starts_at_acceptance_and_skips_the_national_day_holiday(hall, item, clock):
    app = window_app(hall)
    assert app.case.deadline_due_at is None
    application_accept(actor=hall.clerk, application=app)
    assert due(app) == "2025-10-11"


def test_a_supplement_pauses_the_clock_and_extends_the_deadline(hall, item, clock):
    app = window_app(hall)
    clock.now = local(2025, 11, 3, 9)  # Monday
    application_accept(actor=hall.clerk, application=app)
    assert due(app) == "2025-11-06"
    application_request_supplement(actor=hall.reviewer, application=app, missing=["照片", "户口簿"])
    assert app.case.status == "supplement" and app.case.paused_at is not None
    sms = OutboxMessage.objects.filter(body__contains="照片").get()
    assert "户口簿" in sms.body
    clock.now = local(2025, 11, 5, 9)  # two working days later
    application_supply(actor=hall.clerk, application=app,
                       materials=[{"name": "照片"}, {"name": "户口簿"}])
    app.refresh_from_db()
    assert app.case.status == "first_review" and app.case.paused_at is None
    assert due(app) == "2025-11-10"
    assert [m["provided"] for m in app.materials] == [True, True, True]


def test_a_citizen_answers_a_supplement_online_before_acceptance(hall, item):
    app = online_app(hall)
    application_request_supplement(actor=hall.clerk, application=app, missing=["照片"])
    supplied = [{"name": "照片", "attachments": [upload(hall.citizen)]}]
    application_supply(actor=hall.citizen, application=app, materials=supplied)
    assert app.case.status == "precheck"


def test_a_special_procedure_pauses_and_resumes(hall, item, clock):
    app = window_app(hall)
    clock.now = local(2025, 11, 3, 9)
    application_accept(actor=hall.clerk, application=app)
    application_special_pause(actor=hall.reviewer, application=app, reason="现场勘验")
    assert app.case.status == "special" and app.pause_reason == "现场勘验"
    clock.now = local(2025, 11, 4, 9)
    application_special_resume(actor=hall.reviewer, application=app)
    assert app.case.status == "first_review"
    assert due(app) == "2025-11-07"
