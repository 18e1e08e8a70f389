import pytest
from django.core.management import call_command

from zhenwu.casework.models import AuditEntry
from zhenwu.casework.services import audit_maintenance, audit_record, transition
from zhenwu.casework.tests.audit_helpers import WRITER, delete_entries


@pytest.fixture
def history(personas, make_case):
    case = make_case()
    transition(actor=personas.town_staff, case=case, action="accept", reason="材料齐全", request_id="req-1")
    audit_record(subject="registry.resident:42", actor=personas.town_staff, action="view_id_number")
    audit_record(subject="registry.resident:42", actor=personas.town_staff, action="view_mobile")
    transition(actor=personas.town_staff, case=case, action="close", fields={"opinion": "已修复"})
    return case


def verify(capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", "verify")
    return exit_.value.code, capsys.readouterr()


@pytest.mark.django_db
def test_it_chains_entries_per_subject_and_verifies(history, capsys):
    entries = list(AuditEntry.objects.filter(subject=history.number).order_by("seq"))
    assert [e.action for e in entries] == ["create", "accept", "close"]
    assert entries[1].prev_hash == entries[0].hash and entries[1].request_id == "req-1"
    call_command("audit", "verify")
    assert capsys.readouterr().out.strip() == "verified 5 entries"


@pytest.mark.django_db
def test_a_changed_row_fails_verification_naming_it(history, capsys):
    with audit_maintenance(reason=WRITER):  # on PostgreSQL the trigger refuses it otherwise
        AuditEntry.objects.filter(subject=history.number, seq=2).update(reason="改过的")
    code, out = verify(capsys)
    assert code == 1 and f"{history.number}: entry #2" in out.err


@pytest.mark.django_db
def test_a_deleted_middle_row_fails_verification(history, capsys):
    delete_entries(subject="registry.resident:42", seq=1)
    code, out = verify(capsys)
    assert code == 1 and "registry.resident:42: entry #2" in out.err


@pytest.mark.django_db
def test_a_deleted_last_transition_fails_verification(history, capsys):
    delete_entries(subject=history.number, seq=3)
    code, out = verify(capsys)
    assert code == 1 and history.number in out.err
