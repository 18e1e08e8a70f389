"""API authentication: the browser session, or a bearer API token (per user and device)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from zhenwu.accounts.tokens import authenticate_token

        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


api_auth = [SessionAuth(), TokenAuth()]
