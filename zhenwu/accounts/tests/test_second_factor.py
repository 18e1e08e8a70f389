"""Administrators confirm a password login with an SMS code (DOMAIN.md: two factors for administrators)."""

from __future__ import annotations

import pytest

from zhenwu.accounts.models import LoginAttempt
from zhenwu.casework.models import OutboxMessage
from zhenwu.testing import PASSWORD, sms_code_for

ADMIN_MOBILE = "13900001111"


@pytest.fixture
def admin(personas):
    personas.admin.mobile = ADMIN_MOBILE
    personas.admin.save(update_fields=["mobile"])
    return personas.admin


def sent_code() -> str:
    return sms_code_for(ADMIN_MOBILE)


def password_step(client, username="admin"):
    return client.post("/login/", {"username": username, "password": PASSWORD, "next": "/admin/"})


@pytest.mark.django_db
def test_it_asks_an_administrator_for_the_sms_code_before_logging_in(client, admin):
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] == "/login/second-factor/"
    assert client.get("/").status_code == 302  # not logged in yet
    assert OutboxMessage.objects.filter(channel="sms", recipient=ADMIN_MOBILE).count() == 1


@pytest.mark.django_db
def test_it_logs_the_administrator_in_with_the_right_code(client, admin):
    password_step(client)
    response = client.post("/login/second-factor/", {"code": sent_code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_it_rejects_a_wrong_code_and_records_the_attempt(client, admin):
    password_step(client)
    wrong = "000000" if sent_code() != "000000" else "111111"
    response = client.post("/login/second-factor/", {"code": wrong})
    assert response.status_code == 400
    assert client.get("/").status_code == 302
    assert LoginAttempt.objects.filter(username="admin", method="otp", reason="bad_code").exists()


@pytest.mark.django_db
def test_it_refuses_an_administrator_without_a_mobile(client, personas):
    response = password_step(client)
    assert response.status_code == 400
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_other_staff_log_in_with_the_password_alone(client, personas):
    response = password_step(client, username="clerk")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_it_can_be_switched_off(client, admin, settings):
    settings.ADMIN_TWO_FACTOR = False
    password_step(client)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_code_page_without_a_password_step_sends_back_to_login(client, admin):
    response = client.get("/login/second-factor/")
    assert response.status_code == 302 and response["Location"] == "/login/"
