"""Django's PostgreSQL backend, with a health check that sends nothing to the server.

With ``CONN_HEALTH_CHECKS`` (on with ``DATABASE_URL``, zhenwu/settings.py) Django checks a kept connection
once per request before its first statement, by a ``SELECT 1``: a round trip, and CPU on both sides, on
every request. Between requests a healthy connection has nothing to read. When the server ends one (a
restart, ``pg_terminate_backend``, ``idle_session_timeout``), it sends its error and closes, and the socket
becomes readable: so a connection is usable when libpq has not seen it fail, it is not in a failed
transaction, and its socket has nothing waiting. This is what ``SELECT 1`` finds out in those cases, without
the statement. (A server that vanished without a word, its host powered off, is caught by neither at once:
``SELECT 1`` would wait for TCP's time-out as the request's first statement does.)
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base
from psycopg import pq

_USABLE = (pq.TransactionStatus.IDLE, pq.TransactionStatus.INTRANS)
_TROUBLE = select.POLLIN | select.POLLPRI | select.POLLERR | select.POLLHUP


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        conn = self.connection
        if conn is None or conn.closed or conn.broken or conn.info.transaction_status not in _USABLE:
            return False
        try:
            poller = select.poll()
            poller.register(conn.fileno(), _TROUBLE)
            return not poller.poll(0)
        except (OSError, ValueError):  # the socket is gone
            return False
