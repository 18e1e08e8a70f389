"""/api/v1/registry/io/: import templates, import jobs (dry run, then an explicit choice) and ledger exports.

``POST imports`` (multipart: ``file``, ``kind``) stores and checks the file and answers the job;
``GET imports/{id}`` shows its progress and report (every rejected row: row number as Excel shows
it, column, reason), ``GET imports/{id}/rejected`` those rows as xlsx with a reason column;
``POST imports/{id}/commit`` with ``{"choice": "all_or_nothing" | "valid_only"}``
imports. ``GET export/{kind}`` answers the ledger as xlsx with the list filters, masked unless an
administrator asks ``unmasked=true`` (audited).
"""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.

import datetime
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from zhenwu.accounts.http import request_id as _request_id
from zhenwu.accounts.http import request_user as _user
from zhenwu.errors import FieldError
from zhenwu.registry.exporting import XLSX_TYPE, Export, ledger_export, rejected_rows_export, template_workbook
from zhenwu.registry.importing import import_job_commit, import_job_create, import_job_get
from zhenwu.registry.models import ImportJob

router = Router(tags=["registry import/export"])

KindPath = Literal["residents", "households", "enterprises", "places", "cameras"]


class RowErrorOut(Schema):
    row: int
    column: str
    field: str
    message: str
    message_en: str


class FileErrorOut(Schema):
    field: str | None = None
    message: str
    message_en: str


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    choice: str
    original_name: str
    file_sha256: str
    total_rows: int
    processed_rows: int
    percent: int
    valid_rows: int
    rejected_rows: int
    imported_rows: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    sheet: str
    file_errors: list[FileErrorOut]
    errors: list[RowErrorOut]
    errors_total: int


class CommitIn(Schema):
    choice: Literal["all_or_nothing", "valid_only"]


class ReportQuery(Schema):
    offset: int = 0
    limit: int = 1000


class ExportQuery(Schema):
    grid: str | None = None
    status: str | None = None
    tag: str | None = None
    kind: str | None = None
    operating_status: str | None = None
    risk_level: str | None = None
    abnormal: str | None = None
    source_system: str | None = None
    q: str | None = None
    unmasked: bool = False




def job_out(job: ImportJob, *, offset: int = 0, limit: int = 1000) -> dict[str, Any]:
    """The job as the API (and the wizard's polling) shows it; the report's rows paged by offset/limit."""
    errors = job.report.get("errors", [])
    return {"id": job.pk, "kind": job.kind, "status": job.status, "status_label": str(job.get_status_display()),
            "choice": job.choice, "original_name": job.original_name, "file_sha256": job.file_sha256,
            "total_rows": job.total_rows, "processed_rows": job.processed_rows, "percent": job.percent,
            "valid_rows": job.valid_rows, "rejected_rows": job.rejected_rows, "imported_rows": job.imported_rows,
            "created_at": job.created_at, "finished_at": job.finished_at, "sheet": job.report.get("sheet", ""),
            "file_errors": job.report.get("file_errors", []),
            "errors": errors[max(offset, 0):max(offset, 0) + max(min(limit, 10_000), 0)],
            "errors_total": len(errors)}


def xlsx_response(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    return response


@router.get("/templates/{kind}", summary="Import template (xlsx)")
def template(request: HttpRequest, kind: KindPath) -> HttpResponse:
    return xlsx_response(template_workbook(kind))


@router.post("/imports", response={201: ImportJobOut}, summary="Upload and check a file (dry run)")
def import_create(request: HttpRequest, file: File[UploadedFile], kind: Form[str]) -> Status:
    if (file.size or 0) > settings.REGISTRY_IMPORT_MAX_BYTES:
        raise FieldError("file", _("The file is too large."))
    job = import_job_create(actor=_user(request), kind=kind, data=file.read(), file_name=file.name or "")
    return Status(201, job_out(job))


@router.get("/imports/{job_id}", response=ImportJobOut, summary="Progress and report of an import")
def import_get(request: HttpRequest, job_id: int, page: Query[ReportQuery]) -> dict[str, Any]:
    job = import_job_get(user=_user(request), job_id=job_id)
    return job_out(job, offset=page.offset, limit=page.limit)


@router.post("/imports/{job_id}/commit", response=ImportJobOut, summary="Import with an explicit choice")
def import_commit(request: HttpRequest, job_id: int, payload: CommitIn) -> dict[str, Any]:
    user = _user(request)
    job = import_job_commit(actor=user, job=import_job_get(user=user, job_id=job_id), choice=payload.choice)
    return job_out(job)


@router.get("/imports/{job_id}/rejected", summary="The rejected rows with their reasons (xlsx), to fix and re-upload")
def import_rejected(request: HttpRequest, job_id: int) -> HttpResponse:
    return xlsx_response(rejected_rows_export(user=_user(request), job_id=job_id))


@router.get("/export/{kind}", summary="Ledger (台账) as xlsx with the list filters")
def export(request: HttpRequest, kind: KindPath, filters: Query[ExportQuery]) -> HttpResponse:
    params = filters.dict(exclude={"unmasked"})
    result = ledger_export(user=_user(request), kind=kind, params=params, unmasked=filters.unmasked,
                           request_id=_request_id(request))
    return xlsx_response(result)
