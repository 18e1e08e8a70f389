"""Self-registration of citizens and enterprises: the mobile is proven by an SMS code first.

Two steps: :func:`registration_code_issue` sends a code to the mobile (throttled per client address
and per mobile), then :func:`registration_complete` creates the account when the code is right.

The answers never tell who is registered: a code goes to any well-formed mobile, and when the ID
number, USCC or mobile already has an account the second step answers exactly as a success (same
status, same body built from the input, the same password hashing work) — no account is created,
and an SMS to the proven mobile (and to the existing account's mobile, if another) says what
happened. Only someone holding the mobile learns anything, one throttled SMS at a time.

A real-name check (实名核验: name + ID number against the public-security or market-regulation
service) plugs in through ``settings.REALNAME_CHECK``: see :mod:`zhenwu.accounts.realname`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import LoginReason, OtpPurpose, UserKind
from zhenwu.accounts.masking import mask_id_number, mask_mobile, mask_uscc
from zhenwu.accounts.models import User
from zhenwu.accounts.realname import realname_check
from zhenwu.accounts.services import (
    OTP_MESSAGES,
    SmsSend,
    _clean_name,
    _gather,
    _otp_check,
    _otp_create,
    _otp_rate_limit,
    citizen_create,
    enterprise_create,
)
from zhenwu.accounts.throttle import throttle
from zhenwu.accounts.validation import clean_id_number, clean_mobile, clean_uscc
from zhenwu.errors import Conflict, FieldError, validation_messages

REGISTERED_MESSAGE = _("Done. If you did not have an account yet, it is ready: log in with your mobile "
                       "number. If you had one, an SMS to your mobile says what to do.")


@dataclass(frozen=True)
class Registration:
    """What the second step answers: built from the input alone, identical for a duplicate."""

    kind: str
    full_name: str
    id_number_masked: str
    uscc_masked: str
    mobile_masked: str


def registration_code_issue(*, mobile: str, send: SmsSend, ip: str | None = None,
                            now: datetime | None = None) -> None:
    """Step 1: send a registration code to ``mobile``, whether or not it already has an account."""
    mobile = clean_mobile(mobile)
    throttle(scope="register_ip", key=ip, now=now)
    throttle(scope="register_mobile", key=mobile, field="mobile", now=now)
    with transaction.atomic():
        now = _otp_rate_limit(mobile, now)
        _otp_create(mobile=mobile, send=send, now=now, purpose=OtpPurpose.REGISTER)


def _verify_code(mobile: str, code: str, ip: str | None, now: datetime) -> None:
    throttle(scope="register_ip", key=ip, now=now)
    reason = _otp_check(mobile, code or "", now, purpose=OtpPurpose.REGISTER)
    if reason != LoginReason.OK:
        raise FieldError("code", OTP_MESSAGES.get(reason, _("Wrong code.")), code=reason)


def _taken(kind: str, number: str, mobile: str) -> User | None:
    field = "id_number" if kind == UserKind.CITIZEN else "uscc"
    return User.objects.filter(Q(**{field: number}) | Q(username=number) | Q(mobile=mobile)).first()


def _notify_duplicate(existing: User, mobile: str, send: SmsSend) -> None:
    """Tell the proven mobile, and the existing account's own mobile, what happened instead of a signup."""
    if existing.mobile == mobile:
        send(mobile, gettext("Zhenwu: this mobile number already has an account; log in with it instead. "
                             "If you did not ask to register, ignore this message."))
        return
    send(mobile, gettext("Zhenwu: this ID number or code already has an account registered with another "
                         "mobile number (%(mobile)s). If it is not yours, bring your ID to the service hall.")
         % {"mobile": mask_mobile(existing.mobile)})
    if existing.mobile:
        send(existing.mobile, gettext("Zhenwu: someone with the mobile number %(mobile)s tried to register a "
                                      "second account with your details. If it was not you, call the "
                                      "service hall.") % {"mobile": mask_mobile(mobile)})


def registration_check(*, kind: str, number: str, name: str, mobile: str,
                       password: str | None = None) -> tuple[str, str, str]:
    """Every field's format and the password rule, all faults at once; the cleaned number, name, mobile.

    Runs before a code is spent (and on the page before one is sent); says nothing of who is registered.
    """
    name_field = "full_name" if kind == UserKind.CITIZEN else "name"
    clean_number = clean_id_number if kind == UserKind.CITIZEN else clean_uscc
    number, name, mobile = _gather([lambda: clean_number(number), lambda: _clean_name(name, name_field),
                                    lambda: clean_mobile(mobile)])
    _validate_password(password, User(username=number, full_name=name, mobile=mobile, kind=kind))
    return number, name, mobile


def registration_complete(*, kind: str, number: str, name: str, mobile: str, code: str, send: SmsSend,
                          password: str | None = None, ip: str | None = None,
                          now: datetime | None = None) -> Registration:
    """Step 2: check the code, the real-name check, then create the citizen or enterprise account.

    ``number`` is the ID number (citizens) or the USCC (enterprises). Returns the same
    :class:`Registration` whether an account was created or one already existed.
    """
    now = now or timezone.now()
    number, name, mobile = registration_check(kind=kind, number=number, name=name, mobile=mobile,
                                              password=password)
    number_field = "id_number" if kind == UserKind.CITIZEN else "uscc"
    _verify_code(mobile, code, ip, now)
    realname_check(kind=kind, number=number, name=name, mobile=mobile, number_field=number_field)
    answer = Registration(kind=kind, full_name=name, mobile_masked=mask_mobile(mobile),
                          id_number_masked=mask_id_number(number) if kind == UserKind.CITIZEN else "",
                          uscc_masked=mask_uscc(number) if kind == UserKind.ENTERPRISE else "")
    existing = _taken(kind, number, mobile)
    if existing is None:
        try:
            _create(kind, number, name, mobile, password)
            return answer
        except Conflict:  # a concurrent registration won the race
            existing = _taken(kind, number, mobile)
    if password:
        make_password(password)  # the same hashing work as a success: the time does not tell either
    if existing is not None:
        _notify_duplicate(existing, mobile, send)
    return answer


def _validate_password(password: str | None, user: User) -> None:
    """Before the code is spent and before anything depends on who is registered."""
    if not password:
        return
    messages = validation_messages(lambda: validate_password(password, user))
    if messages:
        raise FieldError(None, errors=[("password", m) for m in messages])


def _create(kind: str, number: str, name: str, mobile: str, password: str | None) -> User:
    if kind == UserKind.CITIZEN:
        return citizen_create(id_number=number, full_name=name, mobile=mobile, password=password)
    return enterprise_create(uscc=number, name=name, mobile=mobile, password=password)
