"""The documents of a general-procedure case as PDFs: each drawn from the case's stored data with the number
it was issued under (``CaseDocument``), and only once the case has reached the step that issues it — before
that, or outside the reader's scope, the document does not exist (404).

| document | issued by |
|---|---|
| 立案审批表 filing | ``approve_filing`` |
| 询问笔录 inquiry, 现场检查笔录 inspection | each record (``services/records.py``) |
| 集体讨论记录 discussion | each record |
| 事先告知书 notice | ``notify`` |
| 听证通知书 hearing | ``hold_hearing`` |
| 行政处罚决定书 decision | ``decide`` (its number is the decision number) |
| 送达回证 service | ``serve`` |
| 催告书 demand | ``demand`` (行政强制法 Art. 35, 54) |
| 强制执行申请书 court | ``apply_court`` (行政强制法 Art. 53-55) |
| 结案报告 closing | ``close`` |

The demand and the application state the amounts as ``payments.owed_on`` computes them on their day: the open
amounts, the late fee to that day (Art. 72; the days of a pending reconsideration or lawsuit left out, Art. 73)
and the sum.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenwu.accounts.masking import mask_id_number
from zhenwu.casework.models import AuditEntry, CaseAttachment
from zhenwu.enforcement.choices import DocumentKind, PenaltyKind, Procedure
from zhenwu.enforcement.documents import Document, document_pdf
from zhenwu.enforcement.models import (
    CaseDocument,
    CollectiveDiscussion,
    InquiryRecord,
    InspectionRecord,
    PenaltyCase,
)
from zhenwu.enforcement.services import payments
from zhenwu.errors import NotFound
from zhenwu.errors import gettext as lazy_

SINGLE_KINDS = (DocumentKind.FILING, DocumentKind.NOTICE, DocumentKind.HEARING, DocumentKind.DECISION,
                DocumentKind.SERVICE, DocumentKind.DEMAND, DocumentKind.COURT, DocumentKind.CLOSING)


def issuer() -> str:
    return _("Comprehensive administrative enforcement team")


def _missing() -> NotFound:
    return NotFound(lazy_("No such document."), field="document")


def _step(row: PenaltyCase, action: str) -> AuditEntry | None:
    """The last audited step ``action`` of the case (its fields, who, when)."""
    return AuditEntry.objects.filter(subject=row.case.number, action=action).order_by("-seq").first()


def _fields(entry: AuditEntry | None) -> dict[str, Any]:
    return dict((entry.data or {}).get("fields") or {}) if entry else {}


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _party(row: PenaltyCase) -> tuple[str, str]:
    return _("Party"), f"{row.party_name}（{row.party_uscc or mask_id_number(row.party_id_number)}）"


def _officers(officers: Any) -> str:
    return "、".join(f"{o.user.full_name or o.user.username}（{_('certificate')} {o.certificate_number}）"
                    for o in officers)


def _penalty(kind: str, fine: Any) -> str:
    label = str(PenaltyKind(kind).label) if kind in PenaltyKind.values else "—"
    return label + (f" {fine} 元" if fine else "")


def _signatures(record: InquiryRecord | InspectionRecord, who: str) -> tuple[str, ...]:
    person = (_("%(who)s signed on %(day)s") % {"who": who, "day": record.person_signed_on.isoformat()}
              if record.person_signed_on else _("%(who)s did not sign: %(note)s") % {"who": who,
                                                                                     "note": record.refusal_note})
    return (person, _("Officers signed on %(day)s") % {"day": record.officers_signed_on.isoformat()})


def _record_head(record: InquiryRecord | InspectionRecord) -> list[tuple[str, str]]:
    person = f"{record.person_name}（{record.get_person_role_display()}）"
    if record.person_id_number:
        person += f" {mask_id_number(record.person_id_number)}"
    return [(_("Time"), f"{_local(record.started_at)} — {_local(record.ended_at)}"), (_("Place"), record.place),
            (_("Person"), person), (_("Officers present"), _officers(record.officers.select_related("user")))]


def _doc(row: PenaltyCase, kind: str) -> CaseDocument:
    doc = row.documents.filter(kind=kind).order_by("-issued_at", "-id").first()
    if doc is None:
        raise _missing()
    return doc


def _base(row: PenaltyCase) -> list[tuple[str, str]]:
    return [(_("Case"), row.case.number), _party(row), (_("Cause"), row.power_version.name)]


def filing(row: PenaltyCase) -> Document:
    doc = _doc(row, DocumentKind.FILING)
    approval = _step(row, "approve_filing")
    lines = [*_base(row), (_("Source"), str(row.get_source_display())), (_("Facts"), row.facts or "—"),
             (_("Legal basis"), row.power_version.basis),
             (_("Investigators"), _officers(row.investigators.select_related("user"))),
             (_("Requested on"), _local(row.case.created_at)),
             (_("Approval"), f"{_fields(approval).get('opinion', '')}（{approval.actor_name if approval else ''}，"
                             f"{_local(approval.created_at if approval else None)}）")]
    return Document(issuer(), str(DocumentKind.FILING.label), doc.number, tuple(lines),
                    dated=timezone.localdate(doc.issued_at))


def inquiry(row: PenaltyCase, record: InquiryRecord) -> Document:
    lines = [(_("Case"), row.case.number), *_record_head(record)]
    for n, qa in enumerate(record.questions, start=1):
        lines += [(f"{_('Question')} {n}", qa.get("q", "")), (f"{_('Answer')} {n}", qa.get("a", ""))]
    return Document(issuer(), str(DocumentKind.INQUIRY.label), record.document.number, tuple(lines),
                    _signatures(record, _("The person asked")))


def inspection(row: PenaltyCase, record: InspectionRecord) -> Document:
    names = dict(CaseAttachment.objects.filter(case=row.case, attachment__sha256__in=record.evidence)
                 .values_list("attachment__sha256", "name"))
    lines = [(_("Case"), row.case.number), *_record_head(record), (_("On-site findings"), record.findings)]
    lines += [(_("Evidence"), f"{names.get(sha, '')} SHA-256 {sha}") for sha in record.evidence]
    return Document(issuer(), str(DocumentKind.INSPECTION.label), record.document.number, tuple(lines),
                    _signatures(record, _("The person present")))


def discussion(row: PenaltyCase, record: CollectiveDiscussion) -> Document:
    lines = [*_base(row), (_("Time"), _local(record.held_at)), (_("Place"), record.place),
             (_("Chair"), record.chair), (_("Members present"), "、".join(record.participants)),
             (_("Facts"), row.facts or "—"), (_("Opinions"), record.opinions), (_("Conclusion"), record.conclusion)]
    return Document(issuer(), str(DocumentKind.DISCUSSION.label), record.document.number, tuple(lines),
                    (_("Participants sign: %(names)s") % {"names": "、".join(record.participants)},))


def notice(row: PenaltyCase) -> Document:
    doc = _doc(row, DocumentKind.NOTICE)
    lines = [*_base(row), (_("Facts"), row.facts or "—"), (_("Legal basis"), row.power_version.basis),
             (_("Intended penalty"), _penalty(row.noticed_penalty_kind, row.noticed_fine)),
             ("", _("You may state your case and defend yourself until %(day)s; a penalty is never made heavier "
                    "because you did (Administrative Penalty Law Art. 44, 45).")
              % {"day": row.defence_until.isoformat() if row.defence_until else "—"})]
    if row.hearing_right:
        lines.append(("", _("You have the right to ask for a hearing until %(day)s (Administrative Penalty Law "
                             "Art. 63, 64).") % {"day": row.hearing_request_until.isoformat()
                                                 if row.hearing_request_until else "—"}))
    return Document(issuer(), str(DocumentKind.NOTICE.label), doc.number, tuple(lines),
                    dated=row.noticed_on or timezone.localdate(doc.issued_at))


def hearing(row: PenaltyCase) -> Document:
    doc = _doc(row, DocumentKind.HEARING)
    values = _fields(_step(row, "hold_hearing"))
    lines = [*_base(row), (_("Hearing on"), str(values.get("hearing_at", "—"))),
             (_("Place"), str(values.get("place") or "—")), (_("Asked for on"), str(values.get("requested_on", "—"))),
             ("", _("The hearing is held by a person who did not investigate the case; you may ask for their "
                    "recusal, appear with one or two agents, and the hearing is public unless it concerns secrets "
                    "or privacy (Administrative Penalty Law Art. 64)."))]
    return Document(issuer(), str(DocumentKind.HEARING.label), doc.number, tuple(lines),
                    dated=timezone.localdate(doc.issued_at))


def decision(row: PenaltyCase) -> Document:
    doc = _doc(row, DocumentKind.DECISION)
    lines = [*_base(row), (_("Facts"), row.facts or "—"), (_("Legal basis"), row.power_version.basis),
             (_("Discretion band"), str(row.get_band_display() or "—")),
             (_("Penalty"), _penalty(row.penalty_kind, row.fine))]
    if row.outside_band_reason:
        lines.append((_("Reason for leaving the band"), row.outside_band_reason))
    if row.discussions.exists():
        lines.append(("", _("Decided after the collective discussion of the heads (Administrative Penalty Law "
                            "Art. 57).")))
    if row.fine:
        lines.append(("", _("Pay the fine of %(fine)s yuan at the designated bank within 15 days of receiving this "
                            "decision (Art. 67); after that 3%% of the fine is added for each day late, at most the "
                            "fine (Art. 72).") % {"fine": row.fine}))
    lines.append(("", _("If you disagree with this decision, you may apply for administrative reconsideration "
                        "within %(days)s days of receiving it, or bring an administrative lawsuit within %(months)s "
                        "months.") % {"days": settings.ENFORCEMENT_REVIEW_DAYS,
                                      "months": settings.ENFORCEMENT_LAWSUIT_MONTHS}))
    return Document(issuer(), str(DocumentKind.DECISION.label), doc.number, tuple(lines),
                    dated=row.decided_on or timezone.localdate(doc.issued_at))


def service(row: PenaltyCase) -> Document:
    doc = _doc(row, DocumentKind.SERVICE)
    entry = _step(row, "serve")
    lines = [(_("Case"), row.case.number), (_("Document served"),
                                            f"{DocumentKind.DECISION.label} {row.decision_number}"),
             (_("Served to"), row.service_recipient or row.party_name),
             (_("Method"), str(row.get_service_method_display() or "—")),
             (_("Served on"), row.served_on.isoformat() if row.served_on else "—"),
             (_("Served by"), entry.actor_name if entry else "—")]
    if row.served_on and row.decided_on and row.served_on > service_due(row):
        lines.append(("", _("Served after the 7 working days of Art. 61 (due %(day)s).")
                      % {"day": service_due(row).isoformat()}))
    return Document(issuer(), str(DocumentKind.SERVICE.label), doc.number, tuple(lines),
                    (_("Signature of the person served:"), _("Signature of the officer serving:")),
                    dated=row.served_on)


def service_due(row: PenaltyCase) -> datetime.date:
    """The last of the 7 working days to serve the decision (Art. 61)."""
    from zhenwu.enforcement.guards import add_working_days

    assert row.decided_on is not None
    return add_working_days(row.decided_on, settings.ENFORCEMENT_SERVICE_WORKING_DAYS)


def _day(day: datetime.date | None) -> str:
    return day.isoformat() if day else "—"


def _decision_lines(row: PenaltyCase) -> list[tuple[str, str]]:
    return [(_("Decision"), row.decision_number or "—"), (_("Decided on"), _day(row.decided_on)),
            (_("Penalty"), _penalty(row.penalty_kind, row.fine)),
            (_("Served on"), f"{_day(row.served_on)} {row.get_service_method_display() or ''}".strip())]


def _owed_lines(row: PenaltyCase, on: datetime.date) -> list[tuple[str, str]]:
    """The open amounts, the late fee to ``on`` (to the day, as ``payments`` computes it) and their sum."""
    owed = payments.owed_on(row, on=on)
    due = [d.due_on for d in payments.dues(row) if d.paid_on is None or d.paid_on > on]
    lines = [(_("Due on"), _day(min(due)) if due else "—"), (_("Amount unpaid"), f"{owed.open_amount} 元"),
             (_("Late fee"), _("%(fee)s yuan to %(day)s: %(rate)s%% of the amount for each day late, never more "
                               "than the fine (Administrative Penalty Law Art. 72)")
              % {"fee": owed.late_fee, "day": on.isoformat(), "rate": settings.ENFORCEMENT_LATE_FEE_PERCENT_PER_DAY})]
    if owed.paused_days:
        lines.append((_("Days not counted"), _("%(days)s days while the party's reconsideration or lawsuit was "
                                               "pending (Administrative Penalty Law Art. 73)")
                      % {"days": owed.paused_days}))
    lines.append((_("Total due"), f"{owed.total} 元"))
    return lines


def demand(row: PenaltyCase) -> Document:
    """催告书 (行政强制法 Art. 35, 54): the decision, the amounts as of the day it is served, 10 days to pay."""
    doc = _doc(row, DocumentKind.DEMAND)
    on = row.demand_served_on or timezone.localdate(doc.issued_at)
    until = on + datetime.timedelta(days=settings.ENFORCEMENT_DEMAND_DAYS)
    lines = [*_base(row), *_decision_lines(row), *_owed_lines(row, on),
             ("", _("Pay the total above at the designated bank within %(days)s days of receiving this demand, by "
                    "%(day)s; the late fee keeps running until you pay. If you do not pay by then without a lawful "
                    "reason, we will apply to the people's court for enforcement (Administrative Compulsion Law "
                    "Art. 35, 54).") % {"days": settings.ENFORCEMENT_DEMAND_DAYS, "day": until.isoformat()}),
             ("", _("You have the right to state your case and defend yourself (Administrative Compulsion Law "
                    "Art. 36)."))]
    return Document(issuer(), str(DocumentKind.DEMAND.label), doc.number, tuple(lines),
                    (_("Signature of the person served:"), _("Signature of the officer serving:")), dated=on)


def _remedy_lines(row: PenaltyCase) -> list[tuple[str, str]]:
    rows = list(row.remedies.all())
    if not rows and row.served_on:
        return [("", _("The party neither applied for reconsideration nor sued within the periods, which ended "
                       "on %(day)s.") % {"day": payments.remedies_end(row.served_on).isoformat()})]
    return [(str(r.get_kind_display()), f"{r.body} {r.filed_on.isoformat()} — {_day(r.ended_on)} "
                                        f"{r.get_outcome_display() if r.outcome else ''}".strip()) for r in rows]


def court(row: PenaltyCase) -> Document:
    """强制执行申请书 (行政强制法 Art. 53-55): to the court named in the step, the decision, its service, the
    remedies, the demand and what is unpaid on the day of the application."""
    doc = _doc(row, DocumentKind.COURT)
    on = row.court_applied_on or timezone.localdate(doc.issued_at)
    party = _party(row)[1]
    demand_doc = row.documents.filter(kind=DocumentKind.DEMAND).order_by("-issued_at", "-id").first()
    lines = [(_("Court"), row.court_name or "—"), (_("Applicant"), issuer()), (_("Respondent"), party),
             (_("Case"), row.case.number), (_("Cause"), row.power_version.name), (_("Facts"), row.facts or "—"),
             (_("Legal basis"), row.power_version.basis), *_decision_lines(row), *_remedy_lines(row),
             (_("Demand served on"), f"{_day(row.demand_served_on)} {demand_doc.number if demand_doc else ''}".strip())]
    if row.demand_served_on:
        lines.append(("", _("The %(days)s days of the demand ended on %(day)s without payment.")
                      % {"days": settings.ENFORCEMENT_DEMAND_DAYS, "day": (row.demand_served_on + datetime.timedelta(
                          days=settings.ENFORCEMENT_DEMAND_DAYS)).isoformat()}))
    lines += [*_owed_lines(row, on),
              ("", _("We apply for the enforcement of the unpaid amounts above (Administrative Compulsion Law "
                     "Art. 53-55; Administrative Penalty Law Art. 72)."))]
    return Document(issuer(), str(DocumentKind.COURT.label), doc.number, tuple(lines),
                    (_("Head of the authority (signature):"), _("Seal of the authority:")), dated=on)


def closing(row: PenaltyCase) -> Document:
    doc = _doc(row, DocumentKind.CLOSING)
    report = _fields(_step(row, "close")).get("report", "")
    lines = [*_base(row), (_("Opened on"), _local(row.case.created_at)),
             (_("Decision"), f"{row.decision_number or '—'} {_penalty(row.penalty_kind, row.fine)}"),
             (_("Decided on"), row.decided_on.isoformat() if row.decided_on else "—"),
             (_("Served on"), f"{row.served_on.isoformat() if row.served_on else '—'} "
                              f"{row.get_service_method_display() or ''}"),
             (_("Paid on"), row.paid_on.isoformat() if row.paid_on else "—"),
             (_("Late fee"), f"{row.late_fee} 元")]
    plan = payments.approved_plan(row)
    if plan is not None:
        lines.append((_("Payment plan"), f"{plan.get_kind_display()}（{plan.opinion}）"))
    if row.demand_served_on:
        lines.append((_("Demand served on"), row.demand_served_on.isoformat()))
    if row.court_applied_on:
        lines.append((_("Applied to the court"), f"{row.court_name} {row.court_applied_on.isoformat()}"))
    lines += [(_("Records"), _("%(inquiries)s inquiry records, %(inspections)s inspection records, %(evidence)s "
                               "pieces of evidence") % {
        "inquiries": row.inquiryrecords.count(), "inspections": row.inspectionrecords.count(),
        "evidence": CaseAttachment.objects.filter(case=row.case).count()}), (_("Closing report"), report)]
    return Document(issuer(), str(DocumentKind.CLOSING.label), doc.number, tuple(lines),
                    dated=row.closed_on or timezone.localdate(doc.issued_at))


RECORD_PATHS: dict[str, str] = {DocumentKind.INQUIRY: "inquiries", DocumentKind.INSPECTION: "inspections",
                DocumentKind.DISCUSSION: "discussions"}
SINGLE_BUILDERS: dict[str, Callable[[PenaltyCase], Document]] = {
    DocumentKind.FILING: filing, DocumentKind.NOTICE: notice, DocumentKind.HEARING: hearing,
    DocumentKind.DECISION: decision, DocumentKind.SERVICE: service, DocumentKind.DEMAND: demand,
    DocumentKind.COURT: court, DocumentKind.CLOSING: closing}
RECORD_MODELS: dict[str, Any] = {DocumentKind.INQUIRY: (InquiryRecord, inquiry),
                                 DocumentKind.INSPECTION: (InspectionRecord, inspection),
                                 DocumentKind.DISCUSSION: (CollectiveDiscussion, discussion)}


def single_pdf(row: PenaltyCase, kind: str) -> tuple[CaseDocument, bytes]:
    """A one-per-case document of a general case (the caller read ``row`` through the scope rule)."""
    if row.procedure != Procedure.GENERAL or kind not in SINGLE_BUILDERS:
        raise _missing()
    doc = _doc(row, kind)
    return doc, document_pdf(SINGLE_BUILDERS[kind](row))


def record_pdf(row: PenaltyCase, kind: str, record_id: int) -> tuple[CaseDocument, bytes]:
    """An inquiry, inspection or discussion record of ``row``."""
    model, build = RECORD_MODELS[kind]
    record = model.objects.select_related("document").filter(penalty_case=row, pk=record_id).first()
    if record is None:
        raise _missing()
    return record.document, document_pdf(build(row, record))


def document_url(row: PenaltyCase, doc: CaseDocument) -> str:
    base = f"/api/v1/enforcement/cases/{row.case.number}"
    if doc.kind in RECORD_MODELS:
        model, _build = RECORD_MODELS[doc.kind]
        record = model.objects.filter(document=doc).values_list("pk", flat=True).first()
        return f"{base}/{RECORD_PATHS[doc.kind]}/{record}.pdf"
    return f"{base}/documents/{doc.kind}.pdf"
