"""A warning → a home visit → the outcome "application opened": the task is a case for the village worker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhenwu.assistance.choices_warnings import WarningOutcome
from zhenwu.assistance.models import HomeVisit
from zhenwu.assistance.services.warnings import warning_visit, warnings_scan
from zhenwu.assistance.tests.warn.factories import person, settle
from zhenwu.casework.models import AuditEntry
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.testing import PNG

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)


def test_a_large_bill_becomes_a_task_the_village_worker_closes_with_an_application(clock, town, worker_a,
                                                                                     settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    someone = person(town.grid_a)
    settle(someone, TODAY - dt.timedelta(days=40), 3000)
    settle(someone, TODAY - dt.timedelta(days=3), 2500)
    [warning] = warnings_scan(as_of=TODAY)
    assert warning.amount == Decimal("5500.00") and warning.status_at == "dibao"
    case = warning.case
    assert case.kind == "YJ" and case.handler == worker_a and case.status == "open"
    assert case.deadline_due_at is not None and case.deadline_unit == "working_days"
    assert "王" not in case.title  # the supervision lists show the title: no name

    warning = warning_visit(actor=worker_a, warning=warning, record="家中一人住院，收入中断", photos=[("a.png", PNG)],
                            outcome=WarningOutcome.APPLICATION_OPENED, application_number="JZ-321181102-20250930-0001")
    assert warning.state == "closed" and warning.application_number == "JZ-321181102-20250930-0001"
    assert warning.case.status == "closed"
    visit = HomeVisit.objects.get(warning=warning)
    assert visit.record.startswith("家中") and len(visit.photos) == 1
    entry = AuditEntry.objects.filter(subject=case.number, action="visit").get()
    assert "家中" not in str(entry.data) and entry.attachments == visit.photos
    assert warnings_scan(as_of=TODAY) == []  # visited just now: quiet for ASSISTANCE_WARNING_QUIET_DAYS


def test_the_outcome_needs_its_link_and_nothing_is_half_written(clock, town, worker_a):
    someone = person(town.grid_a)
    settle(someone, TODAY, 6000)
    [warning] = warnings_scan(as_of=TODAY)
    for outcome, field in ((WarningOutcome.APPLICATION_OPENED, "application_number"),
                           (WarningOutcome.REFERRED, "referred_to"), ("maybe", "outcome")):
        with pytest.raises(FieldError) as exc:
            warning_visit(actor=worker_a, warning=warning, record="走访", outcome=outcome)
        assert exc.value.field == field
    with pytest.raises(FieldError) as exc:
        warning_visit(actor=worker_a, warning=warning, record="  ", outcome=WarningOutcome.NO_NEED)
    assert exc.value.field == "record"
    with pytest.raises(FieldError) as exc:
        warning_visit(actor=worker_a, warning=warning, record="走访", outcome=WarningOutcome.NO_NEED,
                      photos=[("a.pdf", b"%PDF-1.4 nothing")])
    assert exc.value.field == "photos.0"
    warning.refresh_from_db()
    assert warning.state == "open" and not HomeVisit.objects.exists()


def test_only_the_holder_of_the_grid_records_the_visit(clock, town, worker_a, civil, personas):
    someone = person(town.grid_a)
    settle(someone, TODAY, 6000)
    [warning] = warnings_scan(as_of=TODAY)
    with pytest.raises(NotFound):  # grid B's worker may not even see it
        warning_visit(actor=personas.grid_worker_b, warning=warning, record="x", outcome=WarningOutcome.NO_NEED)
    with pytest.raises(Forbidden):  # civil affairs see it, but the task is the village worker's
        warning_visit(actor=civil, warning=warning, record="x", outcome=WarningOutcome.NO_NEED)
    warning_visit(actor=worker_a, warning=warning, record="无需救助", outcome=WarningOutcome.NO_NEED)
    with pytest.raises(FieldError) as exc:
        warning_visit(actor=worker_a, warning=warning, record="again", outcome=WarningOutcome.NO_NEED)
    assert exc.value.field == "status"
