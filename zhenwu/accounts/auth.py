"""API authentication: a bearer API token (per user and device), or the browser session.

The token is tried first. A token request is not authenticated by a cookie, so a foreign page cannot
make the browser send it and it needs no CSRF token; phones, the 12345 hotline and integrations write
with tokens. A session request is authenticated by its cookie and must carry the CSRF token on every
unsafe method, as the pages do.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from zhenwu.errors import Forbidden


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zw_…``; an unknown or revoked token is audited and answers 401."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from zhenwu.accounts.choices import LoginMethod, LoginReason
        from zhenwu.accounts.services import login_attempt_record
        from zhenwu.accounts.tokens import authenticate_token, token_prefix

        user = authenticate_token(token)
        if user is None:
            login_attempt_record(username=f"token:{token_prefix(token) or '?'}", user=None,
                                 ip=request.META.get("REMOTE_ADDR"), method=LoginMethod.TOKEN,
                                 reason=LoginReason.BAD_TOKEN)
            return None
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; unsafe methods need the CSRF token (403 otherwise).

    Unlike ninja's own ``SessionAuth``, the CSRF check runs only when the session does authenticate
    the request: a request without a session has nothing a forged page could borrow.
    """

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, once we know the cookie is what authenticates

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise Forbidden(_("The CSRF token is missing or wrong: reload the page and try again."))
        return user


api_auth = [TokenAuth(), SessionAuth()]
