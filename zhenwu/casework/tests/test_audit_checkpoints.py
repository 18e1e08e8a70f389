"""A writer who recomputes hashes or deletes a chain's tail is caught by the signed checkpoints."""

import pytest
from django.core.management import call_command

from zhenwu.casework.models import AuditEntry, Case
from zhenwu.casework.services import audit_checkpoint, audit_record, transition
from zhenwu.casework.tests.audit_helpers import delete_entries, rewrite_and_rehash, verify


@pytest.fixture
def history(personas, make_case):
    case = make_case()
    transition(actor=personas.town_staff, case=case, action="accept", reason="材料齐全")
    audit_record(subject="registry.resident:42", actor=personas.town_staff, action="view_id_number")
    transition(actor=personas.town_staff, case=case, action="close", fields={"opinion": "已修复"})
    return case


@pytest.mark.django_db
def test_a_rewritten_and_rehashed_entry_is_named_after_a_checkpoint(history, capsys):
    rewrite_and_rehash(history.number, 2, reason="材料不齐")
    assert verify(capsys)[0] == 0  # the chain alone cannot tell: this is what checkpoints are for
    call_command("audit", "checkpoint")
    capsys.readouterr()
    rewrite_and_rehash(history.number, 2, reason="改过的")
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"{history.number}: entry #3" in err and "changed after checkpoint #1: one of entries #1–#3" in err
    assert "registry.resident:42" not in err


@pytest.mark.django_db
def test_a_deleted_last_transition_with_the_case_rolled_back_is_named(history, capsys):
    audit_checkpoint()
    last = AuditEntry.objects.get(subject=history.number, seq=2)
    delete_entries(subject=history.number, seq=3)
    Case.objects.filter(pk=history.pk).update(status=last.to_state, version=2, deadline_stopped_at=None)
    code, _out, err = verify(capsys)
    assert code == 1
    assert f"{history.number}: entry #3: deleted after checkpoint #1" in err
    assert "the chain now ends at entry #2" in err and "mismatch" not in err


@pytest.mark.django_db
def test_a_deleted_chain_is_named_missing(history, capsys):
    audit_checkpoint()
    delete_entries(subject="registry.resident:42")
    code, _out, err = verify(capsys)
    assert code == 1 and "registry.resident:42: entry #1: chain missing: checkpoint #1 recorded it" in err


@pytest.mark.django_db
def test_later_checkpoints_hold_only_moved_heads_and_never_bless_a_rewrite(history, personas, capsys):
    first, _ = audit_checkpoint()
    assert first.chains == 2 and sorted(h[0] for h in first.heads) == sorted([history.number,
                                                                               "registry.resident:42"])
    audit_record(subject="registry.resident:42", actor=personas.town_staff, action="view_mobile")
    rewrite_and_rehash(history.number, 3, reason="改过的")
    second, problems = audit_checkpoint()
    assert [h[:2] for h in second.heads] == [["registry.resident:42", 2]] and problems == []
    code, _out, err = verify(capsys)
    assert code == 1 and f"{history.number}: entry #3" in err and "checkpoint #1" in err


@pytest.mark.django_db
def test_an_untouched_database_verifies_against_its_checkpoints(history, capsys):
    audit_checkpoint()
    audit_checkpoint()
    code, out, _err = verify(capsys)
    assert code == 0 and out.startswith("verified 4 entries against 2 checkpoints (latest #2")


@pytest.mark.django_db
def test_celery_beat_signs_a_checkpoint_at_least_daily(history, settings):
    from zhenwu.casework.models import AuditCheckpoint
    from zhenwu.casework.tasks import audit_checkpoint as task

    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == task.name and entry["schedule"] <= 86400
    assert task.delay().get() == {"number": 1, "chains": 2, "problems": 0}
    assert AuditCheckpoint.objects.get().heads and settings.AUDIT_CHECKPOINT_FILE.exists()
