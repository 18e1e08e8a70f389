"""Running a benchmark module on PostgreSQL: the harness runs on SQLite, so the work goes to a subprocess
started with DATABASE_URL=BENCH_DATABASE_URL, which configures Django for PostgreSQL from the start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any
from urllib.parse import urlparse, urlunparse

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zhenwu_bench"


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def ensure_database(url: str) -> str | None:
    """Create the database if missing; return an error text when the server is unreachable."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = urlunparse(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
                print(f"  created database {name}", flush=True)
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def run_module_on_postgres(module: str, *, timeout: int, url: str | None = None) -> dict[str, Any] | str:
    """Run `python -m <module>` against PostgreSQL; its last stdout line is a JSON result.

    Returns the result, or the reason PostgreSQL could not be reached.
    """
    url = url or bench_database_url()
    problem = ensure_database(url)
    if problem:
        return f"PostgreSQL at {url} unreachable ({problem})"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "zhenwu.settings"}
    out = subprocess.run([sys.executable, "-m", module], env=env, check=True, capture_output=True, text=True,
                         timeout=timeout)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result
