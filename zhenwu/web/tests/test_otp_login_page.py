"""The SMS-code login page: send, then log in; bad input re-shows the form naming the field."""

import re
from unittest import mock

from django.test import Client

from zhenwu.testing import Personas


def test_it_logs_a_citizen_in_with_a_code(client: Client, personas: Personas) -> None:
    sent: list[str] = []
    with mock.patch("zhenwu.web.views.sms_send", lambda m, t: sent.append(t)):
        page = client.post("/login/otp/", {"mobile": "13512342210", "action": "send"})
    assert page.status_code == 200 and page.context["step"] == 2
    code = re.search(r"\d{6}", sent[0]).group(0)  # type: ignore[union-attr]
    done = client.post("/login/otp/", {"mobile": "13512342210", "code": code, "action": "verify"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").context["user"] == personas.citizen


def test_it_reshows_the_form_for_a_bad_mobile(client: Client, db: None) -> None:
    page = client.post("/login/otp/", {"mobile": "12345", "action": "send"})
    assert page.status_code == 400 and page.context["form"].errors["mobile"]


def test_it_reshows_the_form_for_a_wrong_code(client: Client, personas: Personas) -> None:
    with mock.patch("zhenwu.web.views.sms_send", lambda m, t: None):
        client.post("/login/otp/", {"mobile": "13512342210", "action": "send"})
    page = client.post("/login/otp/", {"mobile": "13512342210", "code": "abc", "action": "verify"})
    assert page.status_code == 400 and page.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session
