"""Automatic 催办 from the kernel's tick: one SMS at yellow, one at red, never twice; settings switch it off."""

import pytest

from zhenwu.casework.models import CaseUrge, OutboxMessage
from zhenwu.casework.services import tick
from zhenwu.services.services import application_accept
from zhenwu.services.tests.factories import window_app
from zhenwu.testing import local

pytestmark = pytest.mark.django_db


def urges():
    return list(OutboxMessage.objects.filter(payload__urge__isnull=False).order_by("pk")
                .values_list("recipient", "payload"))


@pytest.fixture
def accepted(hall, item, clock):
    clock.now = local(2026, 3, 2, 9)  # Monday; promised 3 working days → due Thu 5 March
    hall.clerk.mobile = "13600001234"
    hall.clerk.save(update_fields=["mobile"])
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    return app


def test_it_sends_one_reminder_at_yellow_and_one_at_red_and_never_twice(accepted, clock):
    number = accepted.case.number
    tick()
    assert urges() == []  # still green
    clock.now = local(2026, 3, 5, 9)
    tick()
    tick()
    assert urges() == [("13600001234", {"case": number, "urge": "yellow"})]
    clock.now = local(2026, 3, 6, 9)
    assert tick()["services_urges"] == 1
    assert tick()["services_urges"] == 0
    assert [p["urge"] for _r, p in urges()] == ["yellow", "red"]
    assert CaseUrge.objects.filter(case=accepted.case).count() == 2


def test_a_case_that_jumps_to_red_gets_only_the_red_reminder(accepted, clock):
    clock.now = local(2026, 3, 10, 9)
    tick()
    assert [p["urge"] for _r, p in urges()] == ["red"]


def test_settings_switch_the_reminders_off(accepted, clock, settings):
    settings.SERVICES_URGE_YELLOW = settings.SERVICES_URGE_RED = False
    clock.now = local(2026, 3, 10, 9)
    tick()
    assert urges() == [] and not CaseUrge.objects.exists()


def test_finished_cases_are_not_urged(accepted, clock, hall):
    from zhenwu.casework.models import Case

    Case.objects.filter(pk=accepted.case_id).update(status="finished", deadline_stopped_at=clock.now)
    clock.now = local(2026, 3, 10, 9)
    tick()
    assert urges() == []
