"""A real `zhenwu serve` (gunicorn, one process per core) in a subprocess, on a free port, over its own seeded database.

What a phone, the 12345 hotline or an integration meets: no Django test client, no CSRF short-cut.
On SQLite the server gets a fresh file under a temporary data directory; when ``DATABASE_URL`` points
at PostgreSQL it gets its own database beside the test database (``<name>_live``), dropped afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ZHENWU = [sys.executable, "-m", "zhenwu"]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class LiveServer:
    """Where the server listens and what the seed made (tokens by persona name, object ids)."""

    host: str
    port: int
    seed: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def token(self, persona: str) -> str:
        return str(self.seed["tokens"][persona])

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
        """One request over a plain HTTP connection (http.client): no cookies unless given."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            data = body.encode("utf-8") if isinstance(body, str) else body
            conn.request(method, path, body=data, headers=headers or {})
            raw = conn.getresponse()
            headers: dict[str, str] = {}
            for name, value in raw.getheaders():  # several Set-Cookie headers: one per line
                headers[name.lower()] = f"{headers[name.lower()]}\n{value}" if name.lower() in headers else value
            return Response(raw.status, headers, raw.read())
        finally:
            conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_live_url(url: str) -> tuple[str, str, str]:
    """(the live database's URL, its name, a URL of the maintenance database) for a PostgreSQL URL."""
    parts = urlsplit(url)
    # One per pytest-xdist worker: two workers' live servers must not share (or drop) one database.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = (parts.path.lstrip("/") or "zhenwu") + "_live" + (f"_{worker}" if worker else "")
    return (urlunsplit(parts._replace(path="/" + name)), name,
            urlunsplit(parts._replace(path="/postgres")))


def _pg_exec(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql)


def _wait_until_up(server: LiveServer, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"zhenwu serve exited with {proc.returncode}")
        try:
            server.request("GET", "/api/v1/openapi.json", timeout=5)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"zhenwu serve did not answer within {timeout:.0f} s")


@contextmanager
def live_server(data_dir: Path) -> Iterator[LiveServer]:
    """Migrate and seed a database, start `zhenwu serve` on a free port, stop it afterwards."""
    # Its own data directory and no broker or shared cache: the server runs background work in-process.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST")) and k not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env.update(ZHENWU_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), ZHENWU_ADMIN_TWO_FACTOR="off",
               ZHENWU_SMS_BACKEND="log", LOG_LEVEL="WARNING")
    database_url = env.get("DATABASE_URL", "")
    pg_admin = pg_name = ""
    if database_url.startswith("postgres"):
        env["DATABASE_URL"], pg_name, pg_admin = _pg_live_url(database_url)
        _pg_exec(pg_admin, f'DROP DATABASE IF EXISTS "{pg_name}"')
        _pg_exec(pg_admin, f'CREATE DATABASE "{pg_name}"')
    proc, log = None, None
    try:
        subprocess.run([*ZHENWU, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
        seeded = subprocess.run([sys.executable, "-m", "tests.live_seed"], env=env, cwd=ROOT, check=True,
                                capture_output=True, text=True)
        server = LiveServer("127.0.0.1", free_port(), json.loads(seeded.stdout.strip().splitlines()[-1]))
        log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed with the server
        proc = subprocess.Popen([*ZHENWU, "serve", "--host", server.host, "--port", str(server.port)],
                                env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _wait_until_up(server, proc)
        yield server
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if log is not None:
            log.close()
        if pg_name:
            _pg_exec(pg_admin, f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
