"""POST requests: the api_key, the service, the location, the attributes — each refusal is the spec's
error list and leaves nothing written; an accepted request files an open311 incident."""

from __future__ import annotations

import json

import pytest

from zhenwu.casework.models import Case
from zhenwu.grid.models import Incident, Open311Client, Open311Request
from zhenwu.grid.tests.factories import OUTSIDE, POINT_A, POINT_B, jpeg
from zhenwu.grid.tests.open311_spec import CREATED, check, check_errors
from zhenwu.grid.tests.open311_world import FORMATS
from zhenwu.testing import GRID_A, GRID_B

pytestmark = pytest.mark.django_db


def nothing_written() -> bool:
    return not Incident.objects.exists() and not Case.objects.exists() and not Open311Request.objects.exists()


def descriptions(response) -> str:
    return " ".join(e["description"] for e in json.loads(response.content))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", ["", "o311_nope_nope", "not-a-key"])
def test_it_refuses_a_missing_or_wrong_api_key_with_403(world, fmt, key):
    check_errors(world.report(fmt, api_key=key), fmt, 403)
    assert nothing_written()


def test_the_api_key_is_checked_before_anything_else(world):
    check_errors(world.report("json", api_key="", lat="abc", code="X9999"), "json", 403)


def test_a_disabled_client_is_refused(world):
    Open311Client.objects.update(active=False)
    check_errors(world.report("json"), "json", 403)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_bad_or_missing_service_code_is_400(world, fmt):
    check_errors(world.report(fmt, code="X9999"), fmt, 400)
    check_errors(world.post(fmt, lat=POINT_A[1], long=POINT_A[0]), fmt, 400)
    assert nothing_written()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_point_outside_the_town_is_400(world, fmt):
    response = world.report(fmt, point=OUTSIDE)
    check_errors(response, fmt, 400)
    assert nothing_written()


def test_a_location_is_required(world):
    response = world.post("json", service_code="P0101", description="无位置")
    check_errors(response, "json", 400)
    assert "address_string" in descriptions(response)
    check_errors(world.post("json", service_code="P0101", lat="31.95"), "json", 400)  # half a point
    assert nothing_written()


def test_an_address_alone_goes_to_the_configured_grid(world, settings):
    # nothing of the registry or the area names at 东山路口 (test_open311_address.py: what is found first)
    check_errors(world.post("json", service_code="P0101", address_string="东山路口"), "json", 400)
    settings.OPEN311_ADDRESS_GRID = GRID_B
    created = check(world.post("json", service_code="P0101", address_string="东山路口", address_id="A-17"),
                    "json", CREATED)[0]
    incident = Incident.objects.get(case__number=created["service_request_id"])
    assert incident.case.area_code == GRID_B and incident.lat is None and incident.address == "东山路口"
    assert incident.open311.address_id == "A-17"


def test_a_required_attribute_is_checked(world):
    response = world.post("json", service_code="E0101", lat=POINT_A[1], long=POINT_A[0])
    check_errors(response, "json", 400)
    assert "attribute[AMOUNT]" in descriptions(response)
    assert nothing_written()


@pytest.mark.parametrize(("code", "value"), [("AMOUNT", "huge"), ("HEAPS", "three"), ("SEEN", "yesterday"),
                                             ("KINDS", "glass")])
def test_attribute_values_follow_their_datatype(world, code, value):
    response = world.report("json", code="E0101", **{f"attribute[{code}]": value})
    check_errors(response, "json", 400)
    assert f"attribute[{code}]" in descriptions(response)
    assert nothing_written()


def test_answers_are_kept_and_written_into_the_description(world):
    answers = {"attribute[HEAPS]": "3", "attribute[KINDS][]": ["home", "build"], "attribute[UNASKED]": "x"}
    created = check(world.report("json", code="E0101", **answers), "json", CREATED)[0]
    incident = Incident.objects.get(case__number=created["service_request_id"])
    assert "垃圾量: 成堆" in incident.description and "垃圾种类: 生活垃圾、建筑垃圾" in incident.description
    assert incident.open311.attributes == {"AMOUNT": ["big"], "HEAPS": ["3"], "KINDS": ["home", "build"]}


def test_an_accepted_request_is_an_open311_incident_in_the_points_grid(world):
    created = check(world.report("xml", point=POINT_B, first_name="小明", last_name="王", phone="139-0000-1234",
                                 email="wang@example.org", device_id="dev-1"), "xml", CREATED)[0]
    incident = Incident.objects.select_related("case").get(case__number=created["service_request_id"])
    assert incident.source == "open311" and incident.reporter is None
    assert incident.case.area_code == GRID_B
    assert (incident.reporter_name, incident.reporter_mobile) == ("王 小明", "13900001234")
    sent = incident.open311
    assert (sent.client, sent.email, sent.device_id) == (world.client, "wang@example.org", "dev-1")


def test_a_jurisdiction_that_is_not_ours_is_404(world):
    check_errors(world.report("json", jurisdiction_id="110101001"), "json", 404)
    assert nothing_written()


def test_reporters_private_data_never_appears_in_get_requests(world):
    private = {"first_name": "小明", "last_name": "王", "phone": "13900001234", "email": "wang@example.org",
               "device_id": "dev-secret", "account_id": "acc-secret"}
    number = check(world.report("json", **private), "json", CREATED)[0]["service_request_id"]
    for path in ("requests.json", "requests.xml", f"requests/{number}.json", f"requests/{number}.xml"):
        body = world.get(path).content.decode("utf-8")
        assert number in body
        for value in private.values():
            assert value not in body, (path, value)


def test_a_photo_sent_as_media_becomes_the_media_url(world):
    response = world.http.post("/open311/v2/requests.json", {
        "api_key": world.key, "service_code": "P0101", "lat": POINT_A[1], "long": POINT_A[0],
        "media": [_upload(jpeg())]})
    number = check(response, "json", CREATED)[0]["service_request_id"]
    found = json.loads(world.get(f"requests/{number}.json").content)[0]
    assert found["media_url"].startswith("http://testserver/open311/v2/media/")
    assert world.http.get(found["media_url"]).status_code == 200
    assert world.http.get(found["media_url"][:-64] + "0" * 64).status_code == 404


def test_media_that_is_not_an_image_is_400_and_nothing_written(world):
    response = world.http.post("/open311/v2/requests.json", {
        "api_key": world.key, "service_code": "P0101", "lat": POINT_A[1], "long": POINT_A[0],
        "media": [_upload(b"%PDF-1.4 not an image", "x.pdf")]})
    check_errors(response, "json", 400)
    assert "media" in descriptions(response)
    assert nothing_written()


def test_a_media_url_sent_is_given_back_when_there_is_no_photo(world):
    number = check(world.report("json", media_url="https://pics.example.org/1.jpg"), "json",
                   CREATED)[0]["service_request_id"]
    assert json.loads(world.get(f"requests/{number}.json").content)[0]["media_url"] == "https://pics.example.org/1.jpg"


def test_anonymous_calls_are_throttled_per_address(world, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "open311_ip": "2/60"}
    assert world.get("services.json").status_code == 200
    assert world.get("services.xml").status_code == 200
    check_errors(world.get("services.xml"), "xml", 429)
    check_errors(world.report("json"), "json", 429)
    assert nothing_written()


def test_posts_are_throttled_per_api_key(world, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "open311_client": "1/60"}
    check(world.report("json"), "json", CREATED)
    check_errors(world.report("json", point=POINT_B), "json", 429)
    assert Incident.objects.count() == 1


def test_the_grid_is_found_for_the_point(world):
    number = check(world.report("json"), "json", CREATED)[0]["service_request_id"]
    assert Case.objects.get(number=number).area_code == GRID_A


def _upload(data: bytes, name: str = "photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_retry_with_one_idempotency_key_files_one_incident(world):
    headers = {"HTTP_IDEMPOTENCY_KEY": "retry-1"}
    fields = {"api_key": world.key, "service_code": "P0101", "lat": POINT_A[1], "long": POINT_A[0]}
    answers = [world.http.post("/open311/v2/requests.xml", fields, **headers) for _ in range(3)]
    numbers = {check(a, "xml", CREATED)[0]["service_request_id"] for a in answers}
    assert len(numbers) == 1 and Incident.objects.count() == 1
    other = world.http.post("/open311/v2/requests.json", {**fields, "description": "另一件事"}, **headers)
    check_errors(other, "json", 409)
    assert "Idempotency-Key" in descriptions(other)
    assert Incident.objects.count() == 1
