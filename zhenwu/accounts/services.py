"""Writes of accounts: accounts, login with lockout and audit, passwords, one-time codes, API tokens.

Login and one-time-code checks are deliberately *not* one transaction: the attempt is reserved
(checked against the lockout and counted) in a short transaction of its own, then the slow check
runs, then its outcome is written; a failed attempt stays counted even though the call then raises.
Throttles run outside any transaction too, so a rollback never un-counts a hit.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import LoginMethod, LoginReason, OtpPurpose, Role, UserKind
from zhenwu.accounts.masking import SECRET_MARK
from zhenwu.accounts.models import ApiToken, LoginAttempt, LoginGate, OtpCode, User
from zhenwu.accounts.policy import LockPolicy, lock_until
from zhenwu.accounts.throttle import throttle
from zhenwu.accounts.tokens import token_generate, token_hash
from zhenwu.accounts.validation import clean_id_number, clean_mobile, clean_uscc
from zhenwu.errors import Conflict, FieldError, NotFound, gettext, validation_messages

# send(mobile, text, *, secret="", template="", params=None): ``text`` holds SECRET_MARK where the
# secret (a one-time code) goes; the outbox keeps the secret sealed, never in the text.
SmsSend = Callable[..., None]
_MOBILE = re.compile(r"^1\d{10}$")


# ---------------------------------------------------------------- audit and lockout

def login_attempt_record(*, username: str, user: User | None, ip: str | None, method: str,
                         reason: str, now: datetime | None = None) -> LoginAttempt:
    """Write one audit row for an authentication attempt (success when ``reason`` is OK)."""
    return LoginAttempt.objects.create(
        username=username[:150], user=user, ip=ip or None, method=method,
        success=reason == LoginReason.OK, reason=reason, at=now or timezone.now())


def login_locked_until(*, username: str, now: datetime | None = None) -> datetime | None:
    """End of the lock on ``username`` in force now, or None.

    Failures before the last success do not count, and attempts refused because of a lock do not
    extend it (else anyone could keep a known username locked for ever). Attempts still being
    checked (PENDING) count as failures: a lock is decided before the slow check, not after.
    """
    now = now or timezone.now()
    policy = LockPolicy.from_settings()
    rows = LoginAttempt.objects.filter(username=username, at__gte=now - policy.lookback, at__lte=now)
    last_ok = rows.filter(success=True).order_by("-at").values_list("at", flat=True).first()
    failures = rows.filter(success=False).exclude(reason=LoginReason.LOCKED)
    if last_ok is not None:
        failures = failures.filter(at__gt=last_ok)
    times = list(failures.order_by("at").values_list("at", flat=True))
    return lock_until(times, now=now, policy=policy)


def locked_message(until: datetime) -> Any:
    local = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    return gettext("This account is locked after too many failed logins until %(until)s.") % {
        "until": local}


def _request_ip(request: HttpRequest | None) -> str | None:
    # TrustedProxyMiddleware has already put the client's address here when a trusted proxy forwarded it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _gate(name: str) -> None:
    """Hold the gate row of ``name`` until the current transaction ends (one attempt at a time)."""
    LoginGate.objects.bulk_create([LoginGate(username=name[:150])], ignore_conflicts=True)
    list(LoginGate.objects.select_for_update().filter(username=name[:150]).values_list("pk", flat=True))


def login_attempt_reserve(*, username: str, ip: str | None, method: str,
                          now: datetime | None = None) -> LoginAttempt:
    """Check the lockout and count this attempt in one step, before the slow password or code check.

    Under the username's gate row (a row lock on PostgreSQL, the single writer on SQLite) the lock
    is computed and a PENDING attempt, counted as a failure, is written; so of any number of
    concurrent attempts at most ``LOGIN_MAX_FAILURES`` are ever checked. Raises 403 while locked.
    The time is read after the gate is held, so no attempt that went first is missed.
    """
    with transaction.atomic():
        _gate(username)
        now = now or timezone.now()
        until = login_locked_until(username=username, now=now)
        if until is None:
            return login_attempt_record(username=username, user=None, ip=ip, method=method,
                                        reason=LoginReason.PENDING, now=now)
        login_attempt_record(username=username, user=None, ip=ip, method=method, reason=LoginReason.LOCKED,
                             now=now)
    raise FieldError(None, locked_message(until), status=403, code="locked")


def login_attempt_settle(attempt: LoginAttempt, *, reason: str, user: User | None = None) -> None:
    """Write the outcome of a reserved attempt."""
    ok = reason == LoginReason.OK
    LoginAttempt.objects.filter(pk=attempt.pk).update(reason=reason, success=ok, user=user if ok else None)


def _resolve_username(identifier: str) -> str:
    """Citizens and enterprises may type their mobile number instead of their username."""
    if _MOBILE.match(identifier):
        found = User.objects.filter(mobile=identifier).exclude(kind=UserKind.STAFF)
        name = found.values_list("username", flat=True).first()
        if name:
            return name
    return identifier


def password_login(*, request: HttpRequest | None, username: str, password: str,
                   now: datetime | None = None) -> User:
    """Check a password under the per-IP throttle and the lockout policy; every attempt is audited.

    Raises FieldError(None, …) with the same message for a locked account whether or not the
    password is right, and 429 when the client's address has made too many attempts.
    """
    ip = _request_ip(request)
    throttle(scope="login_ip", key=ip, now=now)
    username = _resolve_username(username.strip())
    attempt = login_attempt_reserve(username=username, ip=ip, method=LoginMethod.PASSWORD, now=now)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        login_attempt_settle(attempt, reason=LoginReason.BAD_CREDENTIALS)
        until = login_locked_until(username=username, now=attempt.at)
        if until is not None:
            raise FieldError(None, locked_message(until), status=403, code="locked")
        raise FieldError(None, _("Wrong username or password."), status=401, code="bad_credentials")
    login_attempt_settle(attempt, reason=LoginReason.OK, user=user)
    return user


# ---------------------------------------------------------------- passwords

def password_change_due(user: User, *, now: datetime | None = None) -> bool:
    """Whether the home page should ask ``user`` to choose a new password.

    Due when the password was set by someone else (an administrator, the demo, an import: never
    changed by its owner) or, with ``PASSWORD_MAX_AGE_DAYS``, when it is older than that.
    Accounts without a password (SMS-code logins only) are never asked.
    """
    if not user.has_usable_password():
        return False
    if user.password_changed_at is None:
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    return bool(max_age) and (now or timezone.now()) - user.password_changed_at > timedelta(days=max_age)


def password_change(*, user: User, old_password: str | None, new_password: str,
                    request: HttpRequest | None = None, now: datetime | None = None) -> User:
    """The owner changes their password; the old one is checked under the lockout like a login.

    Accounts without a usable password (citizens who log in by SMS code) set one without an old one.
    """
    if user.has_usable_password():
        attempt = login_attempt_reserve(username=user.username, ip=_request_ip(request),
                                        method=LoginMethod.PASSWORD, now=now)
        if not user.check_password(old_password or ""):
            login_attempt_settle(attempt, reason=LoginReason.BAD_CREDENTIALS)
            raise FieldError("old_password", _("The current password is wrong."), code="bad_credentials")
        login_attempt_settle(attempt, reason=LoginReason.OK, user=user)
    if old_password and new_password == old_password:
        raise FieldError("new_password", _("Choose a password different from the current one."))
    _check_password(new_password, user, field="new_password")
    user.password_changed_at = now or timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    return user


# ---------------------------------------------------------------- registration

def _check_password(password: str | None, user: User, field: str = "password") -> None:
    if not password:
        user.set_unusable_password()
        return
    messages = validation_messages(lambda: validate_password(password, user))
    if messages:
        raise FieldError(None, errors=[(field, m) for m in messages])
    user.set_password(password)


def _gather(checks: list[Callable[[], Any]]) -> list[Any]:
    """Run every check and raise one FieldError listing every field at fault."""
    values, errors = [], []
    for check in checks:
        try:
            values.append(check())
        except FieldError as exc:
            errors.extend(exc.errors)
    if errors:
        raise FieldError(None, errors=errors)
    return values


def _clean_name(value: str, field: str) -> str:
    name = (value or "").strip()
    if not name or len(name) > 100:
        raise FieldError(field, _("Enter a name of 1 to 100 characters."))
    return name


def _ensure_unique(**values: str) -> None:
    for field, value in values.items():
        if User.objects.filter(**{field: value}).exists():
            raise Conflict(_("An account with this value already exists."), field=field)


def _save_new(user: User, password: str | None) -> User:
    _check_password(password, user)
    if password:
        user.password_changed_at = timezone.now()  # chosen by its owner
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # a concurrent registration won the race
        raise Conflict(_("An account with this value already exists.")) from exc
    return user


@transaction.atomic
def citizen_create(*, id_number: str, full_name: str, mobile: str, password: str | None = None) -> User:
    """Create a citizen account (个人) without any check of the mobile: for staff, imports and the demo.

    Self-registration goes through :func:`zhenwu.accounts.registration.registration_complete`.
    """
    id_number, full_name, mobile = _gather([
        lambda: clean_id_number(id_number), lambda: _clean_name(full_name, "full_name"),
        lambda: clean_mobile(mobile)])
    _ensure_unique(id_number=id_number, username=id_number, mobile=mobile)
    user = User(username=id_number, kind=UserKind.CITIZEN, id_number=id_number,
                full_name=full_name, mobile=mobile)
    return _save_new(user, password)


@transaction.atomic
def enterprise_create(*, uscc: str, name: str, mobile: str, password: str | None = None) -> User:
    """Create an enterprise account (法人) without any check of the mobile: for staff, imports and the demo."""
    uscc, name, mobile = _gather([
        lambda: clean_uscc(uscc), lambda: _clean_name(name, "name"), lambda: clean_mobile(mobile)])
    _ensure_unique(uscc=uscc, username=uscc, mobile=mobile)
    user = User(username=uscc, kind=UserKind.ENTERPRISE, uscc=uscc, full_name=name, mobile=mobile)
    return _save_new(user, password)


# ---------------------------------------------------------------- one-time codes

def _otp_hash(mobile: str, code: str) -> str:
    # Keyed: six digits are too few for a plain hash to hide them from someone reading the table.
    return salted_hmac("zhenwu.accounts.otp", f"{mobile}:{code}").hexdigest()


def otp_issue(*, mobile: str, send: SmsSend, ip: str | None = None, now: datetime | None = None) -> OtpCode | None:
    """Send a 6-digit login code to a citizen/enterprise mobile; one live code per mobile.

    Throttled per client address and per mobile (429), and at most one code per
    ``OTP_RESEND_SECONDS`` (default 60) per mobile (429). For a mobile without an account nothing
    is sent and None is returned, so the answer does not reveal who has an account.
    """
    mobile = clean_mobile(mobile)
    throttle(scope="otp_ip", key=ip, now=now)
    throttle(scope="otp_mobile", key=mobile, field="mobile", now=now)
    return _otp_issue_login(mobile=mobile, send=send, now=now)


@transaction.atomic
def _otp_issue_login(*, mobile: str, send: SmsSend, now: datetime | None) -> OtpCode | None:
    now = _otp_rate_limit(mobile, now)
    if not User.objects.filter(mobile=mobile, is_active=True).exclude(kind=UserKind.STAFF).exists():
        OtpCode.objects.create(mobile=mobile, code_hash="", created_at=now, expires_at=now, used_at=now)
        return None
    return _otp_create(mobile=mobile, send=send, now=now)


def _otp_rate_limit(mobile: str, now: datetime | None) -> datetime:
    """One code per mobile per ``OTP_RESEND_SECONDS``; the caller's transaction holds the mobile's gate,
    so two concurrent requests cannot both pass. Retires the live codes of the mobile; returns the time
    of this issue (read once the gate is held)."""
    _gate(f"otp:{mobile}")
    now = now or timezone.now()
    last = OtpCode.objects.filter(mobile=mobile).order_by("-created_at").first()
    if last is not None and now - last.created_at < timedelta(seconds=settings.OTP_RESEND_SECONDS):
        raise FieldError("mobile", _("A code was sent a moment ago; wait a minute before asking again."),
                         status=429, code="rate_limited")
    OtpCode.objects.filter(mobile=mobile, used_at__isnull=True).update(used_at=now)
    return now


_OTP_TEXTS: dict[str, Any] = {
    OtpPurpose.LOGIN: _("Zhenwu login code %(code)s, valid for %(n)d minutes. Do not share it."),
    OtpPurpose.REGISTER: _("Zhenwu registration code %(code)s, valid for %(n)d minutes. Do not share it."),
}


def _otp_create(*, mobile: str, send: SmsSend, now: datetime, purpose: str = OtpPurpose.LOGIN) -> OtpCode:
    code = f"{secrets.randbelow(10**6):06d}"
    otp = OtpCode.objects.create(mobile=mobile, purpose=purpose, code_hash=_otp_hash(mobile, code),
                                 created_at=now, expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS))
    minutes = max(settings.OTP_TTL_SECONDS // 60, 1)
    text = str(_OTP_TEXTS[purpose]) % {"code": SECRET_MARK, "n": minutes}
    # An outbox row in this transaction: the code and its SMS commit together; the row keeps the text
    # with the code masked and the code itself sealed until delivery (see docs/accounts.md).
    send(mobile, text, secret=code, template=f"{purpose}_code", params={"minutes": minutes})
    return otp


def _otp_check(mobile: str, code: str, now: datetime, purpose: str = OtpPurpose.LOGIN) -> str:
    """The reason the code fails, or OK after consuming it.

    The attempt is counted by a conditional UPDATE *before* the comparison, so concurrent guesses
    can never compare more than ``OTP_MAX_ATTEMPTS`` times against one code.
    """
    live = OtpCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True)
    otp = live.order_by("-created_at").first()
    if otp is None or otp.expires_at <= now:
        return LoginReason.EXPIRED_CODE
    reserved = live.filter(pk=otp.pk, attempts__lt=settings.OTP_MAX_ATTEMPTS).update(attempts=F("attempts") + 1)
    if not reserved:
        return LoginReason.TOO_MANY_ATTEMPTS
    if not secrets.compare_digest(otp.code_hash, _otp_hash(mobile, code.strip())):
        return LoginReason.BAD_CODE
    consumed = OtpCode.objects.filter(pk=otp.pk, used_at__isnull=True).update(used_at=now)
    return LoginReason.OK if consumed else LoginReason.EXPIRED_CODE


OTP_MESSAGES: dict[str, Any] = {
    LoginReason.EXPIRED_CODE: _("The code has expired or was already used; ask for a new one."),
    LoginReason.TOO_MANY_ATTEMPTS: _("Too many wrong codes; ask for a new one."),
    LoginReason.BAD_CODE: _("Wrong code."),
}


def otp_login(*, mobile: str, code: str, request: HttpRequest | None = None,
              now: datetime | None = None) -> User:
    """Check a one-time code and return its citizen/enterprise user; every attempt is audited."""
    mobile = clean_mobile(mobile)
    ip = _request_ip(request)
    throttle(scope="login_ip", key=ip, now=now)
    user = User.objects.filter(mobile=mobile, is_active=True).exclude(kind=UserKind.STAFF).first()
    username = user.username if user else mobile
    attempt = login_attempt_reserve(username=username, ip=ip, method=LoginMethod.OTP, now=now)
    reason = _otp_check(mobile, code, attempt.at)
    login_attempt_settle(attempt, reason=reason, user=user)
    if reason != LoginReason.OK or user is None:
        raise FieldError("code", OTP_MESSAGES.get(reason, _("Wrong code.")), status=400, code=reason)
    return user


# ---------------------------------------------------------------- second factor for administrators

def second_factor_required(user: User) -> bool:
    """Administrators (admin role, Django staff or superuser) confirm a password login with an SMS code."""
    if not settings.ADMIN_TWO_FACTOR or user.kind != UserKind.STAFF:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_role(Role.ADMIN))


@transaction.atomic
def second_factor_issue(*, user: User, send: SmsSend, now: datetime | None = None) -> OtpCode:
    """Send the second-factor code to the administrator's registered mobile."""
    if not user.mobile:
        raise FieldError("mobile", _("Administrators need a registered mobile number for the second login "
                                     "factor; ask another administrator to add one."), code="no_mobile")
    now = _otp_rate_limit(user.mobile, now)
    return _otp_create(mobile=user.mobile, send=send, now=now)


def second_factor_verify(*, user: User, code: str, request: HttpRequest | None = None,
                         now: datetime | None = None) -> User:
    """Check the administrator's code; every attempt is audited and counts towards the lockout."""
    attempt = login_attempt_reserve(username=user.username, ip=_request_ip(request), method=LoginMethod.OTP,
                                    now=now)
    reason = _otp_check(user.mobile or "", code, attempt.at)
    login_attempt_settle(attempt, reason=reason, user=user)
    if reason != LoginReason.OK:
        raise FieldError("code", OTP_MESSAGES.get(reason, _("Wrong code.")), status=400, code=reason)
    return user


# ---------------------------------------------------------------- API tokens

def _clean_device(device: str) -> str:
    device = (device or "").strip()
    if not device or len(device) > 100:
        raise FieldError("device", _("Name the device in 1 to 100 characters."))
    return device


@transaction.atomic
def token_create(*, user: User, device: str, now: datetime | None = None) -> tuple[ApiToken, str]:
    """Create an API token for ``user`` on ``device``; returns the row and the secret (shown once)."""
    device = _clean_device(device)
    prefix, secret = token_generate()
    row = ApiToken.objects.create(user=user, device=device, prefix=prefix, secret_hash=token_hash(secret),
                                  created_at=now or timezone.now())
    return row, secret


@transaction.atomic
def token_revoke(*, user: User, token_id: int, now: datetime | None = None) -> ApiToken:
    """Revoke one of ``user``'s own tokens (someone else's answers 404); revoking twice is harmless."""
    row = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if row is None:
        raise NotFound(_("No such API token."))
    if row.revoked_at is None:
        row.revoked_at = now or timezone.now()
        row.save(update_fields=["revoked_at"])
    return row


@transaction.atomic
def tokens_revoke_all(*, tokens: Any, now: datetime | None = None) -> int:
    """Revoke every live token of a queryset (admin action); returns how many were revoked."""
    return int(tokens.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now()))
