"""A duplicate registration answers exactly like a success; only the mobiles involved learn, by SMS."""

from typing import Any

from django.test import Client

from zhenwu.accounts.models import User
from zhenwu.testing import VALID_USCC, sms_code_for, sms_delivered_to

ENTERPRISE = {"uscc": VALID_USCC, "name": "清河食品有限公司", "mobile": "13800002222"}
OTHER_MOBILE = "13800003333"


def post(client: Client, what: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/accounts/{what}", body, content_type="application/json")


def register(client: Client, body: dict[str, Any]) -> Any:
    code_answer = post(client, "registration-code", {"mobile": body["mobile"]})
    assert code_answer.status_code == 202 and code_answer.json() == {"sent": True, "expires_in": 300}
    return post(client, "enterprises", {**body, "code": sms_code_for(body["mobile"])})


def test_a_taken_uscc_answers_like_a_success_and_tells_both_mobiles(client: Client, db: None) -> None:
    first = register(client, ENTERPRISE)
    again = register(Client(), {**ENTERPRISE, "mobile": OTHER_MOBILE})
    assert again.status_code == first.status_code == 201
    assert again.json() == {**first.json(), "mobile_masked": "138****3333"}
    assert User.objects.count() == 1 and User.objects.get().mobile == ENTERPRISE["mobile"]
    assert "138****2222" in sms_delivered_to(OTHER_MOBILE)[-1]  # the newcomer learns by SMS only
    assert "138****3333" in sms_delivered_to(ENTERPRISE["mobile"])[-1]  # the owner is warned


def test_a_taken_mobile_answers_like_a_success(client: Client, db: None, settings) -> None:
    settings.OTP_RESEND_SECONDS = 0
    first = register(client, ENTERPRISE)
    again = register(Client(), {**ENTERPRISE, "uscc": "91320000MA1MAAAA08", "name": "另一家公司"})
    assert again.status_code == 201 and again.json()["message"] == first.json()["message"]
    assert User.objects.count() == 1
    assert "log in" in sms_delivered_to(ENTERPRISE["mobile"])[-1] or "登录" in sms_delivered_to(
        ENTERPRISE["mobile"])[-1]


def test_a_code_is_sent_to_a_registered_mobile_with_the_same_answer(client: Client, db: None, settings) -> None:
    register(client, ENTERPRISE)
    settings.OTP_RESEND_SECONDS = 0
    fresh = post(client, "registration-code", {"mobile": "13800004444"})
    taken = post(client, "registration-code", {"mobile": ENTERPRISE["mobile"]})
    assert (taken.status_code, taken.json()) == (fresh.status_code, fresh.json()) == (202, {"sent": True,
                                                                                            "expires_in": 300})
    assert len(sms_delivered_to(ENTERPRISE["mobile"])) == 2  # the registration code, then this one
