"""What views and API operations read off a request: the authenticated user and the request id."""

from __future__ import annotations

from django.http import HttpRequest

from zhenwu.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The logged-in user; only for views behind login_required or an authenticated API router."""
    user = request.user
    assert isinstance(user, User)
    return user


def request_id(request: HttpRequest) -> str:
    """The id RequestIdMiddleware gave this request (written into audit entries)."""
    return str(getattr(request, "request_id", ""))
