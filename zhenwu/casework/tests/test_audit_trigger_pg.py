"""On PostgreSQL the audit tables refuse UPDATE and DELETE unless maintenance is lifted for one transaction.

Skipped on SQLite (the root conftest says: "needs PostgreSQL: set DATABASE_URL"); the migration's
trigger is PostgreSQL-only.
"""

import pytest
from django.db import DatabaseError, transaction

from zhenwu.casework.models import AuditCheckpoint, AuditEntry
from zhenwu.casework.services import audit_checkpoint, audit_maintenance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def refused(action) -> str:
    with pytest.raises(DatabaseError) as exc, transaction.atomic():
        action()
    return str(exc.value)


def test_the_audit_table_refuses_update_and_delete(make_case):
    case = make_case()
    entries = AuditEntry.objects.filter(subject=case.number)
    assert "append-only" in refused(lambda: entries.update(reason="改过的"))
    assert "DELETE on casework_auditentry refused" in refused(lambda: entries.delete())
    assert entries.get().reason == ""


def test_checkpoints_are_append_only_too(make_case):
    make_case()
    audit_checkpoint()
    assert "append-only" in refused(lambda: AuditCheckpoint.objects.update(signature="00"))
    assert "append-only" in refused(lambda: AuditCheckpoint.objects.all().delete())


def test_maintenance_lifts_the_refusal_for_its_own_block_only(make_case):
    case = make_case()
    with transaction.atomic():
        with audit_maintenance(reason="test: the demo reset"):
            AuditEntry.objects.filter(subject=case.number).update(reason="维护")
        assert "append-only" in refused(lambda: AuditEntry.objects.filter(subject=case.number).delete())
    assert AuditEntry.objects.get(subject=case.number).reason == "维护"
