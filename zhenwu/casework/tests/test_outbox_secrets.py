"""One-time codes never sit in clear: the outbox row keeps a masked body and a sealed code, erased after sending."""

from __future__ import annotations

import logging

import pytest

from zhenwu.accounts.masking import MaskingFormatter
from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.sealing import seal
from zhenwu.casework.services import notification_enqueue, outbox_deliver_due
from zhenwu.casework.sms import FAKE_GATEWAY, ConsoleBackend, Sms
from zhenwu.testing import sms_code_for


@pytest.mark.django_db
def test_a_login_code_is_masked_in_the_row_and_the_admin(client, personas):
    client.post("/api/v1/accounts/otp/request", {"mobile": "13512342210"}, content_type="application/json")
    row = OutboxMessage.objects.get()
    code = sms_code_for("13512342210")  # the SMS itself carries the code
    assert "******" in row.body and code not in row.body and code not in row.sealed_secret
    client.force_login(personas.admin)
    page = client.get(f"/admin/casework/outboxmessage/{row.pk}/change/").content.decode()
    assert code not in page and "******" in page


@pytest.mark.django_db
def test_the_sealed_code_is_erased_once_sent():
    message = notification_enqueue(channel="sms", recipient="13512342210", body="码 ******", secret="123456",
                                   secret_ttl_seconds=300)
    assert outbox_deliver_due() == 1
    message.refresh_from_db()
    assert (message.status, message.sealed_secret) == ("sent", "")
    assert [s.text for s in FAKE_GATEWAY.to("13512342210")] == ["码 123456"]


@pytest.mark.django_db
def test_a_code_past_its_lifetime_is_not_sent_late(monkeypatch):
    import time

    message = notification_enqueue(channel="sms", recipient="13512342210", body="码 ******", secret="123456",
                                   secret_ttl_seconds=300)
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)  # Fernet reads the clock when it opens the seal
    assert outbox_deliver_due() == 0
    message.refresh_from_db()
    assert (message.status, message.sealed_secret) == ("failed", "") and FAKE_GATEWAY.sent == []


@pytest.mark.django_db
def test_a_code_sealed_under_another_key_fails_without_retries(settings):
    message = notification_enqueue(channel="sms", recipient="13512342210", body="码 ******", secret="123456")
    settings.SECRET_KEY = "a-rotated-secret-key-that-no-longer-matches-0123456789"
    assert outbox_deliver_due() == 0
    message.refresh_from_db()
    assert message.status == "failed" and message.attempts == 1


def test_a_secret_needs_its_place_in_an_sms():
    with pytest.raises(ValueError):
        notification_enqueue(channel="webhook", recipient="http://x", body="******", secret="1")
    with pytest.raises(ValueError):
        notification_enqueue(channel="sms", recipient="13512342210", body="no mark", secret="1")


def test_sealing_is_not_the_code_in_clear():
    token = seal("654321")
    assert "654321" not in token and len(token) > 50


def test_the_console_backend_masks_the_mobile(capsys):
    ConsoleBackend().send(Sms(mobile="13512342210", text="您好"))
    assert capsys.readouterr().out.strip() == "短信发往 135****2210：您好"


def test_log_lines_mask_mobiles_and_id_numbers():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "lookup %s by %s", ("13512342210", "11010519491231002X"),
                               None)
    line = MaskingFormatter("%(message)s").format(record)
    assert line == "lookup 135****2210 by 1***************2X"
