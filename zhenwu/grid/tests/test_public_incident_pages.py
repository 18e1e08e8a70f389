"""The public pages of 一网治理: a citizen's report (anonymous allowed, throttled per client address) gives a
number and a 查询码; tracking by number + code or the last 4 digits of the mobile shows the status and
the outcome, never personal data; guessing is limited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.grid.models import Incident
from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import POINT_A, GridStaff, jpeg, report
from zhenwu.grid.tracking import tracking_code

pytestmark = pytest.mark.django_db
URL = "/public/grid/report/"
TRACK = "/public/grid/track/"


def form(**change: Any) -> dict[str, Any]:
    data = {"category": "E0101", "lng": str(POINT_A[0]), "lat": str(POINT_A[1]), "description": "河边有垃圾",
            "address": "东山路口", "reporter_name": "王小明", "reporter_mobile": "13812345678",
            "photos": SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")}
    data.update(change)
    return {k: v for k, v in data.items() if v is not None}


def test_an_anonymous_citizen_reports_with_a_photo_and_gets_a_number_and_code(categories: Any, town: Any) -> None:
    client = Client()
    assert client.get(URL).status_code == 200
    response = client.post(URL, form())
    html = response.content.decode()
    incident = Incident.objects.get()
    assert response.status_code == 200 and incident.case.number in html
    assert tracking_code(incident.case.number) in html
    assert incident.source == "citizen" and incident.reporter is None and len(incident.photos) == 1
    assert incident.case.area_code == town.grid_a.code


def test_a_signed_in_citizen_reports_as_themselves(categories: Any, personas: Any) -> None:
    client = Client()
    client.force_login(personas.citizen)
    assert client.post(URL, form(reporter_name=None, reporter_mobile=None)).status_code == 200
    assert Incident.objects.get().reporter == personas.citizen


def test_bad_input_reshows_the_form_with_the_message_and_files_nothing(categories: Any, town: Any) -> None:
    client = Client()
    no_pin = client.post(URL, form(lng="", lat=""))
    assert no_pin.status_code == 400 and "请在地图上标出问题所在位置" in no_pin.content.decode()
    not_photo = client.post(URL, form(photos=SimpleUploadedFile("a.jpg", b"not an image")))
    assert not_photo.status_code == 400 and "河边有垃圾" in not_photo.content.decode()  # what was typed stays
    outside = client.post(URL, form(lng="119.70"))
    assert outside.status_code == 400
    assert Incident.objects.count() == 0


def test_anonymous_reports_are_throttled_per_address(categories: Any, town: Any, settings: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "grid_report_ip": "2/3600"}
    client = Client()
    assert [client.post(URL, form()).status_code for _ in range(3)] == [200, 200, 429]
    assert Incident.objects.count() == 2
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post(URL, form()).status_code == 200


def test_tracking_shows_status_and_outcome_without_personal_data(categories: Any, staff: GridStaff,
                                                                 personas: Any) -> None:
    incident = report(None, source="citizen", reporter_name="王小明", reporter_mobile="13812345678",
                      address="东山路12号")
    number = incident.case.number
    client = Client()
    wrong = client.post(TRACK, {"number": number, "code": "AAAAAAAA"})
    assert wrong.status_code == 404 and "不匹配" in wrong.content.decode()
    by_code = client.post(TRACK, {"number": number, "code": tracking_code(number).lower()})
    html = by_code.content.decode()
    assert by_code.status_code == 200 and "待立案" in html and "正在办理中" in html
    for private in ("王小明", "13812345678", "5678", "东山路12号", "路边有一堆生活垃圾"):
        assert private not in html
    steps.incident_reject(actor=staff.dispatcher, incident=incident, reason="不属于受理范围")
    by_mobile = client.post(TRACK, {"number": number, "code": "5678"}).content.decode()
    assert "不予立案" in by_mobile and "未予立案" in by_mobile and "不属于受理范围" not in by_mobile


def test_a_merged_report_tracks_to_the_original(categories: Any, staff: GridStaff, personas: Any) -> None:
    first = report(personas.grid_worker_a)
    second = report(None, source="citizen", point=(POINT_A[0] + 0.0001, POINT_A[1]))
    steps.incident_merge(actor=staff.dispatcher, incident=second, into=first.case.number)
    html = Client().post(TRACK, {"number": second.case.number, "code": tracking_code(second.case.number)})
    text = html.content.decode()
    assert "已合并" in text and first.case.number in text


def test_guessing_a_code_is_limited_per_number(categories: Any, town: Any, settings: Any) -> None:
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "grid_track_number": "3/3600"}
    incident = report(None, source="citizen", reporter_mobile="13812345678")
    number = incident.case.number
    answers = [Client(REMOTE_ADDR=f"10.0.0.{i}").post(TRACK, {"number": number, "code": f"{i:04d}"}).status_code
               for i in range(4)]
    assert answers == [404, 404, 404, 429]
    late = Client(REMOTE_ADDR="10.0.0.99").post(TRACK, {"number": number, "code": "5678"})
    assert late.status_code == 429  # even the right digits wait: the number is locked for the window


def test_the_tracking_code_is_stable_and_shown_to_staff(categories: Any, staff: GridStaff, personas: Any) -> None:
    incident = report(personas.grid_worker_a)
    code = tracking_code(incident.case.number)
    assert code == tracking_code(incident.case.number) and re.fullmatch(r"[2-9A-Y]{8}", code)
    client = Client()
    client.force_login(staff.dispatcher)
    assert code in client.get(f"/grid/incidents/{incident.case.number}/").content.decode()
