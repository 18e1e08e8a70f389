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


def _psycopg_cursor(cursor):
    return cursor._cursor if hasattr(cursor, "_cursor") else cursor.cursor


def test_the_psycopg_cursor_is_kept_for_the_next_statement_and_a_nested_one_gets_its_own():
    with hot_cursor(connection) as first:
        first.execute("SELECT 1")
        with hot_cursor(connection) as inner:  # while the first is in use
            inner.execute("SELECT 2")
            assert _psycopg_cursor(inner) is not _psycopg_cursor(first) and inner.fetchone() == (2,)
        assert first.fetchone() == (1,)
    with hot_cursor(connection) as again:
        again.execute("SELECT 3")
        assert _psycopg_cursor(again) in (_psycopg_cursor(first), _psycopg_cursor(inner))
        assert again.fetchall() == [(3,)]


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_never_gets_the_old_ones_cursor():
    with hot_cursor(connection) as before:
        before.execute("SELECT 1")
    connection.close()
    with hot_cursor(connection) as after:
        after.execute("SELECT 2")
        assert _psycopg_cursor(after) is not _psycopg_cursor(before) and after.fetchone() == (2,)


def test_a_statement_in_a_broken_transaction_is_refused():
    from django.db.transaction import TransactionManagementError

    with transaction.atomic():
        # Without a savepoint, the failed block marks the outer one for rollback, as in the services.
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False), hot_cursor(connection) as cursor:
            cursor.execute("INSERT INTO accounts_user (id) VALUES (NULL)")
        with pytest.raises(TransactionManagementError), hot_cursor(connection) as cursor:
            cursor.execute("SELECT 1")


def test_an_execute_wrapper_sees_the_hot_statements():
    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert BY_USERNAME.first("prep_wrapped") is None
    assert len(seen) == 1 and '"accounts_user"."username"' in seen[0]
