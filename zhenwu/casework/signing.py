"""The audit checkpoints' Ed25519 key: a file outside the database (settings.AUDIT_KEY_FILE).

Created with mode 0600 by ``zhenwu audit keygen``, or on first use when settings.AUDIT_KEY_AUTOCREATE
is on (the default only with DEBUG). Without DEBUG a missing key is an error instead: silently making a
new key would hide a lost or replaced one. Whoever can read the file can sign checkpoints, so back it up
somewhere the database's writers cannot reach.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


class KeyProblem(Exception):
    """The checkpoint key is missing, already exists, or is not an Ed25519 key."""


def key_path() -> Path:
    return Path(settings.AUDIT_KEY_FILE)


def key_generate(path: Path | None = None) -> Ed25519PrivateKey:
    """Write a new private key (PKCS#8 PEM, mode 0600); never overwrites an existing file."""
    path = path or key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise KeyProblem(f"{path} already exists; remove it deliberately to make a new key") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    return key


def private_key() -> Ed25519PrivateKey:
    """The signing key; created here only when settings.AUDIT_KEY_AUTOCREATE allows it."""
    path = key_path()
    if not path.exists():
        if not settings.AUDIT_KEY_AUTOCREATE:
            raise KeyProblem(f"no checkpoint key at {path}: run `zhenwu audit keygen` (and back the key up), "
                             "or set ZHENWU_AUDIT_KEY_FILE to the existing key")
        return key_generate(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"{path} is not an Ed25519 private key")
    return key


def public_key_load(path: Path) -> Ed25519PublicKey:
    """A public key PEM (what ``zhenwu audit public-key`` prints); a private key file works as well."""
    data = path.read_bytes()
    key: object
    if b"PRIVATE KEY" in data:
        key = serialization.load_pem_private_key(data, password=None).public_key()
    else:
        key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem(f"{path} is not an Ed25519 key")
    return key


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex (stored with every checkpoint)."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def signature_valid(key: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def public_key_current() -> Ed25519PublicKey | None:
    """The configured key's public half, or None when there is no key file (never creates one)."""
    path = key_path()
    return public_key_load(path) if path.exists() else None
