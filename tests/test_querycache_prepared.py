"""zhenwu.querycache on PostgreSQL: the hot statements run prepared, once per connection, with the same
answers, errors and query log as unprepared ones; ZHENWU_DB_PREPARED=0 (no threshold) turns it off."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from zhenwu.accounts.models import User
from zhenwu.querycache import Compiled, hot_cursor
from zhenwu.testing import build_test_town, make_staff

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")]

BY_USERNAME = Compiled(lambda username: User.objects.filter(username=username))
BY_MOBILE = Compiled(lambda mobile: User.objects.filter(mobile=mobile))  # only the test with no threshold runs it


def _prepared(fragment: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"])
        return int(cursor.fetchone()[0])


def test_a_hot_statement_is_prepared_once_and_answers_as_before():
    town = build_test_town()
    make_staff("prep_one", roles=[], scope=town.town)
    assert BY_USERNAME.first("prep_one").username == "prep_one"  # type: ignore[union-attr]
    assert BY_USERNAME.first("nobody") is None
    assert BY_USERNAME.first("prep_one").username == "prep_one"  # type: ignore[union-attr]
    assert _prepared('WHERE "accounts_user"."username" = $1') == 1  # one statement, kept for the connection


def test_the_query_log_shows_each_statement_with_its_values():
    with CaptureQueriesContext(connection) as seen:
        BY_USERNAME.first("prep_logged")
    assert len(seen) == 1 and "'prep_logged'" in seen.captured_queries[0]["sql"]


def test_errors_are_djangos_and_roll_back_as_usual():
    town = build_test_town()
    make_staff("prep_dup", roles=[], scope=town.town)
    other = make_staff("prep_other", roles=[], scope=town.town)
    with pytest.raises(IntegrityError), transaction.atomic(), hot_cursor(connection) as cursor:
        cursor.execute("UPDATE accounts_user SET username = %s WHERE id = %s", ["prep_dup", other.pk])
    assert set(User.objects.filter(username__startswith="prep_").values_list("username", flat=True)) == {
        "prep_dup", "prep_other"}


def test_without_a_threshold_nothing_is_prepared(monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    assert BY_MOBILE.first("13900000000") is None
    assert _prepared('WHERE "accounts_user"."mobile" = $1') == 0
