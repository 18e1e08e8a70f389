"""SMS providers behind the outbox: an HTTP gateway for production, console/log for a demo, a fake for tests.

A provider takes one :class:`Sms` and either returns (the gateway accepted it) or raises (the outbox
retries with back-off). ``settings.SMS_BACKEND`` picks one:

- ``http`` — :class:`HttpGateway`: POSTs JSON (or a form) to ``SMS_GATEWAY_URL``, signed with
  HMAC-SHA256 under ``SMS_GATEWAY_KEY``; the message kind maps to the provider's template id through
  ``SMS_TEMPLATES``. An adapter in front of a carrier or cloud SMS service speaks this one format.
- ``console`` / ``log`` — print or log the text, one-time codes included (mobiles masked): allowed
  only with DEBUG or ``ZHENWU_ALLOW_INSECURE_SMS=1`` (settings refuse to start otherwise).
- ``fake`` — :data:`FAKE_GATEWAY` keeps every message in memory for tests.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.utils.translation import gettext as _

from zhenwu.accounts.masking import mask_mobile

log = logging.getLogger("zhenwu.sms")


@dataclass(frozen=True)
class Sms:
    """One text message as the provider sees it: the full text, the kind's template and its parameters."""

    mobile: str
    text: str
    kind: str = ""  # e.g. "login_code"; the template key
    params: dict[str, Any] = field(default_factory=dict)  # template parameters, the code included
    id: str = ""  # idempotency key: the same message retried keeps it


class SmsProvider(Protocol):
    def send(self, sms: Sms) -> None: ...


class SmsGatewayError(OSError):
    """The gateway refused or could not be reached; the text is never part of the error."""


class HttpGateway:
    """A generic HTTP SMS gateway: one signed POST per message.

    Request: ``{"id", "mobile", "template", "params", "text", "sign_name", "key_id"}`` as JSON (or
    form fields, ``params`` as a JSON string). Headers: ``X-Zhenwu-Timestamp`` (Unix seconds),
    ``X-Zhenwu-Nonce``, ``X-Zhenwu-Signature`` = hex HMAC-SHA256 of ``"{timestamp}.{nonce}.{body}"``
    under the shared key, and ``Idempotency-Key``. Any 2xx answer means accepted.
    """

    def __init__(self, *, url: str, key: str, key_id: str = "", body_format: str = "json",
                 templates: dict[str, str] | None = None, sign_name: str = "", timeout: float = 5.0) -> None:
        self.url, self.key, self.key_id, self.body_format = url, key, key_id, body_format
        self.templates, self.sign_name, self.timeout = templates or {}, sign_name, timeout

    def body(self, sms: Sms) -> tuple[bytes, str]:
        fields = {"id": sms.id, "mobile": sms.mobile, "template": self.templates.get(sms.kind, ""),
                  "params": sms.params, "text": sms.text, "sign_name": self.sign_name, "key_id": self.key_id}
        if self.body_format == "form":
            flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for k, v in fields.items()}
            return urllib.parse.urlencode(flat).encode(), "application/x-www-form-urlencoded"
        return json.dumps(fields, ensure_ascii=False).encode(), "application/json"

    def signature(self, timestamp: str, nonce: str, body: bytes) -> str:
        signed = f"{timestamp}.{nonce}.".encode() + body
        return hmac.new(self.key.encode(), signed, hashlib.sha256).hexdigest()

    def send(self, sms: Sms) -> None:
        body, content_type = self.body(sms)
        timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": content_type, "X-Zhenwu-Timestamp": timestamp, "X-Zhenwu-Nonce": nonce,
            "X-Zhenwu-Signature": self.signature(timestamp, nonce, body), "Idempotency-Key": sms.id})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsGatewayError(f"SMS gateway answered HTTP {exc.code}") from None
        except (urllib.error.URLError, TimeoutError) as exc:
            raise SmsGatewayError(f"SMS gateway unreachable: {getattr(exc, 'reason', exc)}") from None
        if not 200 <= status < 300:
            raise SmsGatewayError(f"SMS gateway answered HTTP {status}")


class FakeGateway:
    """Keeps every message in memory (tests); ``fail`` makes the next sends raise."""

    def __init__(self) -> None:
        self.sent: list[Sms] = []
        self.fail = False
        self._lock = threading.Lock()

    def send(self, sms: Sms) -> None:
        if self.fail:
            raise SmsGatewayError("fake gateway set to fail")
        with self._lock:
            self.sent.append(sms)

    def to(self, mobile: str) -> list[Sms]:
        with self._lock:
            return [s for s in self.sent if s.mobile == mobile]

    def clear(self) -> None:
        with self._lock:
            self.sent.clear()


class ConsoleBackend:
    """Prints each SMS on the server's terminal (the demo: codes visible there, mobiles masked)."""

    def send(self, sms: Sms) -> None:
        print(_("SMS to %(mobile)s: %(text)s") % {"mobile": mask_mobile(sms.mobile), "text": sms.text}, flush=True)


class LogBackend:
    """Logs each SMS at INFO on the ``zhenwu.sms`` logger (codes visible in the log, mobiles masked)."""

    def send(self, sms: Sms) -> None:
        log.info("SMS to %s: %s", mask_mobile(sms.mobile), sms.text)


FAKE_GATEWAY = FakeGateway()


def sms_provider() -> SmsProvider:
    """The provider ``settings.SMS_BACKEND`` names (settings have refused unsafe choices already)."""
    backend = settings.SMS_BACKEND
    if backend == "http":
        return HttpGateway(url=settings.SMS_GATEWAY_URL, key=settings.SMS_GATEWAY_KEY,
                           key_id=settings.SMS_GATEWAY_KEY_ID, body_format=settings.SMS_GATEWAY_FORMAT,
                           templates=settings.SMS_TEMPLATES, sign_name=settings.SMS_GATEWAY_SIGN_NAME,
                           timeout=settings.SMS_GATEWAY_TIMEOUT_SECONDS)
    if backend == "fake":
        return FAKE_GATEWAY
    return LogBackend() if backend == "log" else ConsoleBackend()
