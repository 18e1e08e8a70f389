"""Searches kept out of addresses: an ID number or a mobile typed in a list's search box never
appears in a URL (issue 8, hardening).

A URL ends up in the browser's history, the server's and the proxy's access logs and other sites'
Referer headers. So the search box is posted, the text is kept in the user's session under a short,
random, short-lived id, and the list's address, paging links and export link carry only that id
(``?s=…``) beside the filters that are not personal (grid, status, tag…).
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.http import HttpRequest

SESSION_KEY = "registry_searches"
SEARCH_TTL_SECONDS = 30 * 60  # as long as an idle session lives
MAX_SEARCHES = 20


def _kept(request: HttpRequest) -> dict[str, dict[str, Any]]:
    now = time.time()
    kept = request.session.get(SESSION_KEY) or {}
    return {sid: s for sid, s in kept.items() if now - s.get("at", 0) < SEARCH_TTL_SECONDS}


def search_remember(request: HttpRequest, *, slug: str, q: str) -> str:
    """Keep ``q`` for the list ``slug`` in the session; answer the opaque id the URL may carry."""
    kept = _kept(request)
    same = next((sid for sid, search in kept.items() if search["slug"] == slug and search["q"] == q), None)
    sid = same or secrets.token_urlsafe(8)
    kept[sid] = {"slug": slug, "q": q, "at": time.time()}
    newest = sorted(kept.items(), key=lambda item: item[1]["at"])[-MAX_SEARCHES:]
    request.session[SESSION_KEY] = dict(newest)
    return sid


def search_recall(request: HttpRequest, *, slug: str, sid: str) -> str | None:
    """The text kept under ``sid`` for ``slug``; None when it is unknown, another list's or expired."""
    search = _kept(request).get(sid)
    return search["q"] if search and search["slug"] == slug else None
