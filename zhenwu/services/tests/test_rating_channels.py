"""Ratings come from the applicant only: the portal, the signed SMS link sent at 出件, the tracking page
after an SMS code, and the window's rating pad. Staff cannot enter a level or a channel."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from zhenwu.errors import FieldError, Forbidden
from zhenwu.services.models import Application, Rating, RatingCode
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_rate,
    application_review,
)
from zhenwu.services.services.ratings import LINK_SALT, rating_link_token
from zhenwu.services.tests.factories import window_app
from zhenwu.testing import PASSWORD, sms_delivered_to

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def handed_out(hall: Any, item: Any) -> Application:
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    application_deliver(actor=hall.clerk, application=app, mode="window", signature="王芳")
    return app


def last_sms(app: Application) -> str:
    """The last SMS the applicant received (delivered now: the outbox keeps codes and links sealed)."""
    texts = sms_delivered_to(app.applicant_mobile, at=timezone.now())
    assert texts
    return texts[-1]


# ---------------------------------------------------------------- staff cannot rate

def test_staff_cannot_enter_a_rating(hall: Any, handed_out: Application) -> None:
    with pytest.raises(Forbidden):
        application_rate(actor=hall.clerk, application=handed_out, level=5)
    r = login(hall.clerk).post(f"/api/v1/services/applications/{handed_out.case.number}/rate",
                               json.dumps({"level": 5, "channel": "sms"}), content_type="application/json")
    assert r.status_code in (404, 405)
    assert not Rating.objects.exists()


def test_the_portal_rating_is_always_online(hall: Any, item: Any) -> None:
    app = window_app(hall)  # the citizen's ID number and mobile: linked to their account
    application_accept(actor=hall.clerk, application=app)
    app.case.status = "finished"
    app.case.save(update_fields=["status"])
    r = login(hall.citizen).post(f"/api/v1/services/me/applications/{app.case.number}/rate",
                                 json.dumps({"level": 4, "channel": "window"}), content_type="application/json")
    assert r.status_code == 201 and Rating.objects.get().channel == "online"


# ---------------------------------------------------------------- the signed SMS link

def test_the_handout_sms_carries_a_link_that_rates_once(handed_out: Application) -> None:
    url = re.search(r"https?://\S+/public/rate/\S+/", last_sms(handed_out))
    assert url
    path = "/public/rate/" + url.group(0).split("/public/rate/")[1]
    page = Client().get(path)
    assert page.status_code == 200 and handed_out.case.number in page.content.decode()
    assert Client().post(path, {"level": "4", "comment": "好"}).status_code == 200
    rating = Rating.objects.get(application=handed_out)
    assert (rating.level, rating.channel, rating.rated_by) == (4, "sms", None)
    assert Client().post(path, {"level": "1"}).status_code == 409


def test_a_forged_or_expired_link_does_not_rate(handed_out: Application, settings: Any) -> None:
    forged = signing.dumps({"a": handed_out.pk, "n": handed_out.case.number}, salt=LINK_SALT, key="not-the-key")
    assert Client().post(f"/public/rate/{forged}/", {"level": "5"}).status_code == 404
    token = rating_link_token(handed_out)
    settings.SERVICES_RATING_LINK_DAYS = -1
    assert Client().post(f"/public/rate/{token}/", {"level": "5"}).status_code == 400
    assert not Rating.objects.exists()


# ---------------------------------------------------------------- the tracking page with an SMS code

def _tracked(hall: Any, item: Any) -> tuple[Client, Application, str]:
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    code = app.new_tracking_code
    app.case.status = "finished"
    app.case.save(update_fields=["status"])
    client = Client()
    assert client.post("/public/track/", {"number": app.case.number, "code": code}).status_code == 200
    return client, app, code


def test_the_tracking_page_rates_with_a_code_sent_to_the_applicant(hall: Any, item: Any) -> None:
    client, app, _code = _tracked(hall, item)
    r = client.post("/public/track/rating-code/", {"number": app.case.number})
    assert r.status_code == 200 and 'name="sms_code"' in r.content.decode()
    sms_code = re.search(r"(?<!\d)(\d{6})(?!\d)", last_sms(app))
    assert sms_code
    r = client.post("/public/track/rate/", {"number": app.case.number, "sms_code": sms_code.group(1), "level": "5"})
    assert r.status_code == 200
    rating = Rating.objects.get(application=app)
    assert (rating.level, rating.channel) == (5, "tracking")


def test_wrong_sms_codes_are_limited(hall: Any, item: Any, settings: Any) -> None:
    client, app, _code = _tracked(hall, item)
    client.post("/public/track/rating-code/", {"number": app.case.number})
    statuses = [client.post("/public/track/rate/", {"number": app.case.number, "sms_code": "000000", "level": "5"})
                .status_code for _i in range(settings.SERVICES_RATING_CODE_MAX_ATTEMPTS + 1)]
    assert statuses[-1] == 429 and set(statuses[:-1]) == {400}
    assert RatingCode.objects.get().attempts == settings.SERVICES_RATING_CODE_MAX_ATTEMPTS


def test_without_tracking_first_there_is_no_code_to_ask_for(hall: Any, item: Any) -> None:
    _client, app, _code = _tracked(hall, item)
    assert Client().post("/public/track/rating-code/", {"number": app.case.number}).status_code == 404
    assert not RatingCode.objects.exists()


# ---------------------------------------------------------------- the window's rating pad

def _paired(hall: Any) -> tuple[Client, str]:
    clerk = login(hall.clerk)
    page = clerk.post("/services/pad/").content.decode()
    found = re.search(r"/public/pad/([\w-]+)/", page)
    assert found
    return clerk, f"/public/pad/{found.group(1)}/"


def test_the_applicant_taps_the_level_on_the_pad_the_clerk_opened(hall: Any, handed_out: Application) -> None:
    clerk, pad = _paired(hall)
    tablet = Client()
    assert 'data-pad="idle"' in tablet.get(pad).content.decode()
    number = handed_out.case.number
    r = clerk.post(f"/services/applications/{number}/act/open_pad/", {"version": handed_out.case.version})
    assert r.status_code == 302
    shown = tablet.get(pad).content.decode()
    assert 'data-pad="open"' in shown and number in shown and 'name="level"' in shown
    assert tablet.post(pad, {"number": number, "level": "3"}).status_code == 200
    rating = Rating.objects.get(application=handed_out)
    assert (rating.level, rating.channel, rating.rated_by) == (3, "window", None)
    assert 'data-pad="idle"' in tablet.get(pad).content.decode()
    assert tablet.post(pad, {"number": number, "level": "1"}).status_code == 409


def test_a_re_paired_pad_retires_the_old_address(hall: Any, handed_out: Application) -> None:
    _clerk, old = _paired(hall)
    _clerk, new = _paired(hall)
    assert Client().get(old).status_code == 404 and Client().get(new).status_code == 200


def test_the_pad_cannot_rate_a_case_it_does_not_show(hall: Any, handed_out: Application) -> None:
    _clerk, pad = _paired(hall)
    r = Client().post(pad, {"number": handed_out.case.number, "level": "5"})
    assert r.status_code == 409 and not Rating.objects.exists()


def test_only_window_clerks_open_a_pad(hall: Any, handed_out: Application) -> None:
    from zhenwu.services.services import rating_pad_open

    with pytest.raises(Forbidden):
        rating_pad_open(actor=hall.leader, application=handed_out)
    assert login(hall.leader).get("/services/pad/").status_code == 404


def test_a_rated_case_is_not_shown_again(hall: Any, handed_out: Application) -> None:
    from zhenwu.services.services import rating_by_link, rating_pad_open

    _clerk, _pad = _paired(hall)
    rating_by_link(token=rating_link_token(handed_out), level=5)
    with pytest.raises(FieldError):
        rating_pad_open(actor=hall.clerk, application=handed_out)
