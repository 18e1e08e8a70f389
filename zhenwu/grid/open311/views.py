"""The GeoReport v2 endpoints. Thin: read parameters, ask selectors or the service, render.

Every endpoint is anonymous (POST requests proves a client by its api_key instead), counted per client
address by the shared throttle (``open311_ip``; POSTs also per api_key, ``open311_client``), and
answers every failure — a bad parameter, an unknown path, a wrong method, a limit — as the spec's
error list in the format the URL asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Max
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from zhenwu.accounts.throttle import throttle_hit
from zhenwu.areas.models import Area
from zhenwu.casework.idempotency import body_digest, idempotent
from zhenwu.casework.models import Attachment
from zhenwu.errors import FieldError, gettext
from zhenwu.grid.models import CategoryVersion, Open311Attribute
from zhenwu.grid.open311 import documents, selectors
from zhenwu.grid.open311.clients import open311_client_lookup
from zhenwu.grid.open311.formats import DEFAULT_FORMAT, Open311Error, error_response, respond
from zhenwu.grid.open311.params import request_input, request_query
from zhenwu.grid.open311.services import open311_request_create

View = Callable[..., HttpResponseBase]


def _ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "-")


def _limit(scope: str, key: str) -> None:
    if not throttle_hit(scope=scope, key=key):
        raise Open311Error(429, _("Too many requests; wait a few minutes and try again."))


def _preflight(allowed: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = response["Access-Control-Allow-Methods"] = allowed
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _answer(request: HttpRequest, view: View, allowed: tuple[str, ...], fmt: str, *args: Any,
            **kwargs: Any) -> HttpResponseBase:
    try:
        if request.method == "OPTIONS":
            return _preflight(", ".join(allowed))
        if request.method not in allowed:
            response = error_response(fmt, Open311Error(405, _("This method is not allowed here.")))
            response["Allow"] = ", ".join(allowed)
            return response
        _limit("open311_ip", _ip(request))
        return view(request, *args, fmt=fmt, **kwargs)
    except Open311Error as exc:
        return error_response(fmt, exc)


def endpoint(*methods: str) -> Callable[[View], View]:
    """An Open311 endpoint: allowed methods (HEAD with GET, OPTIONS for browsers' preflight), the
    per-address throttle, errors as the spec's list. Any origin may call: nothing here rides on cookies
    (POST proves itself by its api_key), so web-based 311 clients work from their own sites."""
    allowed = tuple(dict.fromkeys([*methods, *(["HEAD"] if "GET" in methods else []), "OPTIONS"]))

    def wrap(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def run(request: HttpRequest, *args: Any, fmt: str = DEFAULT_FORMAT, **kwargs: Any) -> HttpResponseBase:
            response = _answer(request, view, allowed, fmt, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            return response

        return run

    return wrap


def _town(request: HttpRequest) -> Area:
    """The jurisdiction named by ``jurisdiction_id`` (form field on POST, else query string)."""
    raw = request.POST.get("jurisdiction_id") if request.method == "POST" else None
    return selectors.jurisdiction_resolve((raw or request.GET.get("jurisdiction_id") or "").strip())


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """The changeset moves whenever a category version or a question changes: clients refresh their cache."""
    stamps = [CategoryVersion.objects.aggregate(last=Max("created_at"))["last"],
              Open311Attribute.objects.aggregate(last=Max("updated_at"))["last"]]
    changed = max((s for s in stamps if s is not None), default=None)
    value = documents.discovery(request, (changed or timezone.now()).replace(microsecond=0),
                                settings.OPEN311_CONTACT, settings.OPEN311_KEY_SERVICE)
    return respond(fmt, "discovery", value)


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    _town(request)
    return respond(fmt, "services", [documents.service(c) for c in selectors.services()])


@endpoint("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    _town(request)
    return respond(fmt, "service_definition", documents.service_definition(selectors.service_get(code)))


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    """The api_key first (403 before any other check), then the fields, the town, the service."""
    key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    if not key:
        raise Open311Error(403, _("api_key: required to POST a service request."))
    client = open311_client_lookup(key)
    if client is None:
        raise Open311Error(403, _("api_key: not valid; ask the town for a key."))
    _limit("open311_client", str(client.pk))
    data = request_input(request.POST, request.GET)
    town = _town(request)
    photos = [(f.name or "media", f.read()) for f in request.FILES.getlist("media")]

    def create() -> tuple[int, Any]:
        row = open311_request_create(client=client, town=town, data=data, photos=photos)
        return 200, documents.created(row)

    # A client that retries may send an Idempotency-Key (our extension): one request, one incident.
    digest = body_digest({k: request.POST.getlist(k) for k in request.POST if k != "api_key"}, photos)
    try:
        _status, answer = idempotent(request, digest, create, owner=f"open311:{client.pk}")
    except FieldError as exc:  # the key's own errors: malformed (400), reused for another body (409)
        raise Open311Error(exc.status, *(_field_message(f, m) for f, m in exc.errors)) from exc
    return respond(fmt, "service_requests", [documents.created_in_order(answer)])


def _field_message(field: str | None, message: Any) -> Any:
    return gettext("%(field)s: %(message)s") % {"field": field, "message": message} if field else message


@endpoint("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    town = _town(request)
    found = selectors.request_list(town, request_query(request.GET))
    return respond(fmt, "service_requests", [documents.service_request(request, i) for i in found])


@endpoint("GET")
def request_detail(request: HttpRequest, number: str, fmt: str) -> HttpResponse:
    incident = selectors.request_get(_town(request), number)
    return respond(fmt, "service_requests", [documents.service_request(request, incident)])


@endpoint("GET")
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    row = selectors.token_get(_town(request), token)
    return respond(fmt, "service_requests", [documents.token(row)])


@endpoint("GET")
def media(request: HttpRequest, number: str, sha256: str, fmt: str = DEFAULT_FORMAT) -> FileResponse:
    """A report photo of a service request (the ``media_url``): only the photos the reporter attached."""
    incident = selectors.request_get(_town(request), number)
    found = Attachment.objects.filter(sha256=sha256).first() if sha256 in (incident.photos or []) else None
    if found is None or not found.content_type.startswith("image/"):
        raise Open311Error(404, _("No such photo."))
    response = FileResponse(default_storage.open(found.storage_name, "rb"), content_type=found.content_type)
    response["Cache-Control"] = "public, max-age=86400, immutable"  # content-addressed
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found(request: HttpRequest, rest: str = "", fmt: str = DEFAULT_FORMAT) -> HttpResponse:
    """Any other address under /open311/v2/: the spec's 404 list (JSON when the path asks for .json)."""
    raise Open311Error(404, _("No such Open311 address; see discovery.xml."))
