"""zhenwu.postgresql: a kept connection is checked once per request without a statement, and one the server
has ended is replaced before the request's first statement, which then succeeds."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="zhenwu.postgresql is PostgreSQL's")]


@pytest.fixture()
def kept() -> Iterator[BaseDatabaseWrapper]:
    """A second connection with the server's settings (kept, health-checked), outside the test's transaction."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict["CONN_HEALTH_CHECKS"] = True
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def _admin() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    return psycopg.connect(**params, autocommit=True)


def _last_statement(pid: int) -> str:
    with _admin() as admin:
        row = admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()
        return str(row[0]) if row else ""


def _next_request(wrapper: BaseDatabaseWrapper) -> int:
    """What Django does between requests and at the first statement of the next; the backend's pid."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def test_the_backend_is_zhenwus(kept: BaseDatabaseWrapper) -> None:
    assert type(kept).__module__ == "zhenwu.postgresql.base" and kept.vendor == "postgresql"
    assert kept.health_check_enabled


def test_a_healthy_connection_is_kept_and_the_check_sends_nothing(kept: BaseDatabaseWrapper) -> None:
    first = _next_request(kept)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 'the last statement'")
    kept.health_check_done = False  # a new request
    assert kept.is_usable()
    kept.close_if_health_check_failed()
    assert kept.connection is not None
    assert _last_statement(first) == "SELECT 'the last statement'"  # no SELECT 1 went to the server
    assert _next_request(kept) == first  # the same connection serves the next request


def test_a_connection_the_server_ended_is_replaced_before_the_first_statement(kept: BaseDatabaseWrapper) -> None:
    first = _next_request(kept)
    with _admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [first])
    deadline = time.monotonic() + 5
    while kept.is_usable() and time.monotonic() < deadline:  # the server's goodbye crosses the socket
        time.sleep(0.01)
    assert not kept.is_usable()
    second = _next_request(kept)  # no error: the check closed it and a new one answered
    assert second != first


def test_a_failed_transaction_is_not_usable(kept: BaseDatabaseWrapper) -> None:
    raw = kept.connection
    raw.autocommit = False
    with pytest.raises(psycopg.errors.DivisionByZero):
        raw.execute("SELECT 1 / 0")
    assert not kept.is_usable()
    raw.rollback()
    raw.autocommit = True
    assert kept.is_usable()
