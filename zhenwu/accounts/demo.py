"""The demo accounts listed on the login page in demo mode, kept in ``DATA_DIR/demo_logins.json``.

The demo generator writes the file with :func:`demo_logins_save` after creating the accounts;
the login page reads it with :func:`demo_logins` only when ``settings.DEMO_MODE`` is on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

FILE_NAME = "demo_logins.json"
FIELDS = ("username", "password", "role", "role_label", "scope", "mobile")


def demo_logins_path() -> Path:
    return Path(settings.DATA_DIR) / FILE_NAME


def demo_logins() -> list[dict[str, str]]:
    """Entries ``{username, password, role, role_label, scope, mobile}`` (``role`` a Role code, ``role_label``
    and ``scope`` display text, ``mobile`` for the SMS login; a missing key reads as "").

    A missing or unreadable file gives an empty list: the login page must still render.
    """
    try:
        data: Any = json.loads(demo_logins_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [{f: str(item.get(f, "")) for f in FIELDS} for item in data if isinstance(item, dict)]


def demo_logins_save(entries: list[dict[str, str]]) -> Path:
    """Write the entries (keys as in :func:`demo_logins`) for the login page; returns the path."""
    path = demo_logins_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = [{f: str(e.get(f, "")) for f in FIELDS} for e in entries]
    path.write_text(json.dumps(clean, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
