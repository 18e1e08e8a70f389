"""Without a broker, the window intake answers before its SMS is sent, and the SMS is still sent."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.services import token_create
from zhenwu.casework import background
from zhenwu.casework.choices import OutboxStatus
from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.sms import FAKE_GATEWAY, Sms
from zhenwu.services.tests.factories import Hall, all_materials
from zhenwu.testing import VALID_ID

BODY = {"item_code": "320000-MZ-0001", "channel": "window", "materials": all_materials(),
        "applicant": {"applicant_name": "王芳", "id_number": VALID_ID, "mobile": "13512342210"}}


class SlowGateway:
    """Holds every SMS until the test lets it go (at most 10 s)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()

    def send(self, sms: Sms) -> None:
        self.started.set()
        self.release.wait(10)
        FAKE_GATEWAY.send(sms)


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[SlowGateway]:
    settings.NOTIFY_AFTER_RESPONSE = True
    gateway = SlowGateway()
    monkeypatch.setattr("zhenwu.casework.services.outbox.sms_provider", lambda: gateway)
    yield gateway
    gateway.release.set()
    assert background.release()  # the background thread lets go of the test database


def _file(hall: Hall) -> tuple[Any, float]:
    _row, secret = token_create(user=hall.clerk, device="window PC")
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    started = time.monotonic()
    response = api.post("/api/v1/services/applications", json.dumps(BODY), content_type="application/json")
    return response, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_the_intake_answers_before_the_slow_sms_and_the_sms_is_delivered(hall: Hall, item: Any,
                                                                         slow: SlowGateway) -> None:
    response, took = _file(hall)
    assert response.status_code == 201 and took < 5
    assert slow.started.wait(5)  # the delivery runs now, in the background, held by the gateway
    message = OutboxMessage.objects.get(recipient="13512342210")
    assert message.status == OutboxStatus.SENDING and not FAKE_GATEWAY.to("13512342210")
    slow.release.set()
    assert background.drain(10)
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and response.json()["number"] in FAKE_GATEWAY.to("13512342210")[0].text


@pytest.mark.django_db(transaction=True)
def test_off_it_delivers_inside_the_request_as_before(hall: Hall, item: Any, slow: SlowGateway,
                                                       settings: Any) -> None:
    settings.NOTIFY_AFTER_RESPONSE = False
    slow.release.set()
    response, _took = _file(hall)
    assert response.status_code == 201
    assert OutboxMessage.objects.get(recipient="13512342210").status == OutboxStatus.SENT
