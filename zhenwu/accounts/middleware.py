"""Idle sessions end after ``SESSION_IDLE_MINUTES`` without a request (等保 2.0 practice)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

LAST_ACTIVITY_KEY = "zhenwu_last_activity"
IDLE_LOGOUT_KEY = "zhenwu_idle_logout"


class IdleTimeoutMiddleware:
    """Keeps the time of the last request in the session; a gap longer than the limit logs out.

    The cookie age alone is not enough: a stolen cookie could be replayed with a fresh expiry,
    and the server-side timestamp cannot be forged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        now = timezone.now().timestamp()
        last = request.session.get(LAST_ACTIVITY_KEY)
        if isinstance(last, int | float) and now - last > settings.SESSION_IDLE_MINUTES * 60:
            logout(request)
            request.session[IDLE_LOGOUT_KEY] = True  # tells the login page why
            return
        request.session[LAST_ACTIVITY_KEY] = now
