"""The format layer of Open311 on its own: XML and JSON rendering, the error list, parameter reading."""

from __future__ import annotations

import datetime as dt
import json
from xml.etree import ElementTree as ET  # noqa: N817

import pytest
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from zhenwu.grid.open311.formats import Open311Error, comma_list, error_response, respond, to_xml
from zhenwu.grid.open311.params import parse_datetime, request_input, request_query

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def test_xml_names_list_items_after_the_spec_and_declares_utf8():
    body = to_xml("services", [{"service_code": "E0101", "metadata": False, "group": None}])
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(body)
    assert root.tag == "services"
    assert [c.tag for c in root] == ["service"]
    assert root.findtext("service/service_code") == "E0101"
    assert root.findtext("service/metadata") == "false"
    group = root.find("service/group")
    assert group is not None and group.text is None  # null is an empty element


def test_nested_lists_of_a_service_definition():
    value = {"service_code": "E0101", "attributes": [{"code": "A", "values": [{"key": "1", "name": "一"}]}]}
    root = ET.fromstring(to_xml("service_definition", value))
    assert root.findtext("attributes/attribute/values/value/name") == "一"


def test_times_carry_their_offset_in_both_formats(settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    at = dt.datetime(2026, 11, 26, 1, 2, 3, tzinfo=dt.UTC)
    xml = ET.fromstring(respond("xml", "service_requests", [{"requested_datetime": at}]).content)
    assert xml.findtext("request/requested_datetime") == "2026-11-26T09:02:03+08:00"
    data = json.loads(respond("json", "service_requests", [{"requested_datetime": at}]).content)
    assert data == [{"requested_datetime": "2026-11-26T09:02:03+08:00"}]


def test_content_types_are_the_specs():
    assert respond("xml", "services", [])["Content-Type"] == "text/xml; charset=utf-8"
    assert respond("json", "services", [])["Content-Type"] == "application/json; charset=utf-8"


def test_an_error_is_a_list_of_code_and_description_in_both_languages():
    error = Open311Error(403, _("api_key: required to POST a service request."))
    xml = ET.fromstring(error_response("xml", error).content)
    assert xml.tag == "errors"
    assert xml.findtext("error/code") == "403"
    description = xml.findtext("error/description") or ""
    assert "api_key" in description and "(" in description
    response = error_response("json", error)
    assert response.status_code == 403
    assert json.loads(response.content)[0]["code"] == 403


def test_an_unknown_format_answers_xml():
    assert error_response("html", Open311Error(404, "x"))["Content-Type"].startswith("text/xml")


def test_comma_lists_drop_blanks():
    assert comma_list(" a, b,,c ,") == ["a", "b", "c"]
    assert comma_list(None) == []


def test_attributes_are_read_single_and_multiple():
    data = QueryDict("service_code=E0101&attribute[SIZE]=2&attribute[KIND][]=a&attribute[KIND][]=b&lat=31.9&long=119.5")
    found = request_input(data, QueryDict())
    assert found.attributes == {"SIZE": ["2"], "KIND": ["a", "b"]}
    assert (found.lat, found.long) == (31.9, 119.5)


@pytest.mark.parametrize("query", ["lat=31.9", "lat=abc&long=1", "lat=nan&long=1", "long=inf&lat=1"])
def test_a_bad_or_half_point_is_400(query):
    with pytest.raises(Open311Error) as caught:
        request_input(QueryDict(query), QueryDict())
    assert caught.value.status == 400


def test_over_long_text_is_400_naming_the_field():
    with pytest.raises(Open311Error) as caught:
        request_input(QueryDict(f"description={'x' * 4001}"), QueryDict())
    assert "description" in caught.value.items()[0]["description"]


def test_api_key_may_come_in_the_query_string():
    assert request_input(QueryDict(), QueryDict("api_key=k")).api_key == "k"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-05T08:15:30Z", dt.datetime(2026, 11, 5, 8, 15, 30, tzinfo=dt.UTC)),
    ("2026-11-05T16:15:30+08:00", dt.datetime(2026, 11, 5, 8, 15, 30, tzinfo=dt.UTC)),
    ("2026-11-05T16:15:30 08:00", dt.datetime(2026, 11, 5, 8, 15, 30, tzinfo=dt.UTC)),  # '+' sent unencoded
])
def test_dates_in_iso_8601(raw, expected):
    assert parse_datetime("start_date", raw) == expected


def test_a_bad_date_is_400():
    with pytest.raises(Open311Error):
        parse_datetime("start_date", "yesterday")


def test_the_default_window_is_the_last_90_days_and_1000_results():
    query = request_query(QueryDict(), now=NOW)
    assert (query.start, query.end) == (NOW - dt.timedelta(days=90), NOW)
    assert (query.page, query.page_size) == (1, 1000)


def test_a_start_alone_spans_90_days_at_most():
    query = request_query(QueryDict("start_date=2026-01-01T00:00:00Z"), now=NOW)
    assert query.end - query.start == dt.timedelta(days=90)


@pytest.mark.parametrize("query", [
    "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",  # over 90 days
    "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",  # reversed
    "status=pending", "page=0", "page_size=1001", "page=x",
])
def test_bad_filters_are_400(query):
    with pytest.raises(Open311Error) as caught:
        request_query(QueryDict(query), now=NOW)
    assert caught.value.status == 400


def test_ids_and_statuses_are_comma_lists():
    query = request_query(QueryDict("service_request_id=A,B,A&status=open,closed"), now=NOW)
    assert query.ids == ["A", "B"]
    assert query.statuses == ["open", "closed"]
