"""The JSON API under /api/v1/ (django-ninja) and its error convention.

Every 4xx body has the shape ``{"errors": [{"field": ..., "message": ..., "message_en": ...}]}``:
``message`` is Chinese (zh-hans), ``message_en`` English, ``field`` names the input at fault
(``null`` when the error concerns the request as a whole). Input that cannot be used — malformed,
of the wrong type, out of range — answers 400; see ``zhenwu.api_errors`` for the answers Django
makes outside ninja (unknown paths, wrong methods).
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    ImproperlyConfigured,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from zhenwu.accounts.auth import api_auth
from zhenwu.api_errors import STATUS_MESSAGES
from zhenwu.errors import FieldError, error_item, error_items

# A UTF-16 surrogate escape (\ud800-\udfff); only then is the parsed body searched for a lone one.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes (half the bytes, readable in logs)."""

    json_dumps_params = {"ensure_ascii": False}


class StrictJSONParser(Parser):
    """Refuses what no text field may hold: NUL characters (PostgreSQL rejects them) and lone UTF-16
    surrogates (``"\\ud800"``: valid JSON, but not text that UTF-8, SQLite or PostgreSQL can store)."""

    def parse_body(self, request: HttpRequest) -> Any:
        if b"\\u0000" in request.body or b"\x00" in request.body:
            raise FieldError(None, _("The request body contains a NUL character."))
        data = super().parse_body(request)
        if _SURROGATE_ESCAPE.search(request.body):
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                raise FieldError(None, _("The request body contains an invalid character (a lone surrogate)."),
                                 ) from None
        return data


class ApiErrorItem(Schema):
    field: str | None
    message: str
    message_en: str


class ApiErrorOut(Schema):
    """Every 4xx body: one entry per field at fault (``field`` null for the request as a whole)."""

    errors: list[ApiErrorItem]


_ERROR_RESPONSES: dict[int | str, str] = {
    400: "Bad input: malformed, of the wrong type or out of range",
    401: "Not authenticated: log in or send an API token",
    403: "Not allowed for this role (or the session's CSRF token is missing)",
    404: "Absent, or outside the caller's scope",
    409: "A lost race or a state that no longer allows the action",
    "4XX": "Any other client error",
}


class CheckedOpenAPISchema(OpenAPISchema):
    """The OpenAPI document: unique schema names, and the error answers every operation can give.

    Ninja files every schema under its class name and lets a later one silently replace an earlier
    one, so a client would be told the wrong body: two different schemas under one name are refused
    (give each schema class a unique name). Every operation documents the usual error body for 400,
    404, 4XX, and 401/403 when it needs a login, 409 when it writes.
    """

    def add_schema_definitions(self, definitions: dict[str, Any]) -> None:
        for name, schema in definitions.items():
            if name in self.schemas and self.schemas[name] != schema:
                raise ImproperlyConfigured(f"two different API schemas are both named {name!r}: rename one")
        super().add_schema_definitions(definitions)

    def _error_schema(self) -> dict[str, str]:
        if "ApiErrorOut" not in self.schemas:
            schema = ApiErrorOut.model_json_schema(ref_template=REF_TEMPLATE)
            self.add_schema_definitions({**schema.pop("$defs", {}), "ApiErrorOut": schema})
        return {"$ref": REF_TEMPLATE.format(model="ApiErrorOut")}

    def responses(self, operation: Operation) -> dict[int, Any]:
        result: dict[Any, Any] = super().responses(operation)
        content = {self.api.renderer.media_type: {"schema": self._error_schema()}}
        writes = bool(set(operation.methods) - {"GET", "HEAD", "OPTIONS"})
        for status, description in _ERROR_RESPONSES.items():
            if (status in (401, 403) and not operation.auth_callbacks) or (status == 409 and not writes):
                continue
            result.setdefault(status, {"description": description, "content": content})
        return result


class ZhenwuAPI(NinjaAPI):
    """The API; its OpenAPI document is built once per process (and language), not on every request.

    Building it walks every operation and every pydantic model (about 90 ms); the routes cannot change
    while the process runs, so the first build serves every later request.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._openapi_built: dict[tuple[str, str | None], OpenAPISchema] = {}
        self._openapi_lock = threading.Lock()

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, get_language())  # lazy summaries and descriptions render in the request's language
        schema = self._openapi_built.get(key)
        if schema is None:
            with self._openapi_lock:
                schema = self._openapi_built.get(key)
                if schema is None:
                    schema = self._openapi_built[key] = CheckedOpenAPISchema(api=self, path_prefix=path_prefix)
        return schema

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        return urls_by_first_segment(super()._get_urls())


def urls_by_first_segment(patterns: list[URLResolver | URLPattern]) -> list[URLResolver | URLPattern]:
    """ninja's flat list of routes, nested under their first path segment (``grid/``, ``services/``, …).

    Django tries a path against each route in turn and records every route it tried, copying that record
    once more on the way out: a route 130th in a flat list of 266 cost 130 µs per request to find. Nested,
    a path passes about ten prefixes and then its own group. Names, converters, the routes' order within
    a group and each match's ``route`` stay as they were; routes of one segment stay where they are."""
    groups: dict[str, list[URLResolver | URLPattern]] = {}
    out: list[URLResolver | URLPattern | str] = []
    for pattern in patterns:
        head, slash, rest = str(pattern.pattern).partition("/")
        if not isinstance(pattern, URLPattern) or not slash or not head or "<" in head:
            out.append(pattern)
            continue
        if head not in groups:
            groups[head] = []
            out.append(head)
        groups[head].append(path(rest, pattern.callback, pattern.default_args, name=pattern.name))
    return [path(f"{item}/", include(groups[item])) if isinstance(item, str) else item for item in out]


api = ZhenwuAPI(
    renderer=ReadableJSONRenderer(),
    parser=StrictJSONParser(),
    title="Zhenwu 镇务 API",
    version="1",
    urls_namespace="api",
    auth=api_auth,
    # Browsable docs only with DEBUG or ZHENWU_API_DOCS=1, from django-ninja's own static files (no CDN).
    docs_url="/docs" if settings.API_DOCS else None,
    description="Staff and citizen API of the Zhenwu township governance platform. "
                "Authenticate with `Authorization: Bearer <token>` (no CSRF token needed) or the browser "
                "session (unsafe methods need the CSRF token). "
                "Errors: {errors: [{field, message (zh-hans), message_en}]}.",
)

# Pydantic error types → Chinese message; anything else gets a generic one.
_PYDANTIC_MESSAGES = {
    "missing": _("This field is required."),
    "float_parsing": _("Enter a number."),
    "float_type": _("Enter a number."),
    "finite_number": _("Enter a number."),
    "int_parsing": _("Enter a whole number."),
    "int_parsing_size": _("The value is too large."),
    "int_type": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "string_type": _("Enter text."),
    "string_unicode": _("Enter text."),
    "bool_parsing": _("Enter true or false."),
    "bool_type": _("Enter true or false."),
    "date_from_datetime_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": _("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": _("Enter a valid date (YYYY-MM-DD)."),
    "date_type": _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": _("Enter a valid date and time."),
    "datetime_from_date_parsing": _("Enter a valid date and time."),
    "datetime_type": _("Enter a valid date and time."),
    "json_invalid": _("The request body is not valid JSON."),
    "enum": _("Choose one of the allowed values."),
    "literal_error": _("Choose one of the allowed values."),
    "string_too_long": _("The value is too long."),
    "string_too_short": _("The value is too short."),
    "greater_than": _("The value is too small."),
    "greater_than_equal": _("The value is too small."),
    "less_than": _("The value is too large."),
    "less_than_equal": _("The value is too large."),
    "model_attributes_type": _("The request body must be a JSON object."),
    "model_type": _("The request body must be a JSON object."),
    "dict_type": _("The request body must be a JSON object."),
    "list_type": _("Enter a list."),
    "too_long": _("The list is too long."),
}
_GENERIC = _("Invalid value.")


def _error_response(request: HttpRequest, status: int, message: Any, field: str | None = None) -> HttpResponse:
    return api.create_response(request, {"errors": [error_item(field, message)]}, status=status)


@api.exception_handler(FieldError)
def _field_error(request: HttpRequest, exc: FieldError) -> HttpResponse:
    return api.create_response(request, {"errors": error_items(exc)}, status=exc.status)


def _validation_item(err: dict[str, Any]) -> dict[str, Any]:
    loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "form", "file")]
    field = ".".join(p for p in loc if p not in ("payload",)) or None
    known = _PYDANTIC_MESSAGES.get(err.get("type", ""))
    if known is not None:
        return error_item(field, known)
    item = error_item(field, _GENERIC)
    detail = str(err.get("msg", ""))
    return {**item, "message": f"{item['message']} {detail}".strip(), "message_en": detail or item["message_en"]}


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input that does not fit the schema: 400, one entry per field at fault."""
    return api.create_response(request, {"errors": [_validation_item(e) for e in exc.errors]}, status=400)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error_response(request, 401, STATUS_MESSAGES[401])


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__  # ninja wraps whatever the parser raised in "HttpError(400, Cannot parse …)"
    if isinstance(cause, FieldError):
        return _field_error(request, cause)
    if isinstance(cause, MultiPartParserError):
        return _multipart_error(request, cause)
    if isinstance(cause, SuspiciousOperation):
        return _suspicious(request, cause)
    if isinstance(cause, ValueError):  # JSONDecodeError, UnicodeDecodeError, too many digits
        return _error_response(request, 400, _PYDANTIC_MESSAGES["json_invalid"])
    return _error_response(request, exc.status_code, STATUS_MESSAGES.get(exc.status_code, STATUS_MESSAGES[400]))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error_response(request, 404, _("Not found."))


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error_response(request, 403, STATUS_MESSAGES[403])


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    """Django's request limits: a body over DATA_UPLOAD_MAX_MEMORY_SIZE is 413, too many fields 400."""
    if isinstance(exc, RequestDataTooBig):
        return _error_response(request, 413, STATUS_MESSAGES[413])
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return _error_response(request, 400, _("The request has too many fields or files."))
    return _error_response(request, 400, STATUS_MESSAGES[400])


@api.exception_handler(MultiPartParserError)
def _multipart_error(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    """A form Django cannot read; most often a part's headers over 1 KiB, i.e. a very long file name."""
    return _error_response(request, 400, _("The upload cannot be read: is a file name very long?"))


@api.exception_handler(OverflowError)
def _overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number or date beyond what the database or the calendar can hold (e.g. a 31-digit id)."""
    return _error_response(request, 400, _("A number or date in the request is out of range."))


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """The database refused a value the schemas let through (out of range, too long): the input's fault."""
    return _error_response(request, 400, _("A value in the request is out of range or too long."))


def register_routers() -> None:
    """Mount every app's router; each app owns its `api.py`."""
    from zhenwu.accounts.api import router as accounts_router
    from zhenwu.areas.api import router as areas_router
    from zhenwu.assistance.api import router as assistance_router
    from zhenwu.assistance.api_calc import grants_router as assistance_grants_router
    from zhenwu.assistance.api_calc import payments_router as assistance_payments_router
    from zhenwu.assistance.api_calc import rules_router as assistance_rules_router
    from zhenwu.assistance.api_warnings import imports_router as assistance_imports_router
    from zhenwu.assistance.api_warnings import mutual_aid_router as assistance_mutual_aid_router
    from zhenwu.assistance.api_warnings import warnings_router as assistance_warnings_router
    from zhenwu.casework.api import router as casework_router
    from zhenwu.casework.api_supervision import router as supervision_router
    from zhenwu.enforcement.api import router as enforcement_router
    from zhenwu.enforcement.api_hearings import router as enforcement_hearings_router
    from zhenwu.enforcement.api_inspection import router as enforcement_inspection_router
    from zhenwu.enforcement.api_links import followups_router as enforcement_followups_router
    from zhenwu.enforcement.api_links import mobile_router as enforcement_mobile_router
    from zhenwu.enforcement.api_links import publications_router as enforcement_publications_router
    from zhenwu.grid.api import router as grid_router
    from zhenwu.grid.api_device import router as grid_device_router
    from zhenwu.grid.api_disputes import router as grid_disputes_router
    from zhenwu.grid.api_patrols import router as grid_patrols_router
    from zhenwu.grid.api_scoring import indicators_router as grid_indicators_router
    from zhenwu.grid.api_scoring import scores_router as grid_scores_router
    from zhenwu.grid.api_visits import router as grid_visits_router
    from zhenwu.registry.api import router as registry_router
    from zhenwu.registry.api_io import router as registry_io_router
    from zhenwu.services.api import router as services_router

    api.add_router("/areas", areas_router)
    api.add_router("/accounts/", accounts_router)
    api.add_router("/casework/supervision/", supervision_router)
    api.add_router("/casework/", casework_router)
    api.add_router("/registry/io/", registry_io_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/services/", services_router)
    api.add_router("/grid/device-token", grid_device_router)
    api.add_router("/grid/patrols/", grid_patrols_router)
    api.add_router("/grid/disputes/", grid_disputes_router)
    api.add_router("/grid/visits/", grid_visits_router)
    api.add_router("/grid/scores/", grid_scores_router)
    api.add_router("/grid/indicators/", grid_indicators_router)
    api.add_router("/grid/", grid_router)
    api.add_router("/enforcement/publications", enforcement_publications_router)
    api.add_router("/enforcement/supervision-tasks", enforcement_followups_router)
    api.add_router("/enforcement/my-tasks", enforcement_mobile_router)
    api.add_router("/enforcement/inspections/", enforcement_inspection_router)
    api.add_router("/enforcement/cases", enforcement_hearings_router)  # 听证笔录 (before the main router)
    api.add_router("/enforcement/", enforcement_router)
    api.add_router("/assistance/rules", assistance_rules_router)
    api.add_router("/assistance/grants", assistance_grants_router)
    api.add_router("/assistance/payments", assistance_payments_router)
    api.add_router("/assistance/warnings", assistance_warnings_router)
    api.add_router("/assistance/imports", assistance_imports_router)
    api.add_router("/assistance/mutual-aid", assistance_mutual_aid_router)
    api.add_router("/assistance/", assistance_router)  # after the prefixed assistance routers


register_routers()
