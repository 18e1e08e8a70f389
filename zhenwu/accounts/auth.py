"""API authentication: the browser session, or a bearer API token (per user and device)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


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


api_auth = [SessionAuth(), TokenAuth()]
