"""Template context of accounts: whether the signed-in user should be asked to change their password."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhenwu.accounts.models import User
from zhenwu.accounts.services import password_change_due


def password_notice(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {"password_change_due": isinstance(user, User) and password_change_due(user)}
