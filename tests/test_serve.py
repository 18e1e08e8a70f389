"""`zhenwu serve --workers N`: N server processes under one master, stopped cleanly by SIGTERM."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.live import ROOT, ZHENWU, LiveServer, _wait_until_up, free_port
from zhenwu.web.management.commands.serve import default_workers


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST")) and k not in ("CELERY_BROKER_URL", "REDIS_URL", "DATABASE_URL")}
    env.update(ZHENWU_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT), ZHENWU_SMS_BACKEND="log",
               ZHENWU_ALLOW_DEV_SECRET_KEY="1", ZHENWU_ALLOW_INSECURE_SMS="1", LOG_LEVEL="WARNING")
    return env


def _serve_two(env: dict[str, str], *more: str, output: int | None = subprocess.DEVNULL
               ) -> tuple[LiveServer, subprocess.Popen[bytes]]:
    """`zhenwu serve --workers 2` on a free port (``more``: further options)."""
    server = LiveServer("127.0.0.1", free_port())
    proc = subprocess.Popen([*ZHENWU, "serve", "--host", server.host, "--port", str(server.port), "--workers", "2",
                             *more], env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    return server, proc


def _children(pid: int, word: bytes = b"") -> list[int]:
    """The live child processes of ``pid`` (their command line containing ``word``), read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z" and word in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return found


@pytest.mark.live
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes through /proc")
def test_it_serves_from_two_worker_processes_and_stops_on_sigterm(tmp_path: Path) -> None:
    server, proc = _serve_two(_env(tmp_path), output=subprocess.PIPE)
    try:
        _wait_until_up(server, proc)  # type: ignore[arg-type]
        assert server.request("GET", "/api/v1/openapi.json").status == 200
        assert len(_children(proc.pid)) == 2
    finally:
        proc.terminate()
        assert proc.wait(timeout=30) == 0
    out = proc.stdout.read().decode() if proc.stdout else ""
    assert "2 个进程 × 每进程 1 个线程" in out  # one thread per process unless --threads says otherwise


def test_the_default_is_one_worker_per_core_and_bad_counts_are_refused(tmp_path: Path) -> None:
    assert default_workers() == len(os.sched_getaffinity(0)) >= 1
    bad = subprocess.run([*ZHENWU, "serve", "--workers", "0"], env=_env(tmp_path), cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "--workers" in bad.stderr


@pytest.mark.live
def test_demo_mode_reaches_every_worker(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([*ZHENWU, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=300)
    (tmp_path / "demo_logins.json").write_text(json.dumps([{"username": "demo_clerk_7", "password": "x",
                                                            "role_label": "窗口", "scope": "测试镇"}]))
    server, proc = _serve_two(env, "--demo")
    tickers: list[int] = []
    try:
        _wait_until_up(server, proc)  # type: ignore[arg-type]
        pages = [server.request("GET", "/login/") for _ in range(6)]  # new connections: both workers answer
        assert all(p.status == 200 and b"demo_clerk_7" in p.body for p in pages)
        tickers = _children(proc.pid, b"tick")
        assert len(tickers) == 1  # the periodic work runs beside the server in demo mode
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in tickers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in tickers)  # and stops with it



def _established(worker: int, port: int) -> int:
    """How many established connections to ``port`` the process ``worker`` holds (/proc/<pid>/fd, /proc/net/tcp)."""
    inodes = set()
    for fd in Path(f"/proc/{worker}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01" and fields[9] in inodes:
            count += 1
    return count


@pytest.mark.live
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads sockets through /proc")
def test_keep_alive_connections_spread_evenly_over_the_workers(tmp_path: Path) -> None:
    """Six clients connecting one after another: three to each of the two processes, not as the wake-ups fall.

    A worker starved of CPU past the wait (``_WAIT``) lets the busier one take the connection: on a machine
    loaded by the rest of the suite that can happen once, so a second set of six clients may try again."""
    server, proc = _serve_two(_env(tmp_path))
    try:
        _wait_until_up(server, proc)  # type: ignore[arg-type]
        splits = [_split_of_six(server, _children(proc.pid)) for _ in range(2)]
        assert [3, 3] in splits, splits
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _split_of_six(server: LiveServer, workers: list[int]) -> list[int]:
    clients = [http.client.HTTPConnection(server.host, server.port, timeout=30) for _ in range(6)]
    try:
        for client in clients:  # each kept open (keep-alive) after its answer
            client.request("GET", "/api/v1/openapi.json")
            assert client.getresponse().read()
        return sorted(_established(w, server.port) for w in workers)
    finally:
        for client in clients:
            client.close()
        time.sleep(0.3)  # the workers see the connections closed before the next six come
