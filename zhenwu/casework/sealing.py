"""Sealing a secret (a one-time code) while it waits in the outbox: Fernet (AES-128-CBC + HMAC-SHA256).

The key is derived from SECRET_KEY, which lives in the environment and never in the database: someone
who reads the outbox table, a backup or the admin sees only the sealed token. SECRET_KEY_FALLBACKS
still open tokens sealed before a key rotation. A token also carries its creation time, so an
expired code is refused at delivery rather than sent late.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealError(Exception):
    """The sealed secret cannot be opened: expired, or sealed under a key no longer configured."""


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(f"zhenwu.casework.outbox-seal:{secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    return MultiFernet([_fernet(k) for k in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]])


def seal(secret: str) -> str:
    return _keys().encrypt(secret.encode()).decode()


def unseal(token: str, *, ttl_seconds: int | None = None) -> str:
    try:
        return _keys().decrypt(token.encode(), ttl=ttl_seconds).decode()
    except InvalidToken as exc:
        raise SealError("the sealed secret expired or its key is gone") from exc
