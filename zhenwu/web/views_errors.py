"""The site's own 400/403/404/500 and CSRF-failure pages: Chinese, in the site's layout, each saying
what the person can do next (a 403 lists the pages the user may open instead)."""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from zhenwu.web.roles import links_for

log = logging.getLogger(__name__)


def _reason(exception: Exception | None) -> str:
    """A PermissionDenied raised by our code carries a Chinese sentence; Django's own carry none."""
    text = str(exception or "").strip()
    return text if text and not text.isascii() else ""


def _render(request: HttpRequest, status: int, context: dict[str, Any] | None = None) -> HttpResponse:
    context = {"links": links_for(getattr(request, "user", None)), "status": status,
               "request_id": getattr(request, "request_id", ""), **(context or {})}
    return render(request, f"{status}.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 403, {"reason": _reason(exception)})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was sent without a valid security token (an old tab, cookies off): send it again."""
    return _render(request, 403, {"csrf": True})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; if even the layout cannot be rendered (database down), the same page without it."""
    try:
        return _render(request, 500)
    except Exception:
        log.exception("the 500 page could not be rendered with the layout")
        html = loader.get_template("500_plain.html").render({"request_id": getattr(request, "request_id", "")})
        return HttpResponseServerError(html)
