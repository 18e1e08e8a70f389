"""Load over HTTP: `zhenwu serve --workers 2` on PostgreSQL, concurrent clients, beside raw SQL.

A fresh database (BENCH_DATABASE_URL with ``_http`` appended) is migrated and seeded with the test town,
a window clerk, one service item and an API token; the server runs in a subprocess on a free port of
127.0.0.1. Client threads (http.client, one keep-alive connection each) then, for a bounded time each:

- ``GET /api/v1/accounts/me`` with the token (authentication, roles, scope);
- ``POST /api/v1/services/applications``, the window intake (counter, case, audit entry, application,
  statistics, outbox; the SMS goes after the response);
- the baseline: the same number of threads, each with its own psycopg connection, performing the same
  six statements per transaction in raw SQL (counter UPDATE … RETURNING, case, audit entry with a SHA-256,
  application, statistics, outbox) — what the database alone allows on this machine in the same run.

Prints requests/s, p50 and p99 of each. BENCH_HTTP_SECONDS (default 8) bounds each phase,
BENCH_HTTP_CLIENTS (default 4) sets the clients, BENCH_HTTP_WORKERS (default 2) and
BENCH_HTTP_THREADS the server's processes and threads, BENCH_HTTP_SERVER picks the server (gunicorn, waitress,
or granian when it is installed: for comparing them).
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks.harness import Report
from benchmarks.postgres import bench_database_url, ensure_database

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_HTTP_CLIENTS", "4"))
SERVER = os.environ.get("BENCH_HTTP_SERVER", "gunicorn")
# A checkout of an older Zhenwu (same schema) whose own `zhenwu serve` is measured instead: before/after.
BEFORE = os.environ.get("BENCH_HTTP_BEFORE", "")
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", "2"))  # server processes
THREADS = os.environ.get("BENCH_HTTP_THREADS", "")  # threads per process; empty: `zhenwu serve`'s default
HOST = "127.0.0.1"
INTAKE = {"item_code": "320000-MZ-0001", "channel": "window",
          "materials": [{"name": "身份证", "provided": True, "attachments": []},
                        {"name": "照片", "provided": True, "attachments": []}],
          "applicant": {"applicant_name": "王芳", "id_number": "11010519491231002X", "mobile": "13512342210"}}


def _database_url() -> str:
    parts = urlsplit(bench_database_url())
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_http"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="zhenwu.settings", PYTHONPATH=str(ROOT),
               ZHENWU_SMS_BACKEND="log", LOG_LEVEL="WARNING", ZHENWU_ADMIN_TWO_FACTOR="off")
    return env


def _fresh_database(url: str) -> str | None:
    import psycopg

    problem = ensure_database(url)
    if problem:
        return problem
    parts = urlsplit(url)
    name, admin = parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return None


def _start_server(env: dict[str, str], port: int, log: Any) -> subprocess.Popen[bytes]:
    if BEFORE:  # the older tree's server, as its own command line starts it
        env = {**env, "PYTHONPATH": BEFORE}
        proc = subprocess.Popen([sys.executable, "-m", "zhenwu", "serve", "--host", HOST, "--port", str(port)],
                                env=env, cwd=BEFORE, stdout=log, stderr=subprocess.STDOUT)
        return _wait_up(proc, port)
    if SERVER == "granian":  # only for comparing servers; `zhenwu serve` runs gunicorn
        cmd = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", HOST, "--port", str(port),
               "--workers", str(WORKERS), "--blocking-threads", "4", "--no-ws", "zhenwu.wsgi:application"]
    else:
        cmd = [sys.executable, "-m", "zhenwu", "serve", "--host", HOST, "--port", str(port),
               "--workers", str(WORKERS), "--server", SERVER, *(["--threads", THREADS] if THREADS else [])]
    return _wait_up(subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT), port)


def _wait_up(proc: subprocess.Popen[bytes], port: int) -> subprocess.Popen[bytes]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not answer within 60 s")


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its direct children (gunicorn's workers); Linux only."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    proc_dir = Path("/proc")
    if not proc_dir.exists():
        return float("nan")
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _load(clients: int, make: Callable[[], Callable[[], None]], server_pid: int | None = None) -> dict[str, float]:
    """``clients`` threads, each calling its own operation (``make()``) until the time is up; with
    ``server_pid``, also the server's CPU milliseconds per request."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = []

    def client(i: int) -> None:
        op = make()
        start.wait()
        while time.monotonic() < stop_at[0]:
            t0 = time.perf_counter()
            try:
                op()
            except Exception as exc:  # counted and shown, never hidden
                errors.append(f"{type(exc).__name__}: {exc}")
                return
            latencies[i].append(time.perf_counter() - t0)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    cpu = _tree_cpu(server_pid) if server_pid else 0.0
    stop_at.append(time.monotonic() + SECONDS)
    began = time.monotonic()
    start.wait()
    for t in threads:
        t.join(SECONDS + 60)
    took = time.monotonic() - began
    every = [x for per in latencies for x in per]
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed, first: {errors[0]}")
    out = {"rps": len(every) / took, "p50_ms": _percentile(every, 0.5) * 1000,
           "p99_ms": _percentile(every, 0.99) * 1000, "n": len(every)}
    if server_pid and every:
        time.sleep(0.5)  # the last deliveries after the last response are the requests' work too
        out["cpu_ms"] = (_tree_cpu(server_pid) - cpu) * 1000 / len(every)
    return out


def _http_op(port: int, method: str, path: str, token: str, body: bytes | None, status: int) -> Callable[[], None]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def op() -> None:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != status:
            raise RuntimeError(f"{method} {path}: HTTP {response.status} {data[:200]!r}")
    return op


def _raw_op(url: str, template: dict[str, dict[str, Any]]) -> Callable[[], None]:
    """The intake's six statements in one transaction, raw SQL through a connection of its own."""
    import psycopg
    from psycopg.types.json import Jsonb

    conn = psycopg.connect(url)
    counter, case, audit, app, stat, outbox = (template[k] for k in
                                               ("counter", "case", "audit", "application", "stat", "outbox"))

    def values(row: dict[str, Any]) -> list[Any]:
        return [Jsonb(v) if isinstance(v, dict | list) else v for v in row.values()]

    def insert(table: str, row: dict[str, Any], returning: bool = False) -> Any:
        sql = (f'INSERT INTO {table} ({", ".join(row)}) VALUES ({", ".join(["%s"] * len(row))})'
               + (" RETURNING id" if returning else ""))
        cur = conn.execute(sql, values(row))  # type: ignore[arg-type]
        return cur.fetchone()[0] if returning else None  # type: ignore[index]

    def op() -> None:
        with conn.transaction():
            seq = conn.execute("UPDATE casework_casecounter SET last = last + 1 WHERE id = %s RETURNING last",
                               [counter["id"]]).fetchone()[0]  # type: ignore[index]
            number = f"RB-{case['town_code']}-{seq:07d}"
            case_id = insert("casework_case", {**case, "number": number}, returning=True)
            entry = {**audit, "subject": number, "case_id": case_id}
            entry["hash"] = hashlib.sha256(json.dumps(entry, sort_keys=True, default=str).encode()).hexdigest()
            insert("casework_auditentry", entry)
            insert("services_application", {**app, "case_id": case_id})
            conn.execute("UPDATE casework_casefilingstat SET cases = cases + 1 WHERE id = %s", [stat["id"]])
            insert("casework_outboxmessage", {**outbox, "payload": {"case": number}})
    return op


def _templates(url: str) -> dict[str, dict[str, Any]]:
    """One real row of each table the intake writes, as the raw baseline's model (ids dropped)."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(url, row_factory=dict_row) as conn:
        def one(sql: str) -> dict[str, Any]:
            row = conn.execute(sql).fetchone()
            assert row is not None, sql
            return dict(row)

        case = one("SELECT * FROM casework_case ORDER BY id DESC LIMIT 1")
        counter = one("SELECT * FROM casework_casecounter ORDER BY id DESC LIMIT 1")
        conn.execute("INSERT INTO casework_casecounter (kind, town_code, day, last) VALUES ('RB', %s, %s, 0)",
                     [counter["town_code"], counter["day"]])
        counter = one("SELECT * FROM casework_casecounter WHERE kind = 'RB'")
        rows = {"counter": counter, "case": case,
                "audit": one(f"SELECT * FROM casework_auditentry WHERE case_id = {case['id']} ORDER BY seq LIMIT 1"),
                "application": one(f"SELECT * FROM services_application WHERE case_id = {case['id']}"),
                "stat": one("SELECT * FROM casework_casefilingstat ORDER BY id DESC LIMIT 1"),
                "outbox": one("SELECT * FROM casework_outboxmessage ORDER BY id DESC LIMIT 1")}
        conn.commit()
    for name in ("case", "audit", "application", "outbox"):
        rows[name].pop("id")
    return rows


def measure() -> dict[str, Any]:
    url = _database_url()
    problem = _fresh_database(url)
    if problem:
        return {"skipped": f"PostgreSQL at {url} unreachable ({problem})"}
    env = _env(url)
    subprocess.run([sys.executable, "-m", "zhenwu", "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    seeded = subprocess.run([sys.executable, "-m", "benchmarks.bench_http", "seed"], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    token = json.loads(seeded.stdout.strip().splitlines()[-1])["token"]
    port = _free_port()
    log_path = ROOT / ".bench-http-server.log"
    result: dict[str, Any] = {"server": f"before: {BEFORE}" if BEFORE else SERVER,
                              "workers": 1 if BEFORE else WORKERS, "clients": CLIENTS, "seconds": SECONDS}
    with open(log_path, "wb") as log:
        proc = _start_server(env, port, log)
        try:
            body = json.dumps(INTAKE).encode()
            _http_op(port, "POST", "/api/v1/services/applications", token, body, 201)()  # the day's rows
            me = lambda: _http_op(port, "GET", "/api/v1/accounts/me", token, None, 200)  # noqa: E731
            intake = lambda: _http_op(port, "POST", "/api/v1/services/applications", token, body, 201)  # noqa: E731
            result["me"] = _load(CLIENTS, me, proc.pid)
            result["intake"] = _load(CLIENTS, intake, proc.pid)
            result["intake_1"] = _load(1, intake, proc.pid)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    template = _templates(url)
    result["raw"] = _load(CLIENTS, lambda: _raw_op(url, template))
    return result


def _line(name: str, r: dict[str, float]) -> str:
    cpu = f", server CPU {r['cpu_ms']:.1f} ms/request" if "cpu_ms" in r else ""
    return (f"{name}: {r['rps']:,.0f} requests/s, p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms "
            f"({r['n']:,.0f} requests{cpu})")


def run(report: Report) -> None:
    result = measure()
    if "skipped" in result:
        report.note(f"HTTP load benchmark skipped: {result['skipped']}")
        return
    c = result["clients"]
    for key, label in (("me", f"GET /accounts/me, {c} clients"), ("intake", f"window intake, {c} clients"),
                       ("intake_1", "window intake, 1 client"), ("raw", f"raw SQL intake, {c} clients")):
        print(f"  {_line(label, result[key])}", flush=True)
    me, intake, raw = result["me"], result["intake"], result["raw"]
    report.row(f"HTTP GET /accounts/me, {c} clients, {result['workers']} process(es) ({result['server']})", me["rps"],
               "requests/s", target="p99 ≤ 100 ms", met=me["p99_ms"] <= 100)
    report.row(f"HTTP window intake, {c} clients (p50 {intake['p50_ms']:.0f} ms, p99 {intake['p99_ms']:.0f} ms)",
               intake["rps"], "requests/s", baseline_name=f"raw SQL, same inserts, {c} clients",
               baseline_value=raw["rps"], target="≥ 300 requests/s idle", met=intake["rps"] >= 300)


def seed() -> dict[str, Any]:
    import django

    django.setup()
    from zhenwu.accounts.choices import Role
    from zhenwu.accounts.services import token_create
    from zhenwu.services.tests.factories import make_item
    from zhenwu.testing import build_test_town, make_staff

    town = build_test_town()
    clerk = make_staff("bench_window", roles=[Role.WINDOW_CLERK], scope=town.town, full_name="窗口")
    make_item()
    return {"token": token_create(user=clerk, device="bench")[1]}


if __name__ == "__main__":
    if sys.argv[1:] == ["seed"]:
        print(json.dumps(seed()))
    else:
        os.environ.setdefault("ZHENWU_ALLOW_DEV_SECRET_KEY", "1")
        os.environ.setdefault("ZHENWU_ALLOW_INSECURE_SMS", "1")
        out = measure()
        print(json.dumps(out, default=str))
