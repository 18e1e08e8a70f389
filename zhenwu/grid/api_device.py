"""/api/v1/grid/device-token: the phone app signs in once (username + password) for an API token.

The password goes through the login's throttle, lockout and audit (``accounts.services.password_login``);
an administrator's account also needs the SMS second factor: the first call sends the code (202), the
second, with the password again and the code, gets the token. Only the token's hash is stored
(``accounts.tokens``); the phone keeps the token and sends ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from zhenwu.accounts import services as accounts
from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.sending import sms_send
from zhenwu.errors import Forbidden

router = Router(tags=["grid phone app"])


class DeviceTokenIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=200)
    device: str = Field("手机", max_length=100)
    code: str = Field("", max_length=12, description="The SMS code, for administrators (second factor)")


class DeviceUserOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    role_labels: list[str]
    scope_code: str | None
    scope_name: str | None


class DeviceTokenOut(Schema):
    token: str | None
    token_id: int | None = Field(None, description="Revoke it with DELETE /api/v1/accounts/tokens/{token_id}")
    second_factor: bool
    user: DeviceUserOut | None


@router.post("", auth=None, response={201: DeviceTokenOut, 202: DeviceTokenOut},
             summary="Sign a phone in once: username + password (+ SMS code for administrators) → API token")
def device_token(request: HttpRequest, payload: DeviceTokenIn) -> Status[DeviceTokenOut]:
    user = accounts.password_login(request=request, username=payload.username, password=payload.password)
    if user.kind != UserKind.STAFF:
        raise Forbidden(_("The grid app is for staff accounts."))
    if accounts.second_factor_required(user):
        if not payload.code:
            accounts.second_factor_issue(user=user, send=sms_send)
            return Status(202, DeviceTokenOut(token=None, token_id=None, second_factor=True, user=None))
        accounts.second_factor_verify(user=user, code=payload.code, request=request)
    row, secret = accounts.token_create(user=user, device=payload.device)
    roles = sorted(user.roles)
    area = user.scope_area
    return Status(201, DeviceTokenOut(token=secret, token_id=row.pk, second_factor=False, user=DeviceUserOut(
        username=user.username, full_name=user.full_name, roles=roles, role_labels=[str(Role(r).label) for r in roles],
        scope_code=area.code if area else None, scope_name=area.name if area else None)))
