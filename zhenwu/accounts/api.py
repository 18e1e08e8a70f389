"""/api/v1/accounts/: who am I, API tokens, OTP login for the app, staff list, self-registration."""

import dataclasses
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from zhenwu.accounts import selectors, services
from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.masking import mask_mobile
from zhenwu.accounts.models import ApiToken, User
from zhenwu.accounts.registration import (
    REGISTERED_MESSAGE,
    Registration,
    registration_code_issue,
    registration_complete,
)
from zhenwu.accounts.sending import sms_send  # the name the tests patch
from zhenwu.paging import BoundedPageNumberPagination

router = Router(tags=["accounts"])


# ---------------------------------------------------------------- schemas

class ScopeAreaOut(Schema):
    code: str
    name: str


class MeOut(Schema):
    id: int
    username: str
    kind: str
    full_name: str
    roles: list[str]
    role_labels: list[str]
    scope_area: ScopeAreaOut | None
    department: str | None
    mobile_masked: str


class StaffMemberOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str]
    scope_area: ScopeAreaOut | None
    department: str | None

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return sorted(r.role for r in obj.role_assignments.all())  # uses the prefetch

    @staticmethod
    def resolve_department(obj: User) -> str | None:
        return obj.department.name if obj.department else None


class TokenIn(Schema):
    device: str


class TokenOut(Schema):
    id: int
    device: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class OtpRequestIn(Schema):
    mobile: str


class OtpRequestOut(Schema):
    sent: bool
    expires_in: int


class OtpVerifyIn(Schema):
    mobile: str
    code: str
    device: str = "app"


class RegistrationCodeIn(Schema):
    mobile: str


class CitizenRegistrationIn(Schema):
    id_number: str
    full_name: str
    mobile: str
    code: str
    password: str | None = None


class EnterpriseRegistrationIn(Schema):
    uscc: str
    name: str
    mobile: str
    code: str
    password: str | None = None


class RegistrationOut(Schema):
    """The same answer whether the account was created or already existed (who is registered does not leak)."""

    kind: str
    full_name: str
    id_number_masked: str
    uscc_masked: str
    mobile_masked: str
    message: str


# ---------------------------------------------------------------- converters

def _area(user: User) -> ScopeAreaOut | None:
    area = user.scope_area
    return ScopeAreaOut(code=area.code, name=area.name) if area else None


def _me_out(user: User) -> MeOut:
    roles = sorted(user.roles)
    return MeOut(id=user.pk, username=user.username, kind=user.kind, full_name=user.full_name,
                 roles=roles, role_labels=[str(Role(r).label) for r in roles], scope_area=_area(user),
                 department=user.department.name if user.department else None,
                 mobile_masked=mask_mobile(user.mobile))


def _token_out(row: ApiToken, secret: str | None = None) -> TokenOut:
    data = {f: getattr(row, f) for f in ("id", "device", "prefix", "created_at", "last_used_at",
                                         "revoked_at")}
    return TokenCreatedOut(**data, token=secret) if secret else TokenOut(**data)


def _registration_out(done: Registration) -> RegistrationOut:
    return RegistrationOut(**dataclasses.asdict(done), message=str(REGISTERED_MESSAGE))


# ---------------------------------------------------------------- endpoints

@router.get("/me", response=MeOut, summary="The signed-in account")
def me(request: HttpRequest) -> MeOut:
    return _me_out(_user(request))


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
def tokens_list(request: HttpRequest) -> list[TokenOut]:
    return [_token_out(t) for t in selectors.token_list(user=_user(request))]


@router.post("/tokens", response={201: TokenCreatedOut}, summary="Create an API token (secret shown once)")
def tokens_create(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    row, secret = services.token_create(user=_user(request), device=payload.device)
    return Status(201, _token_out(row, secret))


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def tokens_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.token_revoke(user=_user(request), token_id=token_id)
    return Status(204, None)


@router.post("/otp/request", auth=None, response={202: OtpRequestOut}, summary="Send a login code by SMS")
def otp_request(request: HttpRequest, payload: OtpRequestIn) -> Status[OtpRequestOut]:
    services.otp_issue(mobile=payload.mobile, send=sms_send, ip=request.META.get("REMOTE_ADDR"))
    return Status(202, OtpRequestOut(sent=True, expires_in=settings.OTP_TTL_SECONDS))


@router.post("/otp/verify", auth=None, response={201: TokenCreatedOut},
             summary="Trade a login code for an API token")
def otp_verify(request: HttpRequest, payload: OtpVerifyIn) -> Status[TokenOut]:
    user = services.otp_login(mobile=payload.mobile, code=payload.code, request=request)
    row, secret = services.token_create(user=user, device=payload.device)
    return Status(201, _token_out(row, secret))


@router.get("/staff", response=list[StaffMemberOut], summary="Staff inside my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def staff_list(request: HttpRequest, area: str | None = None, role: Role | None = None) -> QuerySet[User]:
    return selectors.staff_list(user=_user(request), area=area, role=role.value if role else None)


@router.post("/registration-code", auth=None, response={202: OtpRequestOut},
             summary="Self-registration, step 1: send a code to the mobile (sent whether or not it is registered)")
def registration_code(request: HttpRequest, payload: RegistrationCodeIn) -> Status[OtpRequestOut]:
    registration_code_issue(mobile=payload.mobile, send=sms_send, ip=request.META.get("REMOTE_ADDR"))
    return Status(202, OtpRequestOut(sent=True, expires_in=settings.OTP_TTL_SECONDS))


@router.post("/citizens", auth=None, response={201: RegistrationOut},
             summary="Self-registration, step 2: register a citizen with the code sent to the mobile")
def citizens_register(request: HttpRequest, payload: CitizenRegistrationIn) -> Status[RegistrationOut]:
    done = registration_complete(kind=UserKind.CITIZEN, number=payload.id_number, name=payload.full_name,
                                 mobile=payload.mobile, code=payload.code, password=payload.password,
                                 send=sms_send, ip=request.META.get("REMOTE_ADDR"))
    return Status(201, _registration_out(done))


@router.post("/enterprises", auth=None, response={201: RegistrationOut},
             summary="Self-registration, step 2: register an enterprise with the code sent to the mobile")
def enterprises_register(request: HttpRequest, payload: EnterpriseRegistrationIn) -> Status[RegistrationOut]:
    done = registration_complete(kind=UserKind.ENTERPRISE, number=payload.uscc, name=payload.name,
                                 mobile=payload.mobile, code=payload.code, password=payload.password,
                                 send=sms_send, ip=request.META.get("REMOTE_ADDR"))
    return Status(201, _registration_out(done))
