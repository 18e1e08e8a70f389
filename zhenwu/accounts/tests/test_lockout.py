"""Lockout: 5 failures within 15 minutes lock the username for 30 minutes; every attempt audited."""

from datetime import UTC, datetime, timedelta

import pytest

from zhenwu.accounts.choices import LoginReason
from zhenwu.accounts.models import LoginAttempt
from zhenwu.accounts.services import login_locked_until, password_login
from zhenwu.errors import FieldError
from zhenwu.testing import PASSWORD, Personas

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fail(username: str, at: datetime) -> FieldError:
    with pytest.raises(FieldError) as exc:
        password_login(request=None, username=username, password="wrong-Pass1", now=at)
    return exc.value


def test_it_locks_after_five_failures_within_fifteen_minutes(personas: Personas) -> None:
    for i in range(5):
        err = fail("clerk", T0 + timedelta(minutes=3 * i))
    assert err.code == "locked"
    assert login_locked_until(username="clerk", now=T0 + timedelta(minutes=13)) == T0 + timedelta(minutes=42)


def test_it_rejects_the_right_password_while_locked_with_the_same_message(personas: Personas) -> None:
    for i in range(5):
        wrong = fail("clerk", T0 + timedelta(minutes=i))
    with pytest.raises(FieldError) as right:
        password_login(request=None, username="clerk", password=PASSWORD, now=T0 + timedelta(minutes=10))
    assert right.value.code == "locked"
    assert right.value.text() == wrong.text()
    assert "2026-03-02 17:34" in right.value.text()  # until when, in local time (Asia/Shanghai)


def test_it_does_not_lock_when_failures_are_spread_over_more_than_fifteen_minutes(personas: Personas) -> None:
    for i in range(5):
        err = fail("clerk", T0 + timedelta(minutes=4 * i))  # 0 … 16 minutes
    assert err.code == "bad_credentials"
    user = password_login(request=None, username="clerk", password=PASSWORD, now=T0 + timedelta(minutes=17))
    assert user == personas.town_staff


def test_it_unlocks_after_thirty_minutes(personas: Personas) -> None:
    for i in range(5):
        fail("clerk", T0 + timedelta(minutes=i))
    at = T0 + timedelta(minutes=4 + 30, seconds=1)
    assert password_login(request=None, username="clerk", password=PASSWORD, now=at) == personas.town_staff


def test_it_forgets_failures_before_a_success(personas: Personas) -> None:
    for i in range(4):
        fail("clerk", T0 + timedelta(minutes=i))
    password_login(request=None, username="clerk", password=PASSWORD, now=T0 + timedelta(minutes=5))
    assert fail("clerk", T0 + timedelta(minutes=6)).code == "bad_credentials"


def test_it_locks_unknown_usernames_alike(db: None) -> None:
    for i in range(5):
        err = fail("nobody", T0 + timedelta(minutes=i))
    assert err.code == "locked"


def test_it_audits_every_attempt(personas: Personas) -> None:
    for i in range(5):
        fail("clerk", T0 + timedelta(minutes=i))
    fail("clerk", T0 + timedelta(minutes=6))
    rows = LoginAttempt.objects.filter(username="clerk").order_by("at")
    reasons = list(rows.values_list("reason", flat=True))
    assert reasons == [LoginReason.BAD_CREDENTIALS] * 5 + [LoginReason.LOCKED]
    password_login(request=None, username="gw_a", password=PASSWORD, now=T0)
    ok = LoginAttempt.objects.get(username="gw_a")
    assert ok.success and ok.user == personas.grid_worker_a and ok.method == "password"
