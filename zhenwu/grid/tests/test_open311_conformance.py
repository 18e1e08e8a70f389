"""Every GeoReport v2 endpoint, in XML and in JSON, checked against the spec's rules (open311_spec)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhenwu.casework.models import Case
from zhenwu.grid.models import Incident, Open311Attribute
from zhenwu.grid.process import LABELS
from zhenwu.grid.tests.factories import POINT_B, report
from zhenwu.grid.tests.open311_spec import (
    CREATED,
    DEFINITION,
    DISCOVERY,
    REQUEST,
    SERVICE,
    TOKEN,
    check,
    check_attribute,
    check_errors,
)
from zhenwu.grid.tests.open311_world import FORMATS
from zhenwu.testing import TOWN

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("fmt", FORMATS)]


def test_discovery_names_this_endpoint_and_both_formats(world, fmt):
    data = check(world.get(f"discovery.{fmt}"), fmt, DISCOVERY)
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}


def test_discoverys_changeset_moves_when_a_question_changes(world, fmt):
    later = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    Open311Attribute.objects.filter(code="HEAPS").update(updated_at=later)
    data = check(world.get(f"discovery.{fmt}"), fmt, DISCOVERY)
    assert dt.datetime.fromisoformat(data["changeset"]) == later


def test_services_are_the_minor_categories_grouped_by_major_class(world, fmt):
    data = check(world.get(f"services.{fmt}"), fmt, SERVICE)
    by_code = {s["service_code"]: s for s in data}
    assert set(by_code) == set(world.categories)
    rubbish = by_code["E0101"]
    assert rubbish["service_name"] == world.categories["E0101"].name
    assert rubbish["group"] == world.categories["E0101"].parent.name
    assert str(rubbish["metadata"]).lower() == "true"  # it asks questions
    assert str(by_code["P0101"]["metadata"]).lower() == "false"
    assert all(s["type"] == "realtime" for s in data)


def test_a_service_definition_lists_its_attributes_in_order(world, fmt):
    data = check(world.get(f"services/E0101.{fmt}"), fmt, DEFINITION)
    assert data["service_code"] == "E0101"
    for attribute in data["attributes"]:
        check_attribute(attribute, fmt)
    assert [a["code"] for a in data["attributes"]] == ["AMOUNT", "HEAPS", "KINDS", "SEEN"]
    amount = data["attributes"][0]
    assert str(amount["required"]).lower() == "true"
    assert [v["key"] for v in amount["values"]] == ["small", "big"]


def test_a_service_without_questions_has_an_empty_definition(world, fmt):
    assert check(world.get(f"services/P0101.{fmt}"), fmt, DEFINITION)["attributes"] == []


def test_an_unknown_service_definition_is_404(world, fmt):
    check_errors(world.get(f"services/X9999.{fmt}"), fmt, 404)


def test_post_answers_the_id_then_get_finds_it_by_id_list_and_token(world, fmt):
    created = check(world.report(fmt, code="E0101", account_id="acc-7"), fmt, CREATED)[0]
    number = created["service_request_id"]
    assert created["account_id"] == "acc-7" and created["service_notice"]
    one = check(world.get(f"requests/{number}.{fmt}"), fmt, REQUEST)
    assert len(one) == 1 and one[0]["service_request_id"] == number
    assert one[0]["status"] == "open" and one[0]["service_code"] == "E0101"
    listed = check(world.get(f"requests.{fmt}", service_request_id=f"{number},NOPE"), fmt, REQUEST)
    assert [r["service_request_id"] for r in listed] == [number]
    token = check(world.get(f"tokens/{created['token']}.{fmt}"), fmt, TOKEN)
    assert token[0]["service_request_id"] == number


def test_a_request_carries_the_specs_fields(world, fmt):
    incident = report(None, category="E0106", description="违章搭建", address="东山路 1 号", source="citizen")
    found = check(world.get(f"requests/{incident.case.number}.{fmt}"), fmt, REQUEST)[0]
    assert found["service_name"] == incident.category_version.name
    assert found["description"] == "违章搭建" and found["address"] == "东山路 1 号"
    assert float(found["lat"]) == pytest.approx(incident.lat) and float(found["long"]) == pytest.approx(incident.lng)
    assert found["agency_responsible"] == incident.category_version.department_name
    assert found["media_url"].startswith("http://testserver/open311/v2/media/")
    assert dt.datetime.fromisoformat(found["requested_datetime"]) == incident.created_at.replace(microsecond=0)
    assert found["requested_datetime"].endswith("+08:00")
    assert found["status_notes"] == LABELS["reported"]
    photo = world.http.get(found["media_url"])
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_a_merged_request_is_closed_with_a_note_naming_the_original(world, fmt):
    original, copy = report(None, source="citizen"), report(None, source="citizen")
    Incident.objects.filter(pk=copy.pk).update(merged_into=original, is_open=False)
    Case.objects.filter(pk=copy.case_id).update(status="merged")
    found = check(world.get(f"requests/{copy.case.number}.{fmt}"), fmt, REQUEST)[0]
    assert found["status"] == "closed"
    assert found["status_notes"].startswith(LABELS["merged"]) and original.case.number in found["status_notes"]


def test_the_default_window_is_90_days_and_dates_widen_it(world, fmt):
    old = report(None, source="citizen")
    Incident.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=100))
    new = report(None, source="citizen")
    numbers = [r["service_request_id"] for r in check(world.get(f"requests.{fmt}"), fmt, REQUEST)]
    assert numbers == [new.case.number]
    start = (timezone.now() - dt.timedelta(days=120)).isoformat()
    end = (timezone.now() - dt.timedelta(days=90)).isoformat()
    numbers = [r["service_request_id"] for r in
               check(world.get(f"requests.{fmt}", start_date=start, end_date=end), fmt, REQUEST)]
    assert numbers == [old.case.number]


def test_filters_by_service_code_and_status(world, fmt):
    rubbish, lamp = report(None, category="E0101", source="citizen"), report(None, category="P0201",
                                                                              source="citizen", point=POINT_B)
    Incident.objects.filter(pk=lamp.pk).update(is_open=False)

    def numbers(**params):
        return [r["service_request_id"] for r in check(world.get(f"requests.{fmt}", **params), fmt, REQUEST)]

    assert numbers(service_code="P0201") == [lamp.case.number]
    assert numbers(service_code="E0101,P0201") == [lamp.case.number, rubbish.case.number]
    assert numbers(status="closed") == [lamp.case.number]
    assert numbers(status="open") == [rubbish.case.number]
    closed = check(world.get(f"requests/{lamp.case.number}.{fmt}"), fmt, REQUEST)[0]
    assert closed["status"] == "closed"


def test_at_most_the_cap_and_pages_beyond_it(world, fmt, settings):
    settings.OPEN311_MAX_RESULTS = 2
    made = [report(None, source="citizen").case.number for _ in range(3)]
    first = check(world.get(f"requests.{fmt}"), fmt, REQUEST)
    assert [r["service_request_id"] for r in first] == made[::-1][:2]
    second = check(world.get(f"requests.{fmt}", page=2), fmt, REQUEST)
    assert [r["service_request_id"] for r in second] == [made[0]]
    assert check(world.get(f"requests.{fmt}", page=2, page_size=1), fmt, REQUEST)[0]["service_request_id"] == made[1]
    check_errors(world.get(f"requests.{fmt}", page_size=3), fmt, 400)


@pytest.mark.parametrize("params", [{"status": "pending"}, {"start_date": "soon"}, {"page": "0"},
                                    {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"}])
def test_bad_filters_are_400(world, fmt, params):
    check_errors(world.get(f"requests.{fmt}", **params), fmt, 400)


@pytest.mark.parametrize("path", ["requests/SJ-NOPE.{fmt}", "tokens/nope.{fmt}", "nowhere.{fmt}",
                                  "services/E0101/extra.{fmt}"])
def test_unknown_addresses_are_the_specs_404(world, fmt, path):
    check_errors(world.get(path.format(fmt=fmt)), fmt, 404)


def test_jurisdiction_is_the_town_code(world, fmt):
    check(world.get(f"services.{fmt}", jurisdiction_id=TOWN), fmt, SERVICE)
    check_errors(world.get(f"services.{fmt}", jurisdiction_id="999999999"), fmt, 404)
    check_errors(world.get(f"requests.{fmt}", jurisdiction_id="nope"), fmt, 404)


def test_a_wrong_method_is_405_with_allow(world, fmt):
    response = world.http.delete(f"/open311/v2/services.{fmt}")
    check_errors(response, fmt, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_browsers_may_call_from_any_site(world, fmt):
    assert world.get(f"services.{fmt}")["Access-Control-Allow-Origin"] == "*"
    preflight = world.http.options(f"/open311/v2/requests.{fmt}")
    assert preflight.status_code == 204
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert preflight["Access-Control-Allow-Origin"] == "*"


def test_ids_find_requests_outside_the_default_window(world, fmt):
    old = report(None, source="citizen")
    Incident.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    found = check(world.get(f"requests.{fmt}", service_request_id=old.case.number, status="closed"), fmt, REQUEST)
    assert [r["service_request_id"] for r in found] == [old.case.number]  # the other filters are ignored


def test_with_several_towns_the_jurisdiction_is_required(world, fmt, town, settings):
    from zhenwu.areas.choices import AreaLevel
    from zhenwu.areas.services import area_create
    from zhenwu.testing import square

    area_create(code="321181103", name="邻镇", level=AreaLevel.TOWN, parent=town.county,
                geometry=square(119.65, 31.90, 119.75, 32.00))
    check_errors(world.get(f"services.{fmt}"), fmt, 400)
    check(world.get(f"services.{fmt}", jurisdiction_id=TOWN), fmt, SERVICE)
    settings.OPEN311_JURISDICTIONS = [TOWN]  # or the server is set to serve one of them
    check(world.get(f"services.{fmt}"), fmt, SERVICE)


def test_a_longer_list_costs_no_more_queries(world, fmt, django_assert_max_num_queries, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # the throttle prunes its ended windows on one request in 500, at random: an extra DELETE in either request
    monkeypatch.setattr("zhenwu.accounts.throttle.PRUNE_ONE_IN", 10**18)
    report(None, source="citizen")
    with CaptureQueriesContext(connection) as one:
        world.get(f"requests.{fmt}")
    for _ in range(4):
        report(None, source="citizen")
    with django_assert_max_num_queries(len(one.captured_queries)):
        world.get(f"requests.{fmt}")
