"""The registration page: details and "send code", then the code and "register"; linked from the login pages."""

from __future__ import annotations

from django.test import Client

from zhenwu.accounts.models import User
from zhenwu.testing import VALID_ID, sms_code_for

DETAILS = {"kind": "citizen", "number": VALID_ID, "name": "王小红", "mobile": "13800001111", "password": ""}


def test_a_citizen_registers_on_the_page_with_the_code(client: Client, db: None) -> None:
    assert 'href="/accounts/register/"' in client.get("/login/otp/").content.decode()
    sent = client.post("/accounts/register/", {**DETAILS, "action": "send"})
    assert sent.status_code == 200 and sent.context["step"] == 2 and 'name="code"' in sent.content.decode()
    done = client.post("/accounts/register/", {**DETAILS, "code": sms_code_for(DETAILS["mobile"]),
                                                "action": "register"})
    assert done.status_code == 201 and "138****1111" in done.content.decode()
    assert User.objects.get().username == VALID_ID


def test_a_wrong_code_keeps_the_code_field_and_creates_nothing(client: Client, db: None) -> None:
    client.post("/accounts/register/", {**DETAILS, "action": "send"})
    page = client.post("/accounts/register/", {**DETAILS, "code": "abcdef", "action": "register"})
    assert page.status_code == 400 and page.context["step"] == 2 and page.context["form"].errors["code"]
    assert not User.objects.exists()


def test_a_bad_number_is_named_before_any_code_is_sent(client: Client, db: None) -> None:
    page = client.post("/accounts/register/", {**DETAILS, "number": "110105194912310021", "action": "send"})
    assert page.status_code == 400 and page.context["form"].errors and page.context["step"] == 1
