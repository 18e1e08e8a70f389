"""The HTTP SMS gateway: a signed POST per message, the provider's template, retried through the outbox."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from zhenwu.casework.models import OutboxMessage
from zhenwu.casework.services import notification_enqueue, outbox_deliver_due
from zhenwu.casework.sms import HttpGateway, Sms

KEY = "gateway-shared-secret"


@pytest.fixture
def gateway():
    received: list[dict] = []
    status = {"code": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append({"headers": dict(self.headers), "body": body})
            self.send_response(status["code"])
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/sms", received, status
    server.shutdown()


@pytest.fixture
def http_backend(gateway, settings):
    url, received, status = gateway
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http", url, KEY
    settings.SMS_TEMPLATES = {"login_code": "SMS_100"}
    settings.SMS_GATEWAY_SIGN_NAME = "镇务"
    return received, status


def signature_ok(request: dict) -> bool:
    h = request["headers"]
    signed = f"{h['X-Zhenwu-Timestamp']}.{h['X-Zhenwu-Nonce']}.".encode() + request["body"]
    return hmac.compare_digest(h["X-Zhenwu-Signature"], hmac.new(KEY.encode(), signed, hashlib.sha256).hexdigest())


@pytest.mark.django_db
def test_it_posts_a_signed_message_with_the_template_and_the_code(http_backend):
    received, _status = http_backend
    message = notification_enqueue(channel="sms", recipient="13512342210", body="验证码 ******，5分钟内有效",
                                   payload={"sms_kind": "login_code", "sms_params": {"minutes": 5}},
                                   secret="482913", secret_ttl_seconds=300)
    assert outbox_deliver_due() == 1
    sent = json.loads(received[0]["body"])
    assert sent == {"id": f"zhenwu-outbox-{message.pk}", "mobile": "13512342210", "template": "SMS_100",
                    "params": {"minutes": 5, "code": "482913"}, "text": "验证码 482913，5分钟内有效",
                    "sign_name": "镇务", "key_id": ""}
    assert signature_ok(received[0]) and received[0]["headers"]["Idempotency-Key"] == sent["id"]


@pytest.mark.django_db
def test_a_refusing_gateway_is_retried_and_the_code_stays_sealed_until_sent(http_backend):
    received, status = http_backend
    status["code"] = 503
    message = notification_enqueue(channel="sms", recipient="13512342210", body="验证码 ******",
                                   secret="482913", secret_ttl_seconds=300)
    now = message.next_attempt_at
    assert outbox_deliver_due(now=now) == 0
    message.refresh_from_db()
    assert message.status == "pending" and message.sealed_secret and "482913" not in message.last_error
    assert "503" in message.last_error
    status["code"] = 200
    assert outbox_deliver_due(now=now + __import__("datetime").timedelta(minutes=1)) == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.sealed_secret == ""  # erased once delivered
    assert json.loads(received[-1]["body"])["text"] == "验证码 482913"


def test_the_form_format_flattens_the_parameters():
    gateway = HttpGateway(url="http://127.0.0.1:9/", key=KEY, body_format="form", templates={"x": "T1"})
    body, content_type = gateway.body(Sms(mobile="13512342210", text="t", kind="x", params={"code": "1"}))
    fields = dict(urllib.parse.parse_qsl(body.decode()))
    assert content_type == "application/x-www-form-urlencoded"
    assert fields["template"] == "T1" and json.loads(fields["params"]) == {"code": "1"}


@pytest.mark.django_db
def test_an_unreachable_gateway_is_an_error_the_outbox_retries(settings):
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_KEY = "http", "http://127.0.0.1:9/x", KEY
    message = notification_enqueue(channel="sms", recipient="13512342210", body="您好")
    assert outbox_deliver_due() == 0
    assert OutboxMessage.objects.get(pk=message.pk).last_error.startswith("SmsGatewayError: SMS gateway unreachable")
