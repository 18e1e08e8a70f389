"""/api/v1/enforcement/: the power list (public), its import and export, officers and penalty cases."""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.http import request_user as _user
from zhenwu.accounts.masking import mask_id_number
from zhenwu.accounts.models import User
from zhenwu.casework.idempotency import body_digest, idempotent
from zhenwu.casework.process import state_label
from zhenwu.enforcement import policy, selectors
from zhenwu.enforcement import schemas as s
from zhenwu.enforcement.choices import DocumentKind, Procedure
from zhenwu.enforcement.guards import today
from zhenwu.enforcement.models import CaseDocument, Officer, PenaltyCase, PenaltyPower, Remedy
from zhenwu.enforcement.services import case_documents, payments, records
from zhenwu.enforcement.services.archive import archive_open
from zhenwu.enforcement.services.cases import (
    Party,
    case_act,
    evidence_add,
    general_open,
    summary_decide,
    summary_decision_pdf,
)
from zhenwu.enforcement.services.io import powers_export, powers_import
from zhenwu.enforcement.services.officers import conflict_declare
from zhenwu.errors import FieldError, Forbidden, NotFound
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


@router.get("/powers", response=list[s.PenaltyPowerOut], auth=None, summary="The power list (权责清单), public")
@paginate(BoundedPageNumberPagination, page_size=50)
def power_list(request: HttpRequest, q: str = "", department: str = "") -> QuerySet[PenaltyPower]:
    return selectors.power_list(q=q, department=department)


@router.get("/powers/export", auth=None, summary="The power list as xlsx (the import reads it back)")
def power_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(powers_export(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="penalty-powers.xlsx"'
    return response


@router.post("/powers/import", response=s.PowerImportReportOut,
             summary="Check a power-list sheet (dry run, the default) or import it (all or nothing)")
def power_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = True) -> dict[str, Any]:
    user = _user(request)
    policy.check_list_keeper(user)
    if (file.size or 0) > settings.REGISTRY_IMPORT_MAX_BYTES:
        raise FieldError("file", _("The file is too large."))
    report = powers_import(actor=user, data=file.read(), dry_run=dry_run)
    return {"dry_run": report.dry_run, "rows": report.rows, "powers": report.powers, "written": report.written,
            "unchanged": report.unchanged, "errors": report.errors}


@router.get("/powers/{code}", response=s.PenaltyPowerDetailOut, auth=None, summary="One power with its bands")
def power_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return power_out(selectors.power_get(code=code), detail=True)


# --- officers and cases -----------------------------------------------------------------------------

def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def officer_out(o: Officer, patrol: dict[str, Any] | None = None) -> dict[str, Any]:
    patrol = patrol or {}
    km = {k: round(v / 1000, 2) for k, v in (patrol.get("distance_m") or {}).items()}
    at = patrol.get("at")
    return {"id": o.pk, "name": o.user.full_name or o.user.username, "certificate_number": o.certificate_number,
            "certificate_valid_until": o.certificate_valid_until.isoformat(),
            "certificate_valid": o.certificate_valid_on(today()), "squad": o.squad.name if o.squad else None,
            "area_code": o.area_code, "last_lng": patrol.get("lng"), "last_lat": patrol.get("lat"),
            "last_seen_at": at.isoformat() if at else None, "patrol_km_today": km.get("today", 0.0),
            "patrol_km_month": km.get("month", 0.0)}


def case_out(row: PenaltyCase) -> dict[str, Any]:
    case = row.case
    return {"number": case.number, "procedure": row.procedure, "source": row.source, "status": case.status,
            "status_label": state_label(case.process, case.status), "power": row.power_version.power.code,
            "power_name": row.power_version.name, "party_name": row.party_name, "area_code": case.area_code,
            "penalty_kind": row.penalty_kind, "fine": row.fine, "decision_number": row.decision_number,
            "created_at": case.created_at.isoformat(),
            "due_at": case.deadline_due_at.isoformat() if case.deadline_due_at else None, "light": case.light}


def case_detail_out(user: User, row: PenaltyCase) -> dict[str, Any]:
    served_late = bool(row.served_on and row.decided_on and row.procedure == Procedure.GENERAL
                       and row.served_on > case_documents.service_due(row))
    return {**case_out(row), "facts": row.facts, "party_id_number": mask_id_number(row.party_id_number),
            "party_uscc": row.party_uscc, "major": row.major, "noticed_fine": row.noticed_fine,
            "defence_until": _day(row.defence_until), "hearing_right": row.hearing_right,
            "hearing_request_until": _day(row.hearing_request_until),
            "legal_reviewed": row.legal_reviewed_at is not None,
            "investigators": [str(o) for o in row.investigators.select_related("user")],
            "served_on": _day(row.served_on), "paid_on": _day(row.paid_on), "late_fee": row.late_fee,
            "service_method": row.service_method, "served_late": served_late, "closed_on": _day(row.closed_on),
            "credit_flagged": bool(selectors.credit_flagged([row.party_uscc or row.party_id_number])),
            "payment": payment_out(row), "documents": [document_out(row, d) for d in row.documents.all()],
            "version": row.case.version, "actions": selectors.case_actions(user=user, row=row)}


def document_out(row: PenaltyCase, doc: CaseDocument) -> dict[str, Any]:
    return {"kind": doc.kind, "kind_label": doc.get_kind_display(), "number": doc.number,
            "issued_at": doc.issued_at.isoformat(), "url": case_documents.document_url(row, doc)}


def remedy_out(r: Remedy, on: Any) -> dict[str, Any]:
    return {"kind": r.kind, "kind_label": r.get_kind_display(), "body": r.body, "filed_on": r.filed_on.isoformat(),
            "ended_on": _day(r.ended_on), "outcome": r.outcome,
            "outcome_label": r.get_outcome_display() if r.outcome else "", "fine_before": r.fine_before,
            "days": ((r.ended_on or on) - r.filed_on).days + 1, "refund": r.refund,
            "refunded_on": _day(r.refunded_on), "refund_reference": r.refund_reference}


def payment_out(row: PenaltyCase) -> dict[str, Any]:
    annulled = payments.annulled(row)
    window = (payments.court_window(row) if row.served_on and row.fine and not row.paid_on and not annulled
              else None)
    plans = [{"kind": p.kind, "status": p.status, "reason": p.reason, "requested_on": p.requested_on.isoformat(),
              "deferred_until": _day(p.deferred_until), "opinion": p.opinion,
              "instalments": [{"seq": i.seq, "due_on": i.due_on.isoformat(), "amount": i.amount,
                               "paid_on": _day(i.paid_on)} for i in p.instalments.all()]}
             for p in row.payment_plans.prefetch_related("instalments")]
    return {"next_due_on": _day(payments.next_due(row)), "late_fee_today": payments.late_fee_now(row, on=today()),
            "plans": plans, "demand_served_on": _day(row.demand_served_on),
            "court_from": _day(window[0]) if window else None, "court_until": _day(window[1]) if window else None,
            "court_name": row.court_name, "court_applied_on": _day(row.court_applied_on),
            "late_fee_paused_days": payments.late_fee_paused(row, on=today()), "annulled": annulled,
            "remedies": [remedy_out(r, today()) for r in row.remedies.all()],
            "refund_owed": payments.refund_owed(row)}


def _staff_page(request: HttpRequest, page: str) -> User:
    """A list page's reader: citizens and enterprises 404 (no such thing for them), staff without the role 403."""
    user = _user(request)
    if user.kind != UserKind.STAFF:
        raise NotFound(_("Not found."))
    if not policy.may_open(user, page):
        raise Forbidden(_("Your roles do not allow this action."))
    return user


@router.get("/officers", response=list[s.EnforcementOfficerOut], summary="Enforcement officers in my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def officer_list(request: HttpRequest, squad: str = "") -> Any:
    return _OfficerRows(selectors.officer_list(user=_staff_page(request, "officers"), squad=squad), officer_out)


@router.post("/officers/{officer_id}/conflicts", response={201: s.ConflictDeclarationOut},
             summary="回避申报: a party this officer may not handle (relative by ID number, company by USCC)")
def conflict_add(request: HttpRequest, officer_id: int, payload: s.ConflictDeclarationIn) -> Status[dict[str, Any]]:
    c = conflict_declare(actor=_user(request), officer_id=officer_id, kind=payload.kind,
                         party_name=payload.party_name, id_number=payload.id_number, uscc=payload.uscc,
                         note=payload.note)
    return Status(201, {"id": c.pk, "kind": c.kind, "party_name": c.party_name,
                        "id_number": mask_id_number(c.id_number), "uscc": c.uscc})


@router.get("/cases", response=list[s.PenaltyCaseOut], summary="Penalty cases in my scope")
@paginate(BoundedPageNumberPagination, page_size=50)
def case_list(request: HttpRequest, procedure: str = "", status: str = "", q: str = "") -> Any:
    user = _staff_page(request, "cases")
    rows = selectors.case_list(user=user, procedure=procedure, status=status, q=q)
    return _Rows(rows.select_related("power_version__power"), case_out)


class _Rows:
    """The paginator slices and counts the queryset; only the page's rows are turned into output."""

    def __init__(self, qs: Any, out: Any) -> None:
        self.qs, self.out = qs, out

    def __len__(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.out(r) for r in self.qs[key]]


class _OfficerRows(_Rows):
    """The page's officers with their last position and patrol mileage, asked for once per page."""

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        rows = list(self.qs[key])
        patrols = selectors.officer_patrols([o.user_id for o in rows])
        return [officer_out(o, patrols.get(o.user_id)) for o in rows]


@router.post("/cases/summary", response={201: s.PenaltyCaseDetailOut}, summary="简易程序: a decision on the spot")
def case_summary(request: HttpRequest, payload: s.SummaryPenaltyIn) -> Status[dict[str, Any]]:
    user = _user(request)
    row = summary_decide(actor=user, power_code=payload.power, party=Party(**payload.party.dict()),
                         area_code=payload.area_code, facts=payload.facts, penalty_kind=payload.penalty_kind,
                         fine=payload.fine, cash_on_spot=payload.cash_on_spot,
                         source=payload.source)
    return Status(201, case_detail_out(user, row))


@router.post("/cases", response={201: s.PenaltyCaseDetailOut}, summary="普通程序: ask for 立案 with the investigators")
def case_open(request: HttpRequest, payload: s.GeneralPenaltyIn) -> Status[dict[str, Any]]:
    user = _user(request)
    row = general_open(actor=user, power_code=payload.power, party=Party(**payload.party.dict()),
                       area_code=payload.area_code, facts=payload.facts, investigators=payload.investigators,
                       source=payload.source)
    return Status(201, case_detail_out(user, row))


@router.get("/cases/{number}", response=s.PenaltyCaseDetailOut, url_name="enforcement_case",
            summary="A penalty case with the actions I may take")
def case_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    user = _user(request)
    return case_detail_out(user, selectors.case_get(user=user, number=number))


@router.get("/cases/{number}/decision.pdf", summary="The numbered decision form (summary procedure)")
def case_decision_pdf(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    pdf = summary_decision_pdf(user=user, row=selectors.case_get(user=user, number=number))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response


@router.post("/cases/{number}/evidence", response={201: s.EvidenceOut},
             summary="Add evidence (photo, document, video), hashed and audited with time and place")
def case_evidence(request: HttpRequest, number: str, file: File[UploadedFile], place: Form[str] = "",
                  lng: Form[float | None] = None, lat: Form[float | None] = None,
                  accuracy: Form[float | None] = None, taken_at: Form[datetime | None] = None) -> Any:
    """The phone app sends its GPS fix and clock with the photo, and an ``Idempotency-Key``: a retry of an
    upload whose answer was lost answers the first answer."""
    user = _user(request)
    selectors.case_get(user=user, number=number)  # outside the scope: 404
    data = file.read()

    def run() -> tuple[int, dict[str, Any]]:
        link = evidence_add(actor=user, number=number, data=data, name=file.name or "", place=place, lng=lng,
                            lat=lat, accuracy=accuracy, taken_at=taken_at)
        return 201, {"sha256": link.attachment.sha256, "name": link.name,
                     "uploaded_at": link.uploaded_at.isoformat()}

    digest = body_digest({"number": number, "place": place, "lng": lng, "lat": lat, "accuracy": accuracy,
                          "taken_at": taken_at.isoformat() if taken_at else None}, [(file.name or "", data)])
    status, body = idempotent(request, digest, run)
    return Status(status, body)


@router.post("/cases/{number}/actions/{action}", response=s.PenaltyCaseDetailOut, summary="One step of a penalty case")
def case_action(request: HttpRequest, number: str, action: str, payload: s.PenaltyActionIn) -> dict[str, Any]:
    user = _user(request)
    selectors.case_get(user=user, number=number)  # outside the scope: 404 before anything else
    row = case_act(actor=user, number=number, action=action, fields=payload.fields, reason=payload.reason,
                   expected_version=payload.expected_version)
    return case_detail_out(user, row)


# --- the case file: documents, records, archive ---------------------------------------------------------

def _pdf(doc: CaseDocument, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.kind}-{doc.year}-{doc.seq}.pdf"'
    return response


@router.get("/cases/{number}/documents", response=list[s.CaseDocumentOut],
            summary="The numbered documents issued on a case so far")
def case_documents_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    row = selectors.case_get(user=_user(request), number=number)
    return [document_out(row, d) for d in row.documents.all()]


@router.get("/cases/{number}/documents/{kind}.pdf",
            summary="立案审批表 filing, 事先告知书 notice, 听证通知书 hearing, 行政处罚决定书 decision, "
                    "送达回证 service, 催告书 demand, 强制执行申请书 court, 结案报告 closing — once the case "
                    "reached the step")
def case_document_pdf(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    row = selectors.case_get(user=_user(request), number=number)
    doc, pdf = case_documents.single_pdf(row, kind)
    return _pdf(doc, pdf)


def _record_input(payload: Any) -> records.RecordInput:
    data = payload.dict()
    return records.RecordInput(**{k: v for k, v in data.items() if k in records.RecordInput.__dataclass_fields__})


def record_out(row: PenaltyCase, r: Any) -> dict[str, Any]:
    out = {"id": r.pk, "number": r.document.number, "started_at": r.started_at.isoformat(),
           "ended_at": r.ended_at.isoformat(), "place": r.place, "person_name": r.person_name,
           "person_role": r.person_role, "person_id_number": mask_id_number(r.person_id_number),
           "officers": [str(o) for o in r.officers.select_related("user")],
           "person_signed_on": _day(r.person_signed_on), "refusal_note": r.refusal_note,
           "officers_signed_on": r.officers_signed_on.isoformat(),
           "url": case_documents.document_url(row, r.document)}
    if hasattr(r, "questions"):
        out["questions"] = r.questions
    else:
        out.update(findings=r.findings, evidence=r.evidence)
    return out


@router.get("/cases/{number}/inquiries", response=list[s.RecordOut], summary="询问笔录 of a case")
def inquiry_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    row = selectors.case_get(user=_user(request), number=number)
    return [record_out(row, r) for r in row.inquiryrecords.select_related("document")]


@router.post("/cases/{number}/inquiries", response={201: s.RecordOut},
             summary="询问笔录: questions and answers, ≥ 2 certified officers present, the signatures")
def inquiry_create(request: HttpRequest, number: str, payload: s.InquiryIn) -> Status[dict[str, Any]]:
    user = _user(request)
    row = selectors.case_get(user=user, number=number)
    data = _record_input(payload)
    data.questions = payload.questions
    return Status(201, record_out(row, records.inquiry_add(actor=user, number=number, data=data)))


@router.get("/cases/{number}/inquiries/{record_id}.pdf", summary="询问笔录 as a numbered PDF")
def inquiry_pdf(request: HttpRequest, number: str, record_id: int) -> HttpResponse:
    row = selectors.case_get(user=_user(request), number=number)
    return _pdf(*case_documents.record_pdf(row, DocumentKind.INQUIRY, record_id))


@router.get("/cases/{number}/inspections", response=list[s.RecordOut], summary="现场检查笔录 of a case")
def inspection_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    row = selectors.case_get(user=_user(request), number=number)
    return [record_out(row, r) for r in row.inspectionrecords.select_related("document")]


@router.post("/cases/{number}/inspections", response={201: s.RecordOut},
             summary="现场检查笔录: findings and the evidence taken, ≥ 2 certified officers present, the signatures")
def inspection_create(request: HttpRequest, number: str, payload: s.InspectionIn) -> Status[dict[str, Any]]:
    user = _user(request)
    row = selectors.case_get(user=user, number=number)
    data = _record_input(payload)
    data.findings, data.evidence = payload.findings, payload.evidence
    return Status(201, record_out(row, records.inspection_add(actor=user, number=number, data=data)))


@router.get("/cases/{number}/inspections/{record_id}.pdf", summary="现场检查笔录 as a numbered PDF")
def inspection_pdf(request: HttpRequest, number: str, record_id: int) -> HttpResponse:
    row = selectors.case_get(user=_user(request), number=number)
    return _pdf(*case_documents.record_pdf(row, DocumentKind.INSPECTION, record_id))


def discussion_out(row: PenaltyCase, r: Any) -> dict[str, Any]:
    return {"id": r.pk, "number": r.document.number, "held_at": r.held_at.isoformat(), "place": r.place,
            "chair": r.chair, "participants": r.participants, "opinions": r.opinions, "conclusion": r.conclusion,
            "url": case_documents.document_url(row, r.document)}


@router.get("/cases/{number}/discussions", response=list[s.DiscussionOut], summary="集体讨论记录 of a case")
def discussion_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    row = selectors.case_get(user=_user(request), number=number)
    return [discussion_out(row, r) for r in row.discussions.select_related("document")]


@router.post("/cases/{number}/discussions", response={201: s.DiscussionOut},
             summary="集体讨论记录 (Art. 57), by a leader: required before the decision of a major case")
def discussion_create(request: HttpRequest, number: str, payload: s.DiscussionIn) -> Status[dict[str, Any]]:
    user = _user(request)
    row = selectors.case_get(user=user, number=number)
    record = records.discussion_add(actor=user, number=number, data=records.DiscussionInput(**payload.dict()))
    return Status(201, discussion_out(row, record))


@router.get("/cases/{number}/discussions/{record_id}.pdf", summary="集体讨论记录 as a numbered PDF")
def discussion_pdf(request: HttpRequest, number: str, record_id: int) -> HttpResponse:
    row = selectors.case_get(user=_user(request), number=number)
    return _pdf(*case_documents.record_pdf(row, DocumentKind.DISCUSSION, record_id))


@router.get("/cases/{number}/archive.zip",
            summary="The whole case file as one zip (documents, evidence, full-process record, index with "
                    "SHA-256): after 结案; leaders also before; audited")
def case_archive(request: HttpRequest, number: str) -> StreamingHttpResponse:
    user = _user(request)
    name, stream = archive_open(actor=user, row=selectors.case_get(user=user, number=number))
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
