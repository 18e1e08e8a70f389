"""One-time codes: issue, verify, expiry, too many attempts, reuse, rate limit; stored hashed."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from zhenwu.accounts.models import LoginAttempt, OtpCode
from zhenwu.accounts.services import otp_issue, otp_login
from zhenwu.errors import FieldError
from zhenwu.testing import Personas, SmsRecorder

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MOBILE = "13512342210"  # the citizen persona's


Outbox = SmsRecorder


def issue(at: datetime = T0) -> Outbox:
    outbox = Outbox()
    otp_issue(mobile=MOBILE, send=outbox, now=at)
    return outbox


def login_error(code: str, at: datetime) -> FieldError:
    with pytest.raises(FieldError) as exc:
        otp_login(mobile=MOBILE, code=code, now=at)
    assert exc.value.field == "code" or exc.value.code == "locked"
    return exc.value


def test_it_sends_a_six_digit_code_and_logs_in_with_it(personas: Personas) -> None:
    outbox = issue()
    code = outbox.code()
    assert outbox.sent[0][0] == MOBILE
    assert code not in OtpCode.objects.get().code_hash
    assert otp_login(mobile=MOBILE, code=code, now=T0 + timedelta(seconds=30)) == personas.citizen
    assert LoginAttempt.objects.get(method="otp").success


def test_it_refuses_an_expired_code(personas: Personas) -> None:
    code = issue().code()
    assert login_error(code, T0 + timedelta(seconds=301)).code == "expired_code"


def test_it_refuses_a_code_used_once_already(personas: Personas) -> None:
    code = issue().code()
    otp_login(mobile=MOBILE, code=code, now=T0 + timedelta(seconds=5))
    assert login_error(code, T0 + timedelta(seconds=10)).code == "expired_code"


@override_settings(OTP_MAX_ATTEMPTS=3)
def test_it_refuses_the_right_code_after_too_many_wrong_ones(personas: Personas) -> None:
    code = issue().code()
    wrong = "000000" if code != "000000" else "111111"
    for i in range(3):
        assert login_error(wrong, T0 + timedelta(seconds=i)).code == "bad_code"
    assert login_error(code, T0 + timedelta(seconds=5)).code == "too_many_attempts"
    assert LoginAttempt.objects.filter(method="otp", success=False).count() == 4


def test_it_keeps_one_live_code_per_mobile_and_limits_the_rate(personas: Personas) -> None:
    first = issue().code()
    with pytest.raises(FieldError) as exc:
        issue(T0 + timedelta(seconds=30))
    assert exc.value.status == 429 and exc.value.field == "mobile"
    second = issue(T0 + timedelta(seconds=61)).code()
    if first != second:
        assert login_error(first, T0 + timedelta(seconds=62)).code == "bad_code"
    assert otp_login(mobile=MOBILE, code=second, now=T0 + timedelta(seconds=63)) == personas.citizen


def test_it_sends_nothing_to_a_mobile_without_an_account(personas: Personas) -> None:
    outbox = Outbox()
    assert otp_issue(mobile="13900000000", send=outbox, now=T0) is None
    assert outbox.sent == []


def test_it_names_the_field_of_a_bad_mobile(db: None) -> None:
    with pytest.raises(FieldError) as exc:
        otp_issue(mobile="2351234221", send=Outbox(), now=T0)
    assert exc.value.field == "mobile" and exc.value.status == 400
