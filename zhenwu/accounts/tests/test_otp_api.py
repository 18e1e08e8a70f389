"""OTP through the API (no auth): request, verify → a token for the phone; audited and rate limited."""

import re
from typing import Any
from unittest import mock

from django.test import Client

from zhenwu.accounts.models import LoginAttempt
from zhenwu.testing import Personas, SmsRecorder, sms_delivered_to


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/accounts/otp/{path}", body, content_type="application/json")


def test_it_trades_a_code_for_a_token(client: Client, personas: Personas) -> None:
    sent = SmsRecorder()
    with mock.patch("zhenwu.accounts.api.sms_send", sent):
        assert post(client, "request", {"mobile": "13512342210"}).status_code == 202
        assert post(client, "request", {"mobile": "13512342210"}).status_code == 429
    code = sent.code()
    verified = post(client, "verify", {"mobile": "13512342210", "code": code, "device": "my phone"})
    assert verified.status_code == 201
    me = Client().get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {verified.json()['token']}")
    assert me.json()["kind"] == "citizen" and me.json()["mobile_masked"] == "135****2210"


def test_it_answers_400_naming_the_code(client: Client, personas: Personas) -> None:
    with mock.patch("zhenwu.accounts.api.sms_send", SmsRecorder()):
        post(client, "request", {"mobile": "13512342210"})
    response = post(client, "verify", {"mobile": "13512342210", "code": "abcdef"})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "code"
    assert LoginAttempt.objects.filter(method="otp", success=False).count() == 1


def test_it_queues_the_sms_in_the_casework_outbox(client: Client, personas: Personas) -> None:
    from zhenwu.casework.models import OutboxMessage

    assert post(client, "request", {"mobile": "13512342210"}).status_code == 202
    message = OutboxMessage.objects.get()
    assert message.channel == "sms" and message.recipient == "13512342210"
    assert "******" in message.body and not re.search(r"\d{6}", message.body)  # the code is sealed, not kept
    assert re.search(r"\d{6}", sms_delivered_to("13512342210")[0])
