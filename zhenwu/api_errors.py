"""The API's error body for answers made outside django-ninja: unknown paths, wrong methods, limits.

Every 4xx under ``/api/`` answers ``{"errors": [{"field", "message", "message_en"}]}``. Ninja's own
errors are shaped by the handlers in ``zhenwu.api``; Django answers a few before or beside ninja (an
unknown path is Django's 404 page, a wrong method ninja's plain-text 405, an over-large body
Django's 400 page). This middleware gives those the same JSON body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from zhenwu.errors import error_item

API_PREFIX = "/api/"

STATUS_MESSAGES: dict[int, Any] = {
    400: _("The request cannot be processed."),
    401: _("Authentication required: log in or send an API token."),
    403: _("You may not do this."),
    404: _("No such API address."),
    405: _("This method is not allowed at this address."),
    413: _("The request body is too large."),
    415: _("This content type is not supported."),
    429: _("Too many requests: wait a moment and try again."),
}
OTHER_MESSAGE = _("The request cannot be processed.")


def error_response(status: int, message: Any = None, field: str | None = None) -> JsonResponse:
    """A JSON error answer with the usual body; the message defaults to the status's."""
    item = error_item(field, message if message is not None else STATUS_MESSAGES.get(status, OTHER_MESSAGE))
    return JsonResponse({"errors": [item]}, status=status, json_dumps_params={"ensure_ascii": False})


def is_json(response: HttpResponse) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class ApiErrorMiddleware:
    """Turns a non-JSON 4xx answer under /api/ into the usual error body (headers such as Allow kept)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith(API_PREFIX) or not 400 <= response.status_code < 500:
            return response
        if is_json(response):
            return response
        replacement = error_response(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate", "X-Request-ID"):
            if header in response:
                replacement[header] = response[header]
        return replacement
