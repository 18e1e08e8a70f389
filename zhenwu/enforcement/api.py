"""/api/v1/enforcement/: the power list (public), its import and export, officers and penalty cases."""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhenwu.accounts.http import request_user as _user
from zhenwu.enforcement import policy, selectors
from zhenwu.enforcement import schemas as s
from zhenwu.enforcement.models import PenaltyPower
from zhenwu.enforcement.services.io import powers_export, powers_import
from zhenwu.errors import FieldError
from zhenwu.paging import BoundedPageNumberPagination
from zhenwu.registry.exporting import XLSX_TYPE

router = Router(tags=["enforcement"])


def power_out(power: PenaltyPower, detail: bool = False) -> dict[str, Any]:
    v = power.current_version
    assert v is not None
    out: dict[str, Any] = {"code": power.code, "name": v.name, "department": v.department,
                           "department_label": v.get_department_display(), "basis": v.basis, "version": v.number}
    if detail:
        out.update(law=v.law, article=v.article, clause=v.clause, parties=v.parties,
                   parties_label=v.get_parties_display(),
                   bands=[{"level": b.level, "level_label": b.get_level_display(), "conditions": b.conditions,
                           "fine_min": b.fine_min, "fine_max": b.fine_max, "other_penalty": b.other_penalty}
                          for b in v.bands.all()],
                   responsibilities=[{"duty": r.duty, "accountability": r.accountability}
                                     for r in v.responsibilities.all()])
    return out


@router.get("/powers", response=list[s.PowerOut], auth=None, summary="The power list (权责清单), public")
@paginate(BoundedPageNumberPagination, page_size=50)
def power_list(request: HttpRequest, q: str = "", department: str = "") -> QuerySet[PenaltyPower]:
    return selectors.power_list(q=q, department=department)


@router.get("/powers/export", auth=None, summary="The power list as xlsx (the import reads it back)")
def power_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(powers_export(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="penalty-powers.xlsx"'
    return response


@router.post("/powers/import", response=s.ImportReportOut,
             summary="Check a power-list sheet (dry run, the default) or import it (all or nothing)")
def power_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = True) -> dict[str, Any]:
    user = _user(request)
    policy.check_list_keeper(user)
    if (file.size or 0) > settings.REGISTRY_IMPORT_MAX_BYTES:
        raise FieldError("file", _("The file is too large."))
    report = powers_import(actor=user, data=file.read(), dry_run=dry_run)
    return {"dry_run": report.dry_run, "rows": report.rows, "powers": report.powers, "written": report.written,
            "unchanged": report.unchanged, "errors": report.errors}


@router.get("/powers/{code}", response=s.PowerDetailOut, auth=None, summary="One power with its bands")
def power_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return power_out(selectors.power_get(code=code), detail=True)
