"""Reads behind the Open311 endpoints: jurisdictions, services (categories), requests (incidents), tokens.

Open311 is the public face of the jurisdiction's service requests, for clients without a login, so
these reads are cut to the jurisdiction (the town's area-code prefix) rather than to a user's scope
(``restrict`` gives an anonymous caller nothing by design). Only public fields are ever read out:
the reporter's name, mobile, email and the client's account details stay in the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.grid.models import Category, Incident, Open311Attribute, Open311Request
from zhenwu.grid.open311.formats import Open311Error
from zhenwu.grid.open311.params import RequestQuery


def jurisdictions() -> list[Area]:
    """The towns this endpoint serves: ``OPEN311_JURISDICTIONS`` (town codes), else every town."""
    towns = Area.objects.filter(level=AreaLevel.TOWN).order_by("code")
    if settings.OPEN311_JURISDICTIONS:
        towns = towns.filter(code__in=settings.OPEN311_JURISDICTIONS)
    return list(towns)


def jurisdiction_resolve(jurisdiction_id: str) -> Area:
    """The town named by ``jurisdiction_id``; optional while the endpoint serves one town (the spec)."""
    towns = jurisdictions()
    if jurisdiction_id:
        found = next((t for t in towns if t.code == jurisdiction_id), None)
        if found is None:
            raise Open311Error(404, _("jurisdiction_id: no such jurisdiction (use the town code)."))
        return found
    if len(towns) == 1:
        return towns[0]
    if not towns:
        raise Open311Error(404, _("This server has no jurisdiction set up yet."))
    raise Open311Error(400, _("jurisdiction_id: required, because this server serves several towns."))


def services() -> QuerySet[Category]:
    """The services: active minor categories with a current version, their major class and questions."""
    questions = Prefetch("open311_attributes", queryset=Open311Attribute.objects.order_by("order", "code"))
    return (Category.objects.filter(active=True, parent__isnull=False, parent__active=True,
                                    current_version__isnull=False)
            .select_related("parent", "current_version").prefetch_related(questions)
            .order_by("type", "parent__sort", "parent__code", "sort", "code"))


def service_get(code: str, *, status: int = 404) -> Category:
    """One service by its code; ``status`` is 404 for a service definition and 400 for a POST."""
    found = services().filter(code=code).first() if code else None
    if found is None:
        raise Open311Error(status, _("service_code: no such service; GET services lists the codes."))
    return found


def _requests(town: Area) -> QuerySet[Incident]:
    return (Incident.objects.filter(case__town_code=town.code)
            .select_related("case", "case__handler_unit", "category__current_version", "category_version",
                            "merged_into__case", "open311"))


def request_list(town: Area, query: RequestQuery) -> list[Incident]:
    """GET requests: by ids (the other filters ignored, as the spec says), else filtered and windowed on
    the time requested; newest first, one page of at most ``page_size``."""
    qs = _requests(town)
    if query.ids:
        qs = qs.filter(case__number__in=query.ids)
    else:
        qs = qs.filter(created_at__gte=query.start, created_at__lte=query.end)
        if query.service_codes:
            qs = qs.filter(category__code__in=query.service_codes)
        if len(query.statuses) == 1:
            qs = qs.filter(is_open=query.statuses[0] == "open")
    offset = (query.page - 1) * query.page_size
    return list(qs.order_by("-created_at", "-pk")[offset:offset + query.page_size])


def request_get(town: Area, number: str) -> Incident:
    found = _requests(town).filter(case__number=number).first()
    if found is None:
        raise Open311Error(404, _("service_request_id: no such service request."))
    return found


def token_get(town: Area, token: str) -> Open311Request:
    found = (Open311Request.objects.select_related("incident__case")
             .filter(token=token, incident__case__town_code=town.code).first())
    if found is None:
        raise Open311Error(404, _("token: no such token."))
    return found
