"""The API's routes nested by their first segment resolve and reverse exactly as ninja's flat list did."""

from __future__ import annotations

import re
import sys
import types

from django.urls import URLPattern, get_resolver, path, reverse
from ninja.main import NinjaAPI

from zhenwu.api import api, urls_by_first_segment

PREFIX = "/api/v1/"


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _value(converter: str | None) -> int | str:
    """A value every converter of the API accepts: a number for ``int`` (or none named), a slug otherwise."""
    return 7 if converter in ("int", None) else "x-7"


def _example(route: str) -> str:
    """A concrete path for a route: every converter given a value it accepts."""
    return _CONVERTER.sub(lambda m: str(_value(m.group(1))), route)


def _kwargs(route: str) -> dict[str, object]:
    return {m.group(2): _value(m.group(1)) for m in _CONVERTER.finditer(route)}


# A URL configuration with the API as ninja lays it out, one flat list: what nesting must equal.
FLAT = "tests.flat_api_urls"
_module = types.ModuleType(FLAT)
_module.urlpatterns = [path("api/v1/", (NinjaAPI._get_urls(api), "ninja", "api"))]  # type: ignore[attr-defined]
sys.modules[FLAT] = _module


def test_every_route_resolves_and_reverses_as_in_the_flat_list() -> None:
    flat = NinjaAPI._get_urls(api)
    assert len(flat) > 200
    nested, before = get_resolver(), get_resolver(FLAT)
    for pattern in flat:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        was, now = before.resolve(PREFIX + _example(route)), nested.resolve(PREFIX + _example(route))
        assert (now.url_name, now.route, now.namespaces, now.kwargs) == (
            was.url_name, was.route, was.namespaces, was.kwargs), route
        if pattern.name:
            kwargs = _kwargs(route)
            assert reverse(f"api:{pattern.name}", kwargs=kwargs) == reverse(f"api:{pattern.name}", kwargs=kwargs,
                                                                           urlconf=FLAT), route


def test_a_late_route_is_found_after_few_tries() -> None:
    match = get_resolver().resolve("/api/v1/grid/incidents")
    assert match.tried is not None
    assert match.url_name == "incident_create"
    assert len(match.tried) < 60  # flat, 130 routes were tried and copied before this one


def test_one_segment_routes_stay_and_groups_keep_first_appearance_order() -> None:
    flat = NinjaAPI._get_urls(api)
    expected: list[str] = []
    for pattern in flat:
        route = str(pattern.pattern)
        key = route.split("/")[0] + "/" if "/" in route else route
        if key not in expected:
            expected.append(key)
    nested = [str(p.pattern) for p in urls_by_first_segment(flat)]
    assert nested == expected
    assert "openapi.json" in nested and "areas" in nested and "areas/" in nested and "grid/" in nested
