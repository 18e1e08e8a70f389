"""How accounts sends an SMS (one-time codes, registration and second-factor codes).

accounts sits below casework (ADR 0003) and never imports it: the notification outbox is installed
here from above — ``casework``'s ``AppConfig.ready()`` calls ``outbox_install(notification_enqueue)``.
Services take ``send`` as an argument; the pages and the API pass ``sms_send``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Enqueue = Callable[..., Any]
_OUTBOX: list[Enqueue] = []


def outbox_install(enqueue: Enqueue) -> None:
    """Install the queue SMS go through: ``enqueue(*, channel, recipient, body, payload, secret,
    secret_ttl_seconds)`` (the signature of ``casework.services.notification_enqueue``)."""
    _OUTBOX[:] = [enqueue]


def sms_send(mobile: str, text: str, *, secret: str = "", template: str = "",
             params: dict[str, Any] | None = None) -> None:
    """Queue an SMS in the installed outbox, inside the caller's transaction.

    ``secret`` (a one-time code) stays sealed in the outbox row; ``text`` marks its place.
    """
    if not _OUTBOX:
        raise ImproperlyConfigured("No outbox is installed for accounts' SMS: zhenwu.casework must be in "
                                   "INSTALLED_APPS (its ready() installs notification_enqueue).")
    payload = {"sms_kind": template, "sms_params": params or {}} if template else None
    _OUTBOX[0](channel="sms", recipient=mobile, body=text, payload=payload, secret=secret,
               secret_ttl_seconds=settings.OTP_TTL_SECONDS if secret else None)
