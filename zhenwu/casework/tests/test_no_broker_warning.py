"""Without a broker, tasks run in-process: queuing one logs no broker warning and no per-task line."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from zhenwu.casework.services import notification_enqueue


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.django_db
def test_an_sms_without_a_broker_logs_nothing_about_brokers(django_capture_on_commit_callbacks):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    handler, root = Records(), logging.getLogger()
    root.addHandler(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            notification_enqueue(channel="sms", recipient="13600000001", body="测试")
    finally:
        root.removeHandler(handler)
    noisy = [r.getMessage() for r in handler.records if r.name.startswith(("kombu", "celery"))
             and r.levelno >= logging.INFO and logging.getLogger(r.name).isEnabledFor(r.levelno)]
    assert noisy == []
