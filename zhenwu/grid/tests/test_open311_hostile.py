"""No Open311 address answers 500 to hostile input, and every refusal is the spec's error list."""

from __future__ import annotations

import pytest

from zhenwu.grid.tests.open311_spec import ERRORS, read

pytestmark = pytest.mark.django_db

HOSTILE = ["", "0", "-1", "99999999999999999999", "1e309", "nan", "abc", "' OR 1=1 --", "../../etc/passwd",
           "%00", "中文", "2025-02-30", "x" * 3000, "<script>", "9223372036854775808", "1" * 31,
           ",".join(["A"] * 1001)]
GET_PARAMS = ["service_request_id", "service_code", "start_date", "end_date", "status", "page", "page_size",
              "jurisdiction_id"]
POST_FIELDS = ["service_code", "lat", "long", "address_string", "description", "attribute[AMOUNT]", "phone",
               "jurisdiction_id", "media_url"]


def answered(response, fmt: str = "json") -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert read(response, fmt, ERRORS)


@pytest.mark.parametrize("value", HOSTILE)
def test_get_requests_survives_any_filter(world, value):
    for name in GET_PARAMS:
        answered(world.get("requests.json", **{name: value}))


@pytest.mark.parametrize("value", HOSTILE)
def test_post_requests_survives_any_field(world, value):
    for name in POST_FIELDS:
        answered(world.report("json", code="E0101", **{name: value}))


def test_a_nul_byte_is_refused_before_any_view(world):
    # the site-wide NUL guard (zhenwu.web.middleware) answers first, with the API's own error body
    assert world.http.get("/open311/v2/requests/%00.xml").status_code == 400


@pytest.mark.parametrize("value", ["x" * 150, "%2e%2e", "a.b", "中文", "%20", "SJ-1;DROP"])
def test_identifiers_in_the_path(world, value):
    for path in ("services/{}.xml", "requests/{}.xml", "tokens/{}.xml", "media/{}/" + "0" * 64):
        answered(world.http.get("/open311/v2/" + path.format(value)), "xml")
