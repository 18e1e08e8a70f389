"""Open311 clients and their api_keys: ``o311_<prefix>_<secret>``, stored as the SHA-256 of the whole key.

A database leak leaks no usable key; the key is printed once by ``zhenwu open311 client add`` (or shown
once in the admin) and cannot be read back, only replaced (:func:`open311_client_rekey`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.errors import FieldError
from zhenwu.grid.models import Open311Client

KEY_PREFIX = "o311"
LAST_USED_RESOLUTION = timedelta(minutes=1)  # not a write on every request


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_generate() -> tuple[str, str]:
    """A fresh (prefix, whole key) pair."""
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def _set_key(client: Open311Client) -> str:
    prefix, key = key_generate()
    client.key_prefix, client.key_hash = prefix, key_hash(key)
    return key


@transaction.atomic
def open311_client_add(*, name: str, contact: str = "") -> tuple[Open311Client, str]:
    """Register a client; returns it and its api_key (the only time the key is known)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise FieldError("name", _("Enter a name of 1 to 100 characters."))
    if Open311Client.objects.filter(name=name).exists():
        raise FieldError("name", _("An Open311 client of this name exists already."))
    client = Open311Client(name=name, contact=contact.strip()[:200])
    key = _set_key(client)
    client.full_clean()
    client.save()
    return client, key


@transaction.atomic
def open311_client_rekey(*, client: Open311Client) -> str:
    """A new api_key for ``client``; the old one stops working at once."""
    key = _set_key(client)
    client.save(update_fields=["key_prefix", "key_hash"])
    return key


def open311_client_lookup(key: str) -> Open311Client | None:
    """The active client whose api_key is ``key`` (hash compared in constant time), or None."""
    parts = (key or "").split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    client = Open311Client.objects.filter(key_prefix=parts[1], active=True).first()
    if client is None or not hmac.compare_digest(client.key_hash, key_hash(key)):
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=now)
    return client
