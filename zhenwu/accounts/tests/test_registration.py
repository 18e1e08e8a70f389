"""Self-registration through the API: checksums and mobile checked, field named, nothing created."""

from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.models import User
from zhenwu.testing import VALID_ID, VALID_USCC

CITIZEN = {"id_number": VALID_ID, "full_name": "王小红", "mobile": "13800001111"}
ENTERPRISE = {"uscc": VALID_USCC, "name": "清河食品有限公司", "mobile": "13800002222"}


def post(client: Client, what: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/accounts/{what}", body, content_type="application/json")


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_it_registers_a_citizen_with_masked_output(client: Client, db: None) -> None:
    response = post(client, "citizens", CITIZEN)
    assert response.status_code == 201
    assert response.json()["id_number_masked"] == "1***************2X"
    user = User.objects.get()
    assert user.kind == "citizen" and user.username == VALID_ID and not user.has_usable_password()


@pytest.mark.parametrize(("field", "bad"), [
    ("id_number", "110105194912310021"),  # wrong check character
    ("id_number", "1101051949"),
    ("mobile", "23512342210"),
    ("mobile", "1351234221"),
    ("full_name", " "),
])
def test_it_rejects_a_bad_citizen_field_by_name(client: Client, db: None, field: str, bad: str) -> None:
    response = post(client, "citizens", {**CITIZEN, field: bad})
    assert response.status_code == 400 and fields(response) == {field}
    assert response.json()["errors"][0]["message_en"]
    assert not User.objects.exists()


@pytest.mark.parametrize(("field", "bad"), [("uscc", "91350100M000100Y44"), ("mobile", "1380000222x")])
def test_it_rejects_a_bad_enterprise_field_by_name(client: Client, db: None, field: str, bad: str) -> None:
    response = post(client, "enterprises", {**ENTERPRISE, field: bad})
    assert response.status_code == 400 and fields(response) == {field}
    assert not User.objects.exists()


def test_it_names_every_bad_field_at_once(client: Client, db: None) -> None:
    response = post(client, "citizens", {"id_number": "1", "full_name": "", "mobile": "2"})
    assert fields(response) == {"id_number", "full_name", "mobile"}


def test_it_answers_409_for_a_duplicate(client: Client, db: None) -> None:
    assert post(client, "enterprises", ENTERPRISE).status_code == 201
    again = post(client, "enterprises", {**ENTERPRISE, "mobile": "13800003333"})
    assert again.status_code == 409 and fields(again) == {"uscc"}
    same_mobile = post(client, "citizens", {**CITIZEN, "mobile": ENTERPRISE["mobile"]})
    assert same_mobile.status_code == 409 and fields(same_mobile) == {"mobile"}
    assert User.objects.count() == 1


def test_it_rejects_a_weak_password_naming_the_field(client: Client, db: None) -> None:
    response = post(client, "citizens", {**CITIZEN, "password": "abc"})
    assert response.status_code == 400 and fields(response) == {"password"}
    assert not User.objects.exists()
