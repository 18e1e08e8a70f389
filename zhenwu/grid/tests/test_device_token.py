"""The phone signs in once for a device token: the login's rules (lockout, second factor) still apply."""

from __future__ import annotations

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import ApiToken
from zhenwu.accounts.tokens import token_hash
from zhenwu.testing import PASSWORD, make_staff, sms_code_for

URL = "/api/v1/grid/device-token"


def sign_in(username: str, password: str = PASSWORD, **extra: str):
    return Client().post(URL, {"username": username, "password": password, "device": "测试手机", **extra},
                         content_type="application/json")


@pytest.mark.django_db
def test_a_grid_worker_gets_a_token_stored_only_as_its_hash(personas):
    response = sign_in("gw_a")
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["scope_code"] == personas.grid_worker_a.scope_area.code
    row = ApiToken.objects.get(user=personas.grid_worker_a)
    assert row.secret_hash == token_hash(body["token"]) and body["token"] not in row.secret_hash
    phone = Client(headers={"Authorization": f"Bearer {body['token']}"})
    assert phone.get("/api/v1/grid/patrols/").status_code == 200
    assert phone.delete(f"/api/v1/accounts/tokens/{body['token_id']}").status_code == 204  # sign out
    assert phone.get("/api/v1/grid/patrols/").status_code == 401


@pytest.mark.django_db
def test_a_wrong_password_gets_no_token(personas):
    response = sign_in("gw_a", "wrong")
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_citizen_gets_no_device_token(personas):
    assert sign_in("citizen").status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_administrator_needs_the_sms_code_as_well(town, settings):
    settings.ADMIN_TWO_FACTOR = True
    make_staff("boss", roles=[Role.ADMIN, Role.GRID_LEADER], scope=town.town, mobile="13900009999")
    first = sign_in("boss")
    assert (first.status_code, first.json()["token"], first.json()["second_factor"]) == (202, None, True)
    assert sign_in("boss", code="000000").status_code == 400
    second = sign_in("boss", code=sms_code_for("13900009999"))
    assert second.status_code == 201 and second.json()["token"].startswith("zw_")
