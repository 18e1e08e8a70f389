"""The checkpoint file verifies with the public key alone; it only ever grows; the key stays out of the DB."""

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhenwu.casework.models import AuditCheckpoint
from zhenwu.casework.services import audit_checkpoint, audit_maintenance, audit_record
from zhenwu.casework.services.checkpoints import CheckpointRecord
from zhenwu.casework.tests.audit_helpers import WRITER, rewrite_and_rehash, verify


@pytest.fixture
def chains(personas, make_case):
    case = make_case()
    audit_record(subject="registry.resident:7", actor=personas.town_staff, action="view_id_number")
    return case


def public_key_file(tmp_path, capsys):
    call_command("audit", "public-key")
    pem = capsys.readouterr().out
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    path = tmp_path / "zhenwu-audit.pub"
    path.write_text(pem)
    return path


@pytest.mark.django_db
def test_it_verifies_offline_with_the_public_key_only(chains, settings, tmp_path, capsys):
    audit_checkpoint()
    pub = public_key_file(tmp_path, capsys)
    copy = tmp_path / "copied.jsonl"
    copy.write_bytes(settings.AUDIT_CHECKPOINT_FILE.read_bytes())
    settings.AUDIT_KEY_FILE.unlink()  # the private key is not needed to verify
    code, out, _err = verify(capsys, "--checkpoints", str(copy), "--public-key", str(pub))
    assert code == 0 and "against 1 checkpoints" in out
    rewrite_and_rehash(chains.number, 1, reason="改过的")
    code, _out, err = verify(capsys, "--checkpoints", str(copy), "--public-key", str(pub))
    assert code == 1 and f"{chains.number}: entry #1" in err


@pytest.mark.django_db
def test_a_forged_checkpoint_line_fails_its_signature(chains, settings, tmp_path, capsys):
    audit_checkpoint()
    pub = public_key_file(tmp_path, capsys)
    line = json.loads(settings.AUDIT_CHECKPOINT_FILE.read_text())
    line["heads"] = [[s, q, "f" * 64] if s == chains.number else [s, q, h] for s, q, h in line["heads"]]
    forged = tmp_path / "forged.jsonl"
    forged.write_text(json.dumps(line) + "\n")
    code, _out, err = verify(capsys, "--checkpoints", str(forged), "--public-key", str(pub))
    assert code == 1 and "checkpoint #1: signature does not match its content" in err


@pytest.mark.django_db
def test_the_checkpoint_file_is_append_only_lines(chains, personas, settings):
    first, _ = audit_checkpoint()
    before = settings.AUDIT_CHECKPOINT_FILE.read_bytes()
    audit_record(subject="registry.resident:7", actor=personas.town_staff, action="view_mobile")
    audit_checkpoint()
    after = settings.AUDIT_CHECKPOINT_FILE.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 2
    one, two = (CheckpointRecord.from_line(t) for t in after.decode().splitlines())
    assert one == CheckpointRecord.from_row(first) and two.prev_digest == one.digest()
    assert two.heads == [["registry.resident:7", 2, two.heads[0][2]]]


@pytest.mark.django_db
def test_a_checkpoint_deleted_from_the_database_is_named(chains, personas, capsys):
    audit_checkpoint()
    audit_record(subject="registry.resident:7", actor=personas.town_staff, action="view_mobile")
    audit_checkpoint()
    with audit_maintenance(reason=WRITER):
        AuditCheckpoint.objects.filter(number=2).delete()
    code, _out, err = verify(capsys)
    assert code == 1 and "checkpoint #2: is in checkpoints.jsonl but not in the database" in err


@pytest.mark.django_db
def test_keygen_writes_a_private_file_and_never_overwrites_it(settings, capsys):
    call_command("audit", "keygen")
    assert stat.S_IMODE(settings.AUDIT_KEY_FILE.stat().st_mode) == 0o600
    assert "fingerprint" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already exists"):
        call_command("audit", "keygen")


@pytest.mark.django_db
def test_without_autocreate_a_missing_key_is_an_error_not_a_new_key(chains, settings):
    settings.AUDIT_KEY_AUTOCREATE = False
    with pytest.raises(CommandError, match="no checkpoint key .*zhenwu audit keygen"):
        call_command("audit", "checkpoint")
    assert not settings.AUDIT_KEY_FILE.exists() and not AuditCheckpoint.objects.exists()


@pytest.mark.django_db
def test_deleting_every_checkpoint_row_hides_nothing_while_the_file_is_there(chains, capsys):
    audit_checkpoint()
    rewrite_and_rehash(chains.number, 1, reason="改过的")
    with audit_maintenance(reason=WRITER):
        AuditCheckpoint.objects.all().delete()
    code, _out, err = verify(capsys)
    assert code == 1 and "checkpoint #1: is in checkpoints.jsonl but not in the database" in err
    assert f"{chains.number}: entry #1" in err and "changed after checkpoint #1" in err
