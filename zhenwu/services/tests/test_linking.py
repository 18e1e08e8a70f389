"""Window and village-station applications reach the applicant's account (same ID number or USCC, and
the same mobile) at filing and when the account is registered later, so the portal shows and rates them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.services import citizen_create
from zhenwu.services.tests.factories import STRANGER, THIRD_ID, proxy_app, window_app
from zhenwu.testing import PASSWORD, VALID_USCC

pytestmark = pytest.mark.django_db


def portal_numbers(user: Any) -> str:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client.get("/portal/").content.decode()


def test_a_window_application_shows_in_the_applicants_portal(hall: Any, item: Any) -> None:
    app = window_app(hall)  # hall.citizen's ID number and mobile
    assert app.applicant_user == hall.citizen
    assert app.case.number in portal_numbers(hall.citizen)
    assert app.case.number not in portal_numbers(hall.citizen2)


def test_a_proxy_application_for_an_enterprise_reaches_its_account(hall: Any, item: Any) -> None:
    from zhenwu.services.tests.factories import make_item

    make_item("320000-SC-0009", applicant="enterprise", name="店招店牌设置许可")
    app = window_app(hall, code="320000-SC-0009", applicant={
        "applicant_kind": "enterprise", "applicant_name": "测试有限公司", "uscc": VALID_USCC,
        "mobile": hall.enterprise.mobile})
    assert app.applicant_user == hall.enterprise


def test_the_same_id_number_with_another_mobile_is_not_linked(hall: Any, item: Any) -> None:
    app = window_app(hall, applicant={"applicant_name": "李明", "id_number": hall.citizen.id_number,
                                      "mobile": "13811112222"})
    assert app.applicant_user is None and app.case.number not in portal_numbers(hall.citizen)


def test_an_account_registered_later_finds_its_window_applications(hall: Any, item: Any) -> None:
    window, proxy = window_app(hall, applicant=STRANGER), proxy_app(hall)
    assert window.applicant_user is None
    user = citizen_create(id_number=THIRD_ID, full_name="赵强", mobile=STRANGER["mobile"], password=PASSWORD)
    window.refresh_from_db()
    proxy.refresh_from_db()
    assert window.applicant_user == user and proxy.applicant_user == hall.citizen  # proxy: another person
