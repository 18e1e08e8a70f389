"""A notification queued on PostgreSQL is delivered by a real Celery worker through Redis.

Both sides run as separate processes configured only from the environment (DATABASE_URL,
CELERY_BROKER_URL), as in production; the test process just watches the outbox row.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from zhenwu.casework.choices import OutboxStatus
from zhenwu.casework.models import OutboxMessage

BROKER = os.environ.get("ZHENWU_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")
ENQUEUE = """
from django.db import transaction
from zhenwu.casework.services import notification_enqueue
with transaction.atomic():
    print(notification_enqueue(channel="sms", recipient="13512342210", body="您的验证码是 123456").pk)
"""


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": BROKER, "ZHENWU_DATA_DIR": str(tmp_path),
            "ZHENWU_SMS_BACKEND": "log"}


@pytest.fixture
def worker(env: dict[str, str]):
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "zhenwu", "worker", "--pool=solo",
                             "-l", "warning", "--without-heartbeat", "--without-mingle", "--without-gossip"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield proc
    proc.terminate()
    proc.wait(timeout=20)


@pytest.mark.postgres
@pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")
@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_the_outbox_through_redis(env, worker):
    out = subprocess.run([sys.executable, "-m", "zhenwu", "shell", "-c", ENQUEUE], env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    message = OutboxMessage.objects.get(pk=int(out.stdout.strip().splitlines()[-1]))
    deadline = time.monotonic() + 60
    while message.status != OutboxStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.3)
        message.refresh_from_db()
    assert message.status == OutboxStatus.SENT, worker.stderr.read1().decode() if worker.poll() else "timeout"
    assert message.attempts == 1
