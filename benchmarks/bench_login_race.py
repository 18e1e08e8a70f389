"""The login endpoint under 30 concurrent wrong passwords for one account: exactly 5 are checked (issue 7.3).

A real `zhenwu serve` (waitress, 30 threads) with the production password hasher (PBKDF2, 1,000,000
rounds) on PostgreSQL (``BENCH_DATABASE_URL``; SQLite in a temporary directory when PostgreSQL cannot
be reached). Thirty HTTP clients, each with its own CSRF cookie, post a wrong password for the same
username at once. Figures: how many passwords were checked (audit rows ``bad_credentials``; the rest
must be refused as ``locked`` before any hashing), and the wall time of the burst. Baseline: one
wrong-password login alone (one PBKDF2 check), measured in the same run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

from benchmarks.harness import Report
from benchmarks.postgres import bench_database_url, ensure_database

N = 30
SETUP = """
from zhenwu.accounts.models import User
for name in ("{user}", "{solo}"):
    User.objects.create_user(username=name, password="Right#Pass2026", kind="staff")
"""
COUNT = """
from zhenwu.accounts.models import LoginAttempt
rows = LoginAttempt.objects.filter(username="{user}")
print(rows.filter(reason="bad_credentials").count(), rows.filter(reason="locked").count(), rows.count())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _zhenwu(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([sys.executable, "-m", "zhenwu", *args], env=env, check=True, capture_output=True,
                         text=True, timeout=600)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


def run(report: Report) -> None:
    url = bench_database_url()
    problem = ensure_database(url)
    data_dir = tempfile.mkdtemp(prefix="zhenwu-bench-login-")
    database = url if not problem else f"sqlite:///{data_dir}/db.sqlite3"
    if problem:
        report.note(f"login race: PostgreSQL unreachable ({problem}); ran on SQLite")
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "zhenwu.settings",
           "ZHENWU_DATA_DIR": data_dir, "ZHENWU_THROTTLE_LOGIN_IP": "0/1"}
    tag = uuid.uuid4().hex[:8]
    user, solo = f"bench_race_{tag}", f"bench_solo_{tag}"
    _zhenwu(env, "migrate", "--no-input")
    _zhenwu(env, "shell", "-c", SETUP.format(user=user, solo=solo))
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "zhenwu", "serve", "--port", str(port), "--threads", str(N)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        result = _measure(f"http://127.0.0.1:{port}", user, solo)
    finally:
        server.terminate()
        server.wait(timeout=30)
    checked, locked, total = (int(x) for x in _zhenwu(env, "shell", "-c", COUNT.format(user=user)).split())
    kind = "PostgreSQL" if not problem else "SQLite"
    report.row(f"login race: {N} concurrent wrong passwords, one account ({kind}, PBKDF2 1M rounds): "
               f"{checked} checked, {locked} refused as locked", result["burst_s"] * 1000, "ms",
               baseline_name="one wrong-password login alone", baseline_value=result["solo_s"] * 1000,
               target="exactly 5 checked", met=checked == 5 and locked == N - 5 and total == N)
    print(f"  passwords checked: {checked} of {N} (locked before checking: {locked})", flush=True)


def _measure(base: str, user: str, solo: str) -> dict[str, Any]:
    from zhenwu.accounts.tests.live import LiveClient, at_once

    deadline = time.monotonic() + 60
    while True:
        try:
            LiveClient(base).csrf("/login/")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
    one = LiveClient(base)
    one.csrf("/login/")
    t0 = time.perf_counter()
    one.post_form("/login/", {"username": solo, "password": "Wrong#Pass1"})
    solo_s = time.perf_counter() - t0
    clients = [LiveClient(base) for _ in range(N)]
    for c in clients:
        c.csrf("/login/")
    t0 = time.perf_counter()
    at_once(N, lambda i: clients[i].post_form("/login/", {"username": user, "password": f"Wrong#{i}x"}))
    return {"solo_s": solo_s, "burst_s": time.perf_counter() - t0}
