"""The JSON API under /api/v1/ (django-ninja) and its error convention.

Every 4xx body has the shape ``{"errors": [{"field": ..., "message": ..., "message_en": ...}]}``:
``message`` is Chinese (zh-hans), ``message_en`` English, ``field`` names the input at fault
(``null`` when the error concerns the request as a whole).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from zhenwu.accounts.auth import api_auth
from zhenwu.errors import FieldError, error_items


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes (half the bytes, readable in logs)."""

    json_dumps_params = {"ensure_ascii": False}


class StrictJSONParser(Parser):
    """Refuses NUL characters in JSON bodies: no text field may hold one, and PostgreSQL rejects them."""

    def parse_body(self, request: HttpRequest) -> Any:
        if b"\\u0000" in request.body or b"\x00" in request.body:
            raise FieldError(None, _("The request body contains a NUL character."))
        return super().parse_body(request)


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    parser=StrictJSONParser(),
    title="Zhenwu 镇务 API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    # Browsable docs only with DEBUG or ZHENWU_API_DOCS=1, from django-ninja's own static files (no CDN).
    docs_url="/docs" if settings.API_DOCS else None,
    description="Staff and citizen API of the Zhenwu township governance platform. "
                "Errors: {errors: [{field, message (zh-hans), message_en}]}.",
)

# Pydantic error types → Chinese message; anything else gets a generic one.
_PYDANTIC_MESSAGES = {
    "missing": _("This field is required."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "int_parsing": _("Enter a whole number."),
    "int_type": _("Enter a whole number."),
    "string_type": _("Enter text."),
    "bool_parsing": _("Enter true or false."),
    "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": _("Enter a valid date and time."),
    "json_invalid": _("The request body is not valid JSON."),
    "enum": _("Choose one of the allowed values."),
    "literal_error": _("Choose one of the allowed values."),
    "string_too_long": _("The value is too long."),
    "string_too_short": _("The value is too short."),
    "greater_than_equal": _("The value is too small."),
    "less_than_equal": _("The value is too large."),
    "model_attributes_type": _("The request body must be a JSON object."),
    "dict_type": _("The request body must be a JSON object."),
    "list_type": _("Enter a list."),
}


def _zh(message: Any) -> str:
    with translation.override("zh-hans"):
        return str(message)


def _en(message: Any) -> str:
    with translation.override("en"):
        return str(message)


@api.exception_handler(FieldError)
def _field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
    return api.create_response(request, {"errors": error_items(exc)}, status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "form", "file")]
        field = ".".join(p for p in loc if p not in ("payload",)) or None
        known = _PYDANTIC_MESSAGES.get(err.get("type", ""))
        items.append({
            "field": field,
            "message": _zh(known) if known else _zh(_("Invalid value.")) + " " + str(err.get("msg", "")),
            "message_en": _en(known) if known else str(err.get("msg", "Invalid value.")),
        })
    return api.create_response(request, {"errors": items}, status=422)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    msg = _("Authentication required: log in or send an API token.")
    return api.create_response(
        request, {"errors": [{"field": None, "message": _zh(msg), "message_en": _en(msg)}]}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    text = str(exc)
    return api.create_response(
        request, {"errors": [{"field": None, "message": text, "message_en": text}]}, status=exc.status_code
    )


def register_routers() -> None:
    """Mount every app's router; each app owns its `api.py`."""
    from zhenwu.accounts.api import router as accounts_router
    from zhenwu.areas.api import router as areas_router
    from zhenwu.casework.api import router as casework_router
    from zhenwu.registry.api import router as registry_router
    from zhenwu.registry.api_io import router as registry_io_router
    from zhenwu.services.api import router as services_router

    api.add_router("/areas", areas_router)
    api.add_router("/accounts/", accounts_router)
    api.add_router("/casework/", casework_router)
    api.add_router("/registry/io/", registry_io_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/services/", services_router)


register_routers()
