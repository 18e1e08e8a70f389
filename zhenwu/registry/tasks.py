"""Background work of the registry: checking and importing large spreadsheets.

With a broker (``CELERY_BROKER_URL``) the jobs go to Celery workers. Without one Celery runs
eagerly, which would block the upload request until the end; so large jobs then run in a thread
of this process instead, and the wizard's progress bar still moves (``REGISTRY_IMPORT_THREADS``,
default on; tests turn it off to run everything in line).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@shared_task(name="zhenwu.registry.tasks.import_check")
def import_check(job_id: int) -> str:
    """Dry run of an import job: read and check every row, store the report."""
    return _guarded("check", job_id)


@shared_task(name="zhenwu.registry.tasks.import_commit")
def import_commit(job_id: int) -> str:
    """Carry out the chosen import of a checked job."""
    return _guarded("commit", job_id)


def _guarded(step: str, job_id: int, table: Any = None) -> str:
    """Run a step; an unexpected error marks the job failed instead of leaving it 'running' for ever."""
    from zhenwu.registry.importing import import_job_check, import_job_execute
    from zhenwu.registry.models import ImportJob, ImportStatus

    try:
        job = import_job_check(job_id, table) if step == "check" else import_job_execute(job_id)
        return str(job.status)
    except Exception:
        logger.exception("registry import job %s failed in step %s", job_id, step)
        message = _("The import stopped because of an internal error; nothing was imported.")
        with_language = {"field": None, "message": _text("zh-hans", message), "message_en": _text("en", message)}
        ImportJob.objects.filter(pk=job_id).update(status=ImportStatus.FAILED, finished_at=timezone.now(),
                                                   report={"file_errors": [with_language]})
        return str(ImportStatus.FAILED)


def _text(language: str, message: object) -> str:
    from django.utils import translation

    with translation.override(language):
        return str(message)


def _in_thread(step: str, job_id: int, table: Any) -> None:
    def run() -> None:
        close_old_connections()
        try:
            _guarded(step, job_id, table)
        finally:
            connection.close()

    threading.Thread(target=run, name=f"registry-import-{job_id}", daemon=True).start()


def dispatch(step: str, job_id: int, *, background: bool, table: Any = None) -> None:
    """Run ``step`` ("check" or "commit") of a job now, or in the background once the job is committed.

    ``table`` is the upload as the request parsed it: the dry run checks those rows when it runs in
    this process (inline or in a thread); a Celery worker parses the stored upload itself.
    """
    if not background:
        _guarded(step, job_id, table)
        return
    task = import_check if step == "check" else import_commit
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: task.delay(job_id))
    elif settings.REGISTRY_IMPORT_THREADS:
        transaction.on_commit(lambda: _in_thread(step, job_id, table))
    else:
        _guarded(step, job_id, table)
