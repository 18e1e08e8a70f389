"""Request id for logs and audit entries; the boundary that keeps citizens off staff pages."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from zhenwu.accounts.choices import UserKind

_SAFE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class NulByteMiddleware:
    """A NUL character in the URL can never name anything (PostgreSQL cannot even compare it): 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.path + "?" + request.META.get("QUERY_STRING", "")
        if "\x00" in raw or "%00" in raw.lower():
            message = {"field": None, "message": "地址中含有空字符（NUL），无法处理。",
                       "message_en": "The address contains a NUL character."}
            return JsonResponse({"errors": [message]}, status=400, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _SAFE.match(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


# URL namespaces a citizen or enterprise account may open; everything else is staff-only.
CITIZEN_NAMESPACES = frozenset({"web", "accounts", "api", "open311", "portal", "public"})


class CitizenBoundaryMiddleware:
    """Citizens and enterprises get 404 on staff pages (the admin included), by default.

    Deny by default: a new staff page is protected without anyone remembering a decorator. An app
    with citizen pages adds its URL namespace to ``settings.CITIZEN_URL_NAMESPACES``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.allowed = frozenset(getattr(settings, "CITIZEN_URL_NAMESPACES", CITIZEN_NAMESPACES))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., HttpResponse], args: Any,
                     kwargs: Any) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or getattr(user, "kind", UserKind.STAFF) == UserKind.STAFF:
            return None
        match = request.resolver_match
        namespace = match.namespaces[0] if match and match.namespaces else ""
        if namespace not in self.allowed:
            raise Http404
        return None
