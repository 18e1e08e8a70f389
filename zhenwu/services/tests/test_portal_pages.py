"""The citizen portal: my applications, apply online, 补正 online, withdraw, rating; scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from zhenwu.casework.models import Case
from zhenwu.services.models import Application, Rating, RectificationTask
from zhenwu.services.services import (
    application_accept,
    application_decide,
    application_precheck,
    application_request_supplement,
    application_review,
)
from zhenwu.services.tests.factories import PDF, STRANGER, Hall, make_item, online_app, window_app

pytestmark = pytest.mark.django_db


def pdf(name: str = "a.pdf", salt: str = "") -> io.BytesIO:
    f = io.BytesIO(PDF + salt.encode())
    f.name = name
    return f


def as_user(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def citizen(hall: Hall) -> Client:
    return as_user(hall.citizen)


def test_list_shows_only_my_applications(hall: Hall, item: Any, citizen: Client) -> None:
    mine = online_app(hall)
    other = online_app(hall, actor=hall.citizen2)
    page = citizen.get("/portal/").content.decode()
    assert mine.case.number in page and other.case.number not in page


def test_list_says_what_is_expected_of_me(hall: Hall, item: Any, citizen: Client) -> None:
    app = online_app(hall)
    application_precheck(actor=hall.clerk, application=app)
    application_request_supplement(actor=hall.clerk, application=app, missing=["照片"])
    page = citizen.get("/portal/").content.decode()
    assert "照片" in page and 'class="todo"' in page


def test_apply_online_files_an_application(hall: Hall, item: Any, citizen: Client) -> None:
    response = citizen.post("/portal/apply/320000-MZ-0001/", {"file_0": pdf(salt="1"), "file_1": pdf(salt="2")})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/portal/applications/{app.case.number}/"
    assert app.applicant_user == hall.citizen and app.channel == "online" and app.case.status == "precheck"


def test_it_rejects_a_missing_required_material_and_keeps_the_files(hall: Hall, item: Any,
                                                                     citizen: Client) -> None:
    response = citizen.post("/portal/apply/320000-MZ-0001/", {"file_0": pdf()})
    page = response.content.decode()
    assert response.status_code == 400 and "照片" in page and "errorlist" in page
    assert 'type="hidden" name="sha_0"' in page and not Application.objects.exists()
    sha = page.split('name="sha_0" value="')[1].split('"')[0]
    again = citizen.post("/portal/apply/320000-MZ-0001/", {"sha_0": sha, "file_1": pdf(salt="x")})
    assert again.status_code == 302 and Application.objects.get().materials[0]["attachments"] == [sha]


def test_it_rejects_a_file_of_the_wrong_type(hall: Hall, item: Any, citizen: Client) -> None:
    text = io.BytesIO(b"just some text, not a document")
    text.name = "a.pdf"
    response = citizen.post("/portal/apply/320000-MZ-0001/", {"file_0": text, "file_1": pdf()})
    assert response.status_code == 400 and "身份证" in response.content.decode()
    assert not Application.objects.exists()


def test_it_rejects_an_item_not_open_online(hall: Hall, citizen: Client) -> None:
    make_item(online=False)
    assert "/portal/apply/" not in citizen.get("/portal/apply/320000-MZ-0001/").content.decode()
    response = citizen.post("/portal/apply/320000-MZ-0001/", {"file_0": pdf(), "file_1": pdf(salt="2")})
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not Application.objects.exists()


def test_unknown_item_is_404(hall: Hall, citizen: Client) -> None:
    assert citizen.get("/portal/apply/NOPE/").status_code == 404


def test_supplement_answered_online_resumes_the_case(hall: Hall, item: Any, citizen: Client) -> None:
    app = online_app(hall)
    application_precheck(actor=hall.clerk, application=app)
    application_request_supplement(actor=hall.clerk, application=app, missing=["照片", "户口簿"])
    page = citizen.get(f"/portal/applications/{app.case.number}/").content.decode()
    assert 'id="supply"' in page
    url = f"/portal/applications/{app.case.number}/supply/"
    partial = citizen.post(url, {"file_0": pdf(salt="p")})
    assert partial.status_code == 400 and Case.objects.get(pk=app.case_id).status == "supplement"
    response = citizen.post(url, {"file_0": pdf(salt="p"), "file_1": pdf(salt="h")})
    assert response.status_code == 302
    assert Case.objects.get(pk=app.case_id).status == "submitted"


def test_withdraw_before_a_decision(hall: Hall, item: Any, citizen: Client) -> None:
    app = online_app(hall)
    response = citizen.post(f"/portal/applications/{app.case.number}/withdraw/", {"reason": "不办了"})
    assert response.status_code == 302 and Case.objects.get(pk=app.case_id).status == "withdrawn"
    again = citizen.post(f"/portal/applications/{app.case.number}/withdraw/", {"reason": "x"})
    assert again.status_code in (400, 409)


def finished(hall: Hall) -> Application:
    app = online_app(hall)
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="同意", approve=True)
    return application_decide(actor=hall.leader, application=app, approve=True)


def test_rating_once_after_finishing(hall: Hall, item: Any, citizen: Client) -> None:
    app = finished(hall)
    url = f"/portal/applications/{app.case.number}/rate/"
    assert 'id="rate"' in citizen.get(f"/portal/applications/{app.case.number}/").content.decode()
    assert citizen.post(url, {"level": "5", "comment": "很好"}).status_code == 302
    second = citizen.post(url, {"level": "1"})
    assert second.status_code == 409 and app.rating.level == 5


def test_a_bad_rating_shows_the_rectification_task(hall: Hall, item: Any, citizen: Client) -> None:
    app = finished(hall)
    citizen.post(f"/portal/applications/{app.case.number}/rate/", {"level": "1", "comment": "太慢"})
    page = citizen.get(f"/portal/applications/{app.case.number}/").content.decode()
    assert RectificationTask.objects.filter(application=app).exists() and 'id="rating"' in page
    assert "notice" in page.split('id="rating"')[1]


def test_it_rejects_a_rating_before_the_end(hall: Hall, item: Any, citizen: Client) -> None:
    app = online_app(hall)
    response = citizen.post(f"/portal/applications/{app.case.number}/rate/", {"level": "5"})
    assert response.status_code == 400 and not Rating.objects.filter(application=app).exists()


def test_another_citizens_application_is_404(hall: Hall, item: Any, citizen: Client) -> None:
    other = online_app(hall, actor=hall.citizen2)
    window = window_app(hall, applicant=STRANGER)
    for number in (other.case.number, window.case.number):
        assert citizen.get(f"/portal/applications/{number}/").status_code == 404
        assert citizen.post(f"/portal/applications/{number}/withdraw/").status_code == 404
    assert Case.objects.get(pk=other.case_id).status == "precheck"


@pytest.mark.parametrize("url", ["/portal/", "/portal/apply/320000-MZ-0001/", "/portal/applications/X/"])
def test_staff_get_404_on_portal_pages(hall: Hall, item: Any, url: str) -> None:
    assert as_user(hall.clerk).get(url).status_code == 404


def test_anonymous_users_are_sent_to_login(item: Any, client: Client) -> None:
    response = client.get("/portal/")
    assert response.status_code == 302 and "/login/" in response["Location"]
