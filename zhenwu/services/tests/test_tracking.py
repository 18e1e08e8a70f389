"""办件查询 by case number and a random 查询码 (not the mobile's last digits), limited per IP and per
number by counters shared across processes; the page shows the expected completion date and the result."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from zhenwu.casework.models import OutboxMessage
from zhenwu.services.models import Application
from zhenwu.services.services import application_accept, application_decide, application_review
from zhenwu.services.services.codes import code_display
from zhenwu.services.tests.factories import window_app
from zhenwu.testing import sms_delivered_to

pytestmark = pytest.mark.django_db
API = "/api/v1/services/track"


@pytest.fixture
def accepted(hall: Any, item: Any) -> tuple[Application, str]:
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    return app, app.new_tracking_code


def track(number: str, code: str, ip: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=ip).post("/public/track/", {"number": number, "code": code})


def test_acceptance_sends_a_random_code_and_keeps_only_its_hash(accepted: tuple[Application, str]) -> None:
    app, code = accepted
    assert len(code) == 8 and code not in app.tracking_code_hash and app.tracking_code_hash
    assert Application.objects.filter(tracking_code_hash__contains=code).count() == 0
    stored = OutboxMessage.objects.filter(recipient=app.applicant_mobile).order_by("-pk").first()
    assert stored is not None and code_display(code) not in stored.body  # sealed in the outbox
    assert code_display(code) in sms_delivered_to(app.applicant_mobile, at=timezone.now())[-1]


def test_the_code_shows_status_expected_date_and_steps(accepted: tuple[Application, str]) -> None:
    app, code = accepted
    r = track(app.case.number, code_display(code).lower())  # case and dash do not matter
    page = r.content.decode()
    assert r.status_code == 200 and "data-expected" in page
    assert app.case.deadline_due_at is not None
    assert f"{app.case.deadline_due_at:%Y-%m-%d}" in page and '<ol class="timeline">' in page


def test_the_decided_case_shows_its_result(hall: Any, accepted: tuple[Application, str]) -> None:
    app, code = accepted
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_decide(actor=hall.leader, application=app, approve=False, reason="年龄不符")
    page = track(app.case.number, code).content.decode()
    assert 'data-result="denied"' in page and "年龄不符" in page


def test_the_mobiles_last_four_digits_no_longer_open_it(accepted: tuple[Application, str]) -> None:
    app, _code = accepted
    r = track(app.case.number, app.applicant_mobile[-4:])
    assert r.status_code == 404 and 'name="code"' in r.content.decode() and "timeline" not in r.content.decode()


def test_five_wrong_codes_lock_the_number_even_after_the_cache_is_emptied(
        accepted: tuple[Application, str], settings: Any) -> None:
    app, code = accepted
    for i in range(settings.SERVICES_TRACKING_MAX_ATTEMPTS):
        assert track(app.case.number, "WRONG123", ip=f"10.0.1.{i}").status_code == 404
    for i in range(400):  # what used to push the counters out of the local-memory cache
        cache.set(f"junk-{i}", i)
    cache.clear()
    assert track(app.case.number, code, ip="10.0.2.1").status_code == 429


def test_one_ip_is_limited_across_numbers(hall: Any, accepted: tuple[Application, str], settings: Any) -> None:
    settings.SERVICES_TRACKING_IP_MAX_ATTEMPTS = 3
    app, code = accepted
    for n in range(3):
        assert track(f"SQ-321181102-20250101-{n:04d}", "WRONG123").status_code == 404
    assert track(app.case.number, code).status_code == 429
    assert track(app.case.number, code, ip="10.9.9.9").status_code == 200


def test_a_right_code_does_not_count_against_the_limits(accepted: tuple[Application, str], settings: Any) -> None:
    app, code = accepted
    for _i in range(settings.SERVICES_TRACKING_MAX_ATTEMPTS + 2):
        assert track(app.case.number, code).status_code == 200


def test_the_api_takes_number_and_code_in_the_body_only(accepted: tuple[Application, str]) -> None:
    app, code = accepted
    assert Client().get(API, {"number": app.case.number, "code": code}).status_code == 405
    r = Client().post(API, json.dumps({"number": app.case.number, "code": code}), content_type="application/json")
    body = r.json()
    assert r.status_code == 200 and body["status"] == "first_review" and body["expected_on"]
    r = Client().post(API, json.dumps({"number": app.case.number, "code": "nope"}), content_type="application/json")
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "code"


def test_the_clerk_prints_the_code_on_the_acceptance_notice(hall: Any, item: Any) -> None:
    import io
    import re

    from pypdf import PdfReader

    from zhenwu.testing import PASSWORD

    app = window_app(hall)
    client = Client()
    client.login(username=hall.clerk.username, password=PASSWORD)
    client.post(f"/services/applications/{app.case.number}/act/accept/", {"version": app.case.version})
    pdf = client.get(f"/services/applications/{app.case.number}/notices/acceptance.pdf").content
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    bodies = sms_delivered_to(app.applicant_mobile, at=timezone.now())
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}", " ".join(bodies))
    assert code and code.group(0) in text
    other = Client()
    other.login(username=hall.clerk2.username, password=PASSWORD)  # another session: the code is not known
    pdf = other.get(f"/services/applications/{app.case.number}/notices/acceptance.pdf").content
    assert code.group(0) not in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
