"""accounts sends SMS through the outbox installed from above (ADR 0003), never by importing casework."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhenwu.accounts import sending
from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.services import notification_enqueue


def test_casework_installs_its_outbox_at_start_up():
    assert list(sending._OUTBOX) == [notification_enqueue]


@pytest.mark.django_db
def test_a_code_goes_into_the_installed_outbox_sealed(settings):
    sending.sms_send("13512342210", "您的验证码：******", secret="123456", template="otp", params={"x": 1})
    message = OutboxMessage.objects.get()
    assert (message.recipient, message.body) == ("13512342210", "您的验证码：******")
    assert "123456" not in message.body and message.sealed_secret
    assert message.payload == {"sms_kind": "otp", "sms_params": {"x": 1}}


def test_without_an_outbox_sending_is_a_configuration_error(monkeypatch):
    monkeypatch.setattr(sending, "_OUTBOX", [])
    with pytest.raises(ImproperlyConfigured, match="No outbox is installed"):
        sending.sms_send("13512342210", "hi")
