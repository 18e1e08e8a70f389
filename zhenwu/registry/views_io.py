"""Pages of the import wizard (upload → check report with progress → explicit choice → result) and exports.

``/registry/import/`` chooses the kind and uploads; ``/registry/import/<id>/`` shows the progress bar
(polled with htmx every second while the job runs; the same view answers the fragment), then the
report and the two buttons; ``/registry/export/<kind>/?…`` answers the ledger with the list filters.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from zhenwu.accounts.models import User
from zhenwu.accounts.selectors import scope_prefix
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.api_io import xlsx_response
from zhenwu.registry.exporting import LISTS, ledger_export, rejected_rows_export, template_workbook
from zhenwu.registry.importing import KINDS, import_job_commit, import_job_create, import_job_get
from zhenwu.registry.models import ImportChoice, ImportJob
from zhenwu.registry.policy import can_edit_registry, can_export_unmasked
from zhenwu.registry.searches import search_recall

REPORT_PAGE_SIZE = 100  # rejected rows per page: a file with thousands of bad rows is read a page at a time


def _staff(request: HttpRequest) -> User:
    """The signed-in staff member; anyone else gets 404 (the registry is not theirs to know)."""
    user = request.user
    if not isinstance(user, User) or scope_prefix(user) is None:
        raise Http404
    return user


def _kinds() -> list[tuple[str, Any]]:
    return [(slug, kind.label) for slug, kind in KINDS.items()]


def _render_start(request: HttpRequest, *, errors: list[str] | None = None, kind: str = "",
                  status: int = 200) -> HttpResponse:
    user = _staff(request)
    jobs = ImportJob.objects.filter(created_by=user).order_by("-created_at")[:10]
    context = {"kinds": _kinds(), "errors": errors or [], "kind": kind or "residents", "jobs": jobs,
               "may_import": can_edit_registry(user)}
    return render(request, "registry/import.html", context, status=status)


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    """Choose the kind and upload a file; the upload is checked (dry run) and the report page follows."""
    user = _staff(request)
    if request.method != "POST":
        return _render_start(request, kind=request.GET.get("kind", ""))
    kind = request.POST.get("kind", "")
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise FieldError("file", _("Choose a file to upload."))
        job = import_job_create(actor=user, kind=kind, data=upload.read(), file_name=upload.name or "")
    except FieldError as exc:
        return _render_start(request, errors=[str(m) for _f, m in exc.errors], kind=kind, status=exc.status)
    return redirect("registry:import_job", job_id=job.pk)


def _job_or_404(user: User, job_id: int) -> ImportJob:
    try:
        return import_job_get(user=user, job_id=job_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's progress, report and choice; an htmx request gets just the fragment that polls."""
    user = _staff(request)
    job = _job_or_404(user, job_id)
    context = {"job": job, **_report_page(request, job.report.get("errors", [])), "kind_label": KINDS[job.kind].label,
               "file_errors": job.report.get("file_errors", []), "choices": ImportChoice,
               "may_commit": can_edit_registry(user) and job.status in ("validated", "refused"),
               "list_url": f"/registry/{job.kind}/"}
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "registry/import_job_status.html" if fragment else "registry/import_job.html", context)


def _report_page(request: HttpRequest, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """One page of the rejected rows (``?page=N``), with the links around it."""
    raw = request.GET.get("page", "")
    pages = max((len(errors) + REPORT_PAGE_SIZE - 1) // REPORT_PAGE_SIZE, 1)
    page = min(max(int(raw), 1), pages) if raw.isdigit() and len(raw) <= 6 else 1
    start = (page - 1) * REPORT_PAGE_SIZE
    shown = errors[start:start + REPORT_PAGE_SIZE]
    return {"errors": shown, "errors_total": len(errors), "page": page, "pages": pages,
            "first_shown": start + 1, "last_shown": start + len(shown),
            "previous_page": page - 1 if page > 1 else None, "next_page": page + 1 if page < pages else None}


@login_required
def import_rejected(request: HttpRequest, job_id: int) -> HttpResponse:
    """The rejected rows as xlsx, with a column of reasons, to fix and upload again."""
    user = _staff(request)
    try:
        return xlsx_response(rejected_rows_export(user=user, job_id=job_id))
    except NotFound as exc:
        raise Http404 from exc
    except FieldError as exc:
        messages.error(request, "; ".join(str(m) for _f, m in exc.errors))
        return redirect("registry:import_job", job_id=job_id)


@login_required
@require_POST
def import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    """The explicit choice: all or nothing, or only the valid rows."""
    user = _staff(request)
    job = _job_or_404(user, job_id)
    try:
        import_job_commit(actor=user, job=job, choice=request.POST.get("choice", ""))
    except FieldError as exc:
        messages.error(request, "; ".join(str(m) for _f, m in exc.errors))
    return redirect("registry:import_job", job_id=job.pk)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    _staff(request)
    if kind not in KINDS:
        raise Http404
    return xlsx_response(template_workbook(kind))


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    """Choose a ledger and its filters; administrators may tick "unmasked" (audited)."""
    user = _staff(request)
    kind = request.GET.get("kind")
    if kind in LISTS:
        query = {k: str(v) for k, v in request.GET.items() if k != "kind" and v}
        return HttpResponseRedirect(reverse("registry:export", args=[kind]) + "?" + urlencode(query))
    return render(request, "registry/export.html", {"kinds": _kinds(), "may_unmask": can_export_unmasked(user)})


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """The ledger of ``kind`` with the list page's query parameters; ``unmasked=1`` for administrators."""
    user = _staff(request)
    if kind not in LISTS:
        raise Http404
    unmasked = request.GET.get("unmasked") in ("1", "true", "on")
    params = request.GET.copy()
    sid = params.pop("s", [""])[-1]
    if sid:  # the list's search, kept in the session rather than in the address
        params["q"] = search_recall(request, slug=kind, sid=sid) or ""
    try:
        result = ledger_export(user=user, kind=kind, params=params, unmasked=unmasked,
                               request_id=str(getattr(request, "request_id", "")))
    except FieldError as exc:
        return render(request, "registry/export.html",
                      {"kinds": _kinds(), "may_unmask": can_export_unmasked(user),
                       "errors": [str(m) for _f, m in exc.errors]}, status=exc.status)
    return xlsx_response(result)


urlpatterns: list[URLPattern] = [
    path("import/", import_start, name="import"),
    path("import/<int:job_id>/", import_job, name="import_job"),
    path("import/<int:job_id>/commit/", import_commit, name="import_commit"),
    path("import/<int:job_id>/rejected.xlsx", import_rejected, name="import_rejected"),
    path("import/template/<str:kind>/", import_template, name="import_template"),
    path("export/", export_page, name="export_page"),
    path("export/<str:kind>/", export, name="export"),
]
