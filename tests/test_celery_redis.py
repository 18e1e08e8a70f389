"""A notification queued on PostgreSQL is delivered by a real Celery worker through Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from zhenwu import celery_app
from zhenwu.casework.choices import OutboxStatus
from zhenwu.casework.services import notification_enqueue

BROKER = os.environ.get("ZHENWU_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def worker(tmp_path: Path):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": BROKER, "ZHENWU_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "zhenwu", "worker", "--pool=solo",
                             "-l", "warning", "--without-heartbeat", "--without-mingle", "--without-gossip"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield proc
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.postgres
@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_outbox_through_redis(worker, settings):
    settings.SMS_BACKEND = "log"
    celery_app.conf.update(task_always_eager=False, broker_url=BROKER)
    try:
        with transaction.atomic():
            message = notification_enqueue(channel="sms", recipient="13512342210", body="您的验证码是 123456")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.status == OutboxStatus.SENT:
                break
            time.sleep(0.3)
    finally:
        celery_app.conf.update(task_always_eager=True, broker_url="memory://")
    assert message.status == OutboxStatus.SENT, worker.stderr.read1().decode() if worker.poll() else "timeout"
    assert message.attempts == 1
