import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.services import notification_enqueue, outbox_deliver_due, tick
from zhenwu.casework.services.outbox import outbox_claim
from zhenwu.casework.sms import FAKE_GATEWAY


@pytest.fixture
def webhook():
    received: list[dict] = []
    status = {"code": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(status["code"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received, status
    server.shutdown()


@pytest.mark.django_db
def test_it_delivers_sms_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = notification_enqueue(channel="sms", recipient="13512342210", body="您的办件已受理")
        assert FAKE_GATEWAY.sent == []
    message.refresh_from_db()
    assert message.status == "sent" and [s.text for s in FAKE_GATEWAY.to("13512342210")] == ["您的办件已受理"]


@pytest.mark.django_db
def test_it_posts_json_to_a_webhook(webhook):
    url, received, _status = webhook
    notification_enqueue(channel="webhook", recipient=url, body="hi", payload={"case": "SQ-1"})
    assert tick()["notifications_sent"] == 1
    assert received == [{"subject": "", "body": "hi", "payload": {"case": "SQ-1"},
                         "id": OutboxMessage.objects.get().pk}]


@pytest.mark.django_db
def test_it_retries_with_back_off_then_gives_up(webhook, settings):
    url, received, status = webhook
    settings.NOTIFY_MAX_ATTEMPTS, settings.NOTIFY_BACKOFF_SECONDS = 3, 10
    status["code"] = 500
    message = notification_enqueue(channel="webhook", recipient=url, body="x")
    now = message.next_attempt_at
    assert outbox_deliver_due(now=now) == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        "pending", 1, now + dt.timedelta(seconds=10))
    assert outbox_deliver_due(now=now + dt.timedelta(seconds=5)) == 0 and len(received) == 1  # not due yet
    outbox_deliver_due(now=now + dt.timedelta(seconds=10))
    message.refresh_from_db()
    assert message.next_attempt_at == now + dt.timedelta(seconds=30)  # 10 s + 20 s
    outbox_deliver_due(now=now + dt.timedelta(seconds=30))
    message.refresh_from_db()
    assert (message.status, message.attempts, len(received)) == ("failed", 3, 3)


@pytest.mark.django_db
def test_a_crash_mid_delivery_is_delivered_again_after_the_lease(webhook, settings):
    url, received, _status = webhook
    message = notification_enqueue(channel="webhook", recipient=url, body="x")
    now = message.next_attempt_at
    assert outbox_claim(pk=message.pk, now=now) is not None  # the worker dies right after claiming
    assert outbox_claim(pk=message.pk, now=now) is None  # leased: nobody else takes it
    assert outbox_deliver_due(now=now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS - 1)) == 0
    assert outbox_deliver_due(now=now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1)) == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(received) == 1
