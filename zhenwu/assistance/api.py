"""/api/v1/assistance/: household files (一户一档), needs and resources, applications and their steps, the
imported income data, and the public publicity list (公示). Privacy: ``policy.py``; every file view audited."""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.params import File as FileParam

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.http import request_id as _rid
from zhenwu.accounts.http import request_user as _user
from zhenwu.assistance import exports, outputs, selectors
from zhenwu.assistance import schemas as s
from zhenwu.assistance.services import applications as apps
from zhenwu.assistance.services import files
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.paging import BoundedPageNumberPagination
from zhenwu.registry.exporting import XLSX_TYPE

router = Router(tags=["assistance"])
MAX_UPLOAD = 20 * 1024 * 1024


class _Rows:
    """The paginator slices and counts the queryset; only the page's rows are turned into output."""

    def __init__(self, qs: Any, out: Any) -> None:
        self.qs, self.out = qs, out

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(r) for r in self.qs[key]]


def _staff(request: HttpRequest) -> Any:
    """Staff only: citizens and enterprises 404 (no such thing for them)."""
    user = _user(request)
    if user.kind != UserKind.STAFF:
        raise NotFound(_("Not found."))
    return user


def _file_detail(request: HttpRequest, file_id: int) -> dict[str, Any]:
    user = _staff(request)
    file = selectors.file_get(user=user, pk=file_id)
    files.file_view_record(actor=user, file=file, via="api", request_id=_rid(request))
    return outputs.file_detail_out(file)


def _upload(file: UploadedFile) -> bytes:
    if (file.size or 0) > MAX_UPLOAD:
        raise FieldError("file", _("The file is too large."))
    return bytes(file.read())


# --- files --------------------------------------------------------------------------------------------

@router.get("/files", response=list[s.AssistanceFileOut],
            summary="Household files I may open (civil affairs, village worker)")
@paginate(BoundedPageNumberPagination, page_size=50)
def file_list(request: HttpRequest, status: str = "", village: str = "", q: str = "") -> Any:
    rows = selectors.file_list(user=_staff(request), status=status, village=village, q=q[:50])
    return _Rows(rows, outputs.file_out)


@router.get("/files/counts", response=list[s.AssistanceCountOut],
            summary="Files per village and status (no names): all staff")
def file_counts(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.file_counts(user=_staff(request))


@router.post("/files", response={201: s.AssistanceFileDetailOut}, summary="Open a household's file (civil affairs)")
def file_open(request: HttpRequest, payload: s.AssistanceFileIn) -> Status[dict[str, Any]]:
    user = _staff(request)
    file = files.file_open(actor=user, household_id=payload.household_id)
    return Status(201, outputs.file_detail_out(file))


@router.get("/files/{file_id}", response=s.AssistanceFileDetailOut, summary="One file with every section (audited)")
def file_detail(request: HttpRequest, file_id: int) -> dict[str, Any]:
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/status", response=s.AssistanceFileDetailOut, summary="Change the status, with a reason")
def file_status(request: HttpRequest, file_id: int, payload: s.AssistanceStatusIn) -> dict[str, Any]:
    files.file_status_change(actor=_staff(request), file_id=file_id, status=payload.status, reason=payload.reason,
                             on=payload.on)
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/members/{resident_id}", response=s.AssistanceFileDetailOut,
             summary="A member's disability grade, work capacity, schooling, health")
def member_update(request: HttpRequest, file_id: int, resident_id: int,
                  payload: s.AssistanceMemberIn) -> dict[str, Any]:
    files.member_update(actor=_staff(request), file_id=file_id, resident_id=resident_id, **payload.dict())
    return _file_detail(request, file_id)


@router.post("/files/{file_id}/incomes", response={201: s.AssistanceIncomeOut}, summary="An income by source (monthly)")
def income_add(request: HttpRequest, file_id: int, payload: s.AssistanceIncomeIn) -> Status[dict[str, Any]]:
    i = files.income_add(actor=_staff(request), file_id=file_id, **payload.dict())
    return Status(201, outputs.income_out(i))


@router.post("/files/{file_id}/assets", response={201: s.AssistanceAssetOut}, summary="An asset with its value")
def asset_add(request: HttpRequest, file_id: int, payload: s.AssistanceAssetIn) -> Status[dict[str, Any]]:
    a = files.asset_add(actor=_staff(request), file_id=file_id, **payload.dict())
    return Status(201, {"id": a.pk, "kind": a.kind, "kind_label": a.get_kind_display(), "description": a.description,
                        "value": a.value})


@router.post("/files/{file_id}/expenditures", response={201: s.AssistanceExpenditureOut},
             summary="A rigid expenditure with its evidence (multipart: the evidence file is required)")
def expenditure_add(request: HttpRequest, file_id: int, kind: Form[str], year: Form[str], yearly_amount: Form[str],
                    evidence: UploadedFile = FileParam(None), member_id: Form[str] = "",  # noqa: B008
                    description: Form[str] = "") -> Status[dict[str, Any]]:
    e = files.expenditure_add(actor=_staff(request), file_id=file_id, kind=kind, year=year,
                              yearly_amount=yearly_amount, evidence=_upload(evidence) if evidence else None,
                              member_id=member_id or None, description=description)
    return Status(201, {"id": e.pk, "member_id": e.member_id, "kind": e.kind, "kind_label": e.get_kind_display(),
                        "year": e.year, "yearly_amount": e.yearly_amount, "evidence": e.evidence.sha256,
                        "description": e.description})


@router.delete("/files/{file_id}/rows/{section}/{row_id}", response={204: None},
               summary="Remove a wrong entry (incomes, assets, expenditures, needs); the audit keeps it")
def section_remove(request: HttpRequest, file_id: int, section: str, row_id: int) -> Status[None]:
    files.section_remove(actor=_staff(request), file_id=file_id, section=section, row_id=row_id)
    return Status(204, None)


@router.get("/files/{file_id}/evidence/{sha256}", summary="An expenditure's evidence file (audited)")
def evidence_download(request: HttpRequest, file_id: int, sha256: str) -> FileResponse:
    from django.core.files.storage import default_storage

    user = _staff(request)
    file = selectors.file_get(user=user, pk=file_id)
    row = file.expenditures.select_related("evidence").filter(evidence__sha256=sha256).first()
    if row is None:
        raise NotFound(_("No such attachment."), field="sha256")
    files.file_view_record(actor=user, file=file, via=f"evidence:{sha256[:12]}", request_id=_rid(request))
    response = FileResponse(default_storage.open(row.evidence.storage_name, "rb"), as_attachment=True,
                            content_type=row.evidence.content_type, filename=f"{sha256}.bin")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/files/{file_id}/needs", response={201: s.AssistanceNeedOut}, summary="A need the survey found")
def need_add(request: HttpRequest, file_id: int, payload: s.AssistanceNeedIn) -> Status[dict[str, Any]]:
    need = files.need_add(actor=_staff(request), file_id=file_id, **payload.dict())
    return Status(201, outputs.need_out(need))


# --- needs database and resources -----------------------------------------------------------------------

@router.get("/needs", response=list[s.AssistanceNeedOut], summary="The needs database across households, with filters")
@paginate(BoundedPageNumberPagination, page_size=50)
def need_list(request: HttpRequest, kind: str = "", status: str = "", village: str = "", matched: str = "") -> Any:
    rows = selectors.need_list(user=_staff(request), kind=kind, status=status, village=village, matched=matched)
    return _Rows(rows, outputs.need_out)


@router.get("/needs/export.xlsx", summary="The needs ledger (xlsx) with the same filters")
def need_export(request: HttpRequest, kind: str = "", status: str = "", village: str = "",
                matched: str = "") -> HttpResponse:
    user = _staff(request)
    rows = list(selectors.need_list(user=user, kind=kind, status=status, village=village, matched=matched))
    from zhenwu.casework.services import audit_record

    audit_record(subject=f"assistance.export:{user.pk}", actor=user, action="export_needs",
                 data={"files": sorted({n.file_id for n in rows})[:5000]}, request_id=_rid(request))
    response = HttpResponse(exports.needs_xlsx(rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="assistance-needs.xlsx"'
    return response


@router.post("/needs/{need_id}/matches", response={201: s.AssistanceNeedOut}, summary="Match a resource to a need")
def need_match(request: HttpRequest, need_id: int, payload: s.AssistanceMatchIn) -> Status[dict[str, Any]]:
    match = files.need_match(actor=_staff(request), need_id=need_id, resource_id=payload.resource_id,
                             note=payload.note)
    return Status(201, outputs.need_out(match.need))


@router.post("/needs/{need_id}/status", response=s.AssistanceNeedOut, summary="Mark a need open, matched or met")
def need_status(request: HttpRequest, need_id: int, payload: s.AssistanceNeedStatusIn) -> dict[str, Any]:
    return outputs.need_out(files.need_set_status(actor=_staff(request), need_id=need_id, status=payload.status))


def _resource_out(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "kind": r.kind, "name": r.name, "provider": r.provider, "need_kinds": r.need_kinds,
            "area_code": r.area_code, "contact": r.contact}


@router.get("/resources", response=list[s.AssistanceResourceOut], summary="Resources offered where I work")
def resource_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_resource_out(r) for r in selectors.resource_list(user=_staff(request))[:500]]


@router.post("/resources", response={201: s.AssistanceResourceOut}, summary="Add a resource (civil affairs)")
def resource_create(request: HttpRequest, payload: s.AssistanceResourceIn) -> Status[dict[str, Any]]:
    return Status(201, _resource_out(files.resource_create(actor=_staff(request), **payload.dict())))


@router.post("/income-data", response=s.AssistanceImportOut,
             summary="Income data from other departments for the economic check (all rows or none)")
def income_data(request: HttpRequest, payload: s.AssistanceIncomeDataIn) -> dict[str, Any]:
    report = files.imported_income_load(actor=_staff(request), provider=payload.provider, rows=payload.rows)
    return {"rows": report.rows, "written": report.written}


# --- applications --------------------------------------------------------------------------------------

@router.get("/applications", response=list[s.AssistanceApplicationOut], summary="The application queue I may see")
@paginate(BoundedPageNumberPagination, page_size=50)
def application_list(request: HttpRequest, status: str = "", kind: str = "", review_due: bool = False) -> Any:
    rows = selectors.application_list(user=_staff(request), status=status[:20], kind=kind, review_due=review_due)
    return _Rows(rows, outputs.application_out)


@router.get("/applications/counts", response=list[s.AssistanceApplicationCountOut],
            summary="Applications per kind and state (no names): all staff")
def application_counts(request: HttpRequest) -> list[dict[str, Any]]:
    return selectors.application_counts(user=_staff(request))


@router.post("/applications", response={201: s.AssistanceApplicationDetailOut},
             summary="File an application for a household member (village worker for the family, civil affairs)")
def application_file(request: HttpRequest, payload: s.AssistanceApplicationIn) -> Status[dict[str, Any]]:
    user = _staff(request)
    row = apps.application_file(actor=user, request_id=_rid(request), **payload.dict())
    return Status(201, outputs.application_detail_out(user, row))


@router.post("/applications/from-hall", response={201: s.AssistanceApplicationDetailOut},
             summary="Take over a service-hall application of an assistance item the window accepted")
def application_from_hall(request: HttpRequest, payload: s.AssistanceHallIn) -> Status[dict[str, Any]]:
    user = _staff(request)
    row = apps.application_from_hall(actor=user, hall_number=payload.hall_number)
    row = selectors.application_get(user=user, number=row.case.number)
    return Status(201, outputs.application_detail_out(user, row))


@router.get("/applications/{number}", response=s.AssistanceApplicationDetailOut,
            summary="One application (audited on its file)")
def application_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _staff(request)
    row = selectors.application_get(user=user, number=number)
    files.file_view_record(actor=user, file=row.file, via=f"application:{number}", request_id=_rid(request))
    return outputs.application_detail_out(user, row)


@router.post("/applications/{number}/actions/{action}", response=s.AssistanceApplicationDetailOut,
             summary="One step of the review (the actions listed on the application)")
def application_act(request: HttpRequest, number: str, action: str, payload: s.AssistanceActIn) -> dict[str, Any]:
    user = _staff(request)
    row = apps.application_act(actor=user, number=number, action=action, fields=payload.fields,
                               reason=payload.reason, expected_version=payload.expected_version,
                               request_id=_rid(request))
    return outputs.application_detail_out(user, row)


@router.post("/applications/{number}/photos", response={201: s.AssistancePhotoOut}, summary="A home-survey photo")
def survey_photo(request: HttpRequest, number: str, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    sha = apps.survey_photo_add(actor=_staff(request), number=number, data=_upload(file), name=file.name or "",
                                request_id=_rid(request))
    return Status(201, {"sha256": sha})


# --- the family's own (citizen portal) ---------------------------------------------------------------------

def _citizen(request: HttpRequest) -> Any:
    user = _user(request)
    if user.kind != UserKind.CITIZEN:
        raise NotFound(_("Not found."))
    return user


@router.get("/me/applications", response=list[s.AssistanceMyApplicationOut],
            summary="My household's applications (citizen)")
def my_applications(request: HttpRequest) -> list[dict[str, Any]]:
    return [outputs.my_application_out(a) for a in selectors.my_applications(user=_citizen(request))[:100]]


@router.post("/me/applications", response={201: s.AssistanceMyApplicationOut}, summary="Apply online (citizen)")
def my_application_file(request: HttpRequest, payload: s.AssistanceOnlineApplicationIn) -> Status[dict[str, Any]]:
    row = apps.application_file_online(actor=_citizen(request), kind=payload.kind, reason=payload.reason,
                                       request_id=_rid(request))
    return Status(201, outputs.my_application_out(row))


@router.post("/me/applications/{number}/withdraw", response=s.AssistanceMyApplicationOut,
             summary="Withdraw my household's application before the decision (citizen)")
def my_application_withdraw(request: HttpRequest, number: str, payload: s.AssistanceActIn) -> dict[str, Any]:
    user = _citizen(request)
    selectors.application_get(user=user, number=number)  # not mine: 404
    row = apps.application_act(actor=user, number=number, action="withdraw", fields=payload.fields,
                               reason=payload.reason, expected_version=payload.expected_version,
                               request_id=_rid(request))
    return outputs.my_application_out(row)


# --- public ---------------------------------------------------------------------------------------------

@router.get("/publicity", response=list[s.AssistancePublicityOut], auth=None,
            summary="公示: applications in their publicity now — name, village and amount only")
def publicity(request: HttpRequest) -> list[dict[str, Any]]:
    rows = list(selectors.publicity_list()[:2000])
    villages = selectors.village_names(sorted({r.case.area_code[:selectors.VILLAGE] for r in rows}))
    return [outputs.publicity_out(r, villages) for r in rows]
