"""Self-registration through the API: the mobile proven by an SMS code, fields named, duplicates not revealed."""

from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.models import User
from zhenwu.testing import VALID_ID, VALID_USCC, sms_code_for

CITIZEN = {"id_number": VALID_ID, "full_name": "王小红", "mobile": "13800001111"}
ENTERPRISE = {"uscc": VALID_USCC, "name": "清河食品有限公司", "mobile": "13800002222"}


def post(client: Client, what: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/accounts/{what}", body, content_type="application/json")


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def register(client: Client, what: str, body: dict[str, Any]) -> Any:
    assert post(client, "registration-code", {"mobile": body["mobile"]}).status_code == 202
    return post(client, what, {**body, "code": sms_code_for(body["mobile"])})


def test_it_registers_a_citizen_after_the_code_and_answers_masked(client: Client, db: None) -> None:
    response = register(client, "citizens", CITIZEN)
    assert response.status_code == 201
    assert response.json()["id_number_masked"] == "1***************2X"
    assert response.json()["mobile_masked"] == "138****1111"
    user = User.objects.get()
    assert user.kind == "citizen" and user.username == VALID_ID and not user.has_usable_password()


def test_it_creates_nothing_without_the_right_code(client: Client, db: None) -> None:
    post(client, "registration-code", {"mobile": CITIZEN["mobile"]})
    right = sms_code_for(CITIZEN["mobile"])
    wrong = post(client, "citizens", {**CITIZEN, "code": "000000" if right != "000000" else "111111"})
    assert wrong.status_code == 400 and fields(wrong) == {"code"}
    never_sent = post(client, "enterprises", {**ENTERPRISE, "code": right})  # a code of another mobile
    assert never_sent.status_code == 400 and fields(never_sent) == {"code"}
    assert not User.objects.exists()


def test_a_login_code_does_not_register(client: Client, personas: Any) -> None:
    post(client, "otp/request", {"mobile": "13512342210"})  # the citizen persona's login code
    response = post(client, "enterprises", {**ENTERPRISE, "mobile": "13512342210",
                                            "code": sms_code_for("13512342210")})
    assert response.status_code == 400 and fields(response) == {"code"}


@pytest.mark.parametrize(("field", "bad"), [
    ("id_number", "110105194912310021"),  # wrong check character
    ("id_number", "1101051949"),
    ("mobile", "23512342210"),
    ("mobile", "1351234221"),
    ("full_name", " "),
])
def test_it_rejects_a_bad_citizen_field_by_name(client: Client, db: None, field: str, bad: str) -> None:
    response = post(client, "citizens", {**CITIZEN, field: bad, "code": "123456"})
    assert response.status_code == 400 and fields(response) == {field}
    assert response.json()["errors"][0]["message_en"]
    assert not User.objects.exists()


@pytest.mark.parametrize(("field", "bad"), [("uscc", "91350100M000100Y44"), ("mobile", "1380000222x")])
def test_it_rejects_a_bad_enterprise_field_by_name(client: Client, db: None, field: str, bad: str) -> None:
    response = post(client, "enterprises", {**ENTERPRISE, field: bad, "code": "123456"})
    assert response.status_code == 400 and fields(response) == {field}
    assert not User.objects.exists()


def test_it_names_every_bad_field_at_once(client: Client, db: None) -> None:
    response = post(client, "citizens", {"id_number": "1", "full_name": "", "mobile": "2", "code": "1"})
    assert fields(response) == {"id_number", "full_name", "mobile"}


def test_it_rejects_a_weak_password_before_spending_the_code(client: Client, db: None) -> None:
    post(client, "registration-code", {"mobile": CITIZEN["mobile"]})
    code = sms_code_for(CITIZEN["mobile"])
    response = post(client, "citizens", {**CITIZEN, "password": "abc", "code": code})
    assert response.status_code == 400 and fields(response) == {"password"}
    assert post(client, "citizens", {**CITIZEN, "password": "Qinghe#2026", "code": code}).status_code == 201
    user = User.objects.get()
    assert user.check_password("Qinghe#2026") and user.password_changed_at is not None
