"""The SMS-code login page: send, then log in; bad input re-shows the form naming the field."""

from django.test import Client

from zhenwu.testing import Personas, sms_code_for


def test_it_logs_a_citizen_in_with_a_code(client: Client, personas: Personas) -> None:
    page = client.post("/login/otp/", {"mobile": "13512342210", "action": "send"})
    assert page.status_code == 200 and page.context["step"] == 2
    code = sms_code_for("13512342210")
    done = client.post("/login/otp/", {"mobile": "13512342210", "code": code, "action": "verify"})
    assert done.status_code == 302 and done["Location"] == "/"
    assert client.get("/").context["user"] == personas.citizen


def test_it_reshows_the_form_for_a_bad_mobile(client: Client, db: None) -> None:
    page = client.post("/login/otp/", {"mobile": "12345", "action": "send"})
    assert page.status_code == 400 and page.context["form"].errors["mobile"]


def test_it_reshows_the_form_for_a_wrong_code(client: Client, personas: Personas) -> None:
    client.post("/login/otp/", {"mobile": "13512342210", "action": "send"})
    page = client.post("/login/otp/", {"mobile": "13512342210", "code": "abc", "action": "verify"})
    assert page.status_code == 400 and page.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session


def test_the_code_field_stays_while_a_new_code_is_refused(client: Client, personas: Personas) -> None:
    client.post("/login/otp/", {"mobile": "13512342210", "action": "send"})
    again = client.post("/login/otp/", {"mobile": "13512342210", "action": "send"})  # within the minute
    assert again.status_code == 429 and again.context["form"].errors["mobile"]
    assert again.context["step"] == 2 and 'name="code"' in again.content.decode()
    code = sms_code_for("13512342210")  # the code received before still logs in
    done = client.post("/login/otp/", {"mobile": "13512342210", "code": code, "action": "verify"})
    assert done.status_code == 302
