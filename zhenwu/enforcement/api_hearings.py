"""/api/v1/enforcement/cases/{number}/hearings: 听证笔录, the hearing record of a case (Art. 64).

Its own module (mounted before the app's main router) so the case file's record kinds grow without touching
``api.py``: list, record, and the numbered PDF like every other record."""

# No ``from __future__ import annotations``: django-ninja reads the signatures' real classes.
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from zhenwu.accounts.http import request_user as _user
from zhenwu.enforcement import selectors
from zhenwu.enforcement.choices import DocumentKind
from zhenwu.enforcement.models import HearingRecord, PenaltyCase
from zhenwu.enforcement.services import case_documents, records

router = Router(tags=["enforcement"])


class HearingRecordIn(Schema):
    held_at: str
    place: str
    host: int | None = None
    participants: list[str]
    party_statement: str
    investigators_case: str
    conclusion: str


class HearingRecordOut(Schema):
    id: int
    number: str
    held_at: str
    place: str
    host: str
    participants: list[str]
    party_statement: str
    investigators_case: str
    conclusion: str
    url: str


def hearing_out(row: PenaltyCase, r: HearingRecord) -> dict[str, Any]:
    return {"id": r.pk, "number": r.document.number, "held_at": r.held_at.isoformat(), "place": r.place,
            "host": r.host_name, "participants": r.participants, "party_statement": r.party_statement,
            "investigators_case": r.investigators_case, "conclusion": r.conclusion,
            "url": case_documents.document_url(row, r.document)}


@router.get("/{number}/hearings", response=list[HearingRecordOut], summary="听证笔录 of a case")
def hearing_list(request: HttpRequest, number: str) -> list[dict[str, Any]]:
    row = selectors.case_get(user=_user(request), number=number)
    return [hearing_out(row, r) for r in row.hearingrecords.select_related("document")]


@router.post("/{number}/hearings", response={201: HearingRecordOut},
             summary="听证笔录 (Art. 64): while the case is in its hearing; the host did not investigate the case")
def hearing_create(request: HttpRequest, number: str, payload: HearingRecordIn) -> Status[dict[str, Any]]:
    user = _user(request)
    row = selectors.case_get(user=user, number=number)
    record = records.hearing_add(actor=user, number=number, data=records.HearingInput(**payload.dict()))
    return Status(201, hearing_out(row, record))


@router.get("/{number}/hearings/{record_id}.pdf", summary="听证笔录 as a numbered PDF")
def hearing_pdf(request: HttpRequest, number: str, record_id: int) -> HttpResponse:
    row = selectors.case_get(user=_user(request), number=number)
    doc, pdf = case_documents.record_pdf(row, DocumentKind.HEARING_RECORD, record_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.kind}-{doc.year}-{doc.seq}.pdf"'
    return response
