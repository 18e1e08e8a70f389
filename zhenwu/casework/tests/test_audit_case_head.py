"""Verify compares each live case with its chain's last entry: status, version and deadline, by name."""

import datetime as dt

import pytest
from django.db.models import F

from zhenwu.casework.models import AuditEntry, Case
from zhenwu.casework.services import transition
from zhenwu.casework.tests.audit_helpers import verify


@pytest.fixture
def accepted(personas, make_case):
    case = make_case()
    return transition(actor=personas.town_staff, case=case, action="accept")


@pytest.mark.django_db
def test_each_case_entry_records_the_deadline_after_its_step(accepted):
    recorded = AuditEntry.objects.filter(subject=accepted.number).latest("seq").deadline or {}
    assert recorded["deadline_unit"] == "hours" and recorded["deadline_limit"] == 48
    due = dt.datetime.fromisoformat(recorded["deadline_due_at"])
    assert due == Case.objects.get(pk=accepted.pk).deadline_due_at


@pytest.mark.django_db
def test_a_deadline_moved_by_hand_is_named(accepted, capsys):
    Case.objects.filter(pk=accepted.pk).update(deadline_due_at=F("deadline_due_at") + dt.timedelta(days=5))
    code, _out, err = verify(capsys)
    assert code == 1 and f"{accepted.number}: entry #2" in err
    assert "deadline mismatch: deadline_due_at is " in err and "the chain recorded " in err
    assert "deadline_limit" not in err


@pytest.mark.django_db
def test_a_status_changed_by_hand_is_a_status_mismatch(accepted, capsys):
    Case.objects.filter(pk=accepted.pk).update(status="closed")
    code, _out, err = verify(capsys)
    assert code == 1
    assert "status mismatch: the case is 'closed' but its last change leads to 'handling'" in err
    assert "deleted" not in err and "version" not in err


@pytest.mark.django_db
def test_a_version_changed_by_hand_is_a_version_mismatch(accepted, capsys):
    Case.objects.filter(pk=accepted.pk).update(version=5)
    code, _out, err = verify(capsys)
    assert code == 1 and "version mismatch: the case is at version 5 but its chain has 2 state changes" in err


@pytest.mark.django_db
def test_entries_from_before_the_deadline_was_chained_still_verify(accepted, capsys):
    """An entry without a recorded deadline hashes as it always did, and its case's deadline is not compared."""
    from zhenwu.casework.services import audit_maintenance
    from zhenwu.casework.services.audit import entry_hash
    from zhenwu.casework.tests.audit_helpers import WRITER

    entries = list(AuditEntry.objects.filter(subject=accepted.number).order_by("seq"))
    prev = entries[0].prev_hash
    for e in entries:
        e.deadline, e.prev_hash = None, prev
        e.hash = prev = entry_hash(e)
    with audit_maintenance(reason=WRITER):
        AuditEntry.objects.bulk_update(entries, ["deadline", "prev_hash", "hash"])
    Case.objects.filter(pk=accepted.pk).update(deadline_due_at=F("deadline_due_at") + dt.timedelta(days=5))
    assert verify(capsys)[0] == 0
