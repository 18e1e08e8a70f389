"""The records of an investigation and of the decision (Art. 47: the full-process record):

- 询问笔录 (inquiry) and 现场检查笔录 (on-site inspection) — made while the case is under investigation,
  by at least two officers with certificates valid that day and no declared conflict with the party
  (Art. 42, 43, 55); signed by the officers, and by the person or with the reason they did not sign;
- 集体讨论记录 (collective discussion, Art. 57) — recorded by a leader before the decision of a major case;
- 听证笔录 (hearing record, Art. 64) — recorded by an officer while the case is in its hearing, or after the
  leader ended it (often written up right after) until the decision: the host is a staff member of the case's
  scope who did not investigate it; the party's statements, the investigators' case and the conclusion.

Each gets its document number in the recording transaction (gap-free) and an entry in the case's audit chain.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope
from zhenwu.accounts.validation import clean_id_number
from zhenwu.casework.services.audit import audit_record
from zhenwu.enforcement import guards, policy
from zhenwu.enforcement.choices import DocumentKind, PersonRole, Procedure
from zhenwu.enforcement.models import (
    CollectiveDiscussion,
    HearingRecord,
    InquiryRecord,
    InspectionRecord,
    Officer,
    PenaltyCase,
)
from zhenwu.enforcement.services.numbering import document_issue
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _

RECORD_STATES = ("investigating",)  # inquiries and inspections: after 立案, before 调查终结
DISCUSSION_STATES = ("reviewing", "notice")
HEARING_STATES = ("hearing", "notice")  # after 举行听证, until the decision (``hearing_record_check``)


@dataclass
class RecordInput:
    """What an inquiry or an inspection record holds (``questions`` for one, ``findings`` for the other)."""

    started_at: str
    ended_at: str
    place: str
    person_name: str
    person_role: str
    officers: list[int]
    officers_signed_on: str
    person_id_number: str = ""
    person_signed_on: str | None = None
    refusal_note: str = ""
    questions: list[dict[str, str]] = field(default_factory=list)
    findings: str = ""
    evidence: list[str] = field(default_factory=list)


def _moment(value: Any, name: str) -> datetime.datetime:
    parsed = parse_datetime(str(value or "")) if not isinstance(value, datetime.datetime) else value
    if parsed is None:
        raise FieldError(name, _("Enter a date and time as YYYY-MM-DDTHH:MM."))
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now():
        raise FieldError(name, _("This moment lies in the future."))
    return parsed


def _text(value: str, name: str, limit: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise FieldError(name, _("This field is required."))
    if len(text) > limit:
        raise FieldError(name, _("At most %(n)s characters.") % {"n": limit})
    return text


def _day(value: Any, name: str, *, not_before: datetime.date) -> datetime.date:
    day = guards._date(value, name)
    if not not_before <= day <= guards.today():
        raise FieldError(name, _("A signature is dated from the day of the record to today."))
    return day


def _row_for(actor: User, number: str, role: str, states: tuple[str, ...] | None) -> PenaltyCase:
    """The case locked, read by whom may make the record; ``states``: where it is made (None: the caller checks)."""
    row = (PenaltyCase.objects.select_for_update().select_related("case").filter(case__number=number).first())
    if row is None:
        raise NotFound(_("No such penalty case."), field="number")
    policy.check(actor, role, area_code=row.case.area_code, missing=_("No such penalty case."))
    if states is not None and (row.procedure != Procedure.GENERAL or row.case.status not in states):
        raise FieldError("action", _("This record is not made in the case's current state."))
    return row


def officers_present(row: PenaltyCase, ids: list[int], *, on: datetime.date) -> list[Officer]:
    """At least two officers, each with a certificate valid ``on`` and without a conflict (Art. 42, 43)."""
    if not isinstance(ids, list) or any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise FieldError("officers", _("Give the officers present by their ids."))
    officers = list(Officer.objects.filter(pk__in=ids).select_related("user"))
    if len(officers) != len(ids):
        raise FieldError("officers", _("Unknown enforcement officer, or one named twice."))
    if len(officers) < settings.ENFORCEMENT_MIN_INVESTIGATORS:
        raise FieldError("officers", _("At least %(n)s enforcement officers with valid certificates must be "
                                       "present (Administrative Penalty Law Art. 42, 55).")
                         % {"n": settings.ENFORCEMENT_MIN_INVESTIGATORS})
    for officer in officers:
        policy.officer_check(officer, on=on, field="officers")
        policy.conflict_check(officer, id_number=row.party_id_number, uscc=row.party_uscc, field="officers")
    return officers


def _record_common(row: PenaltyCase, data: RecordInput) -> dict[str, Any]:
    started, ended = _moment(data.started_at, "started_at"), _moment(data.ended_at, "ended_at")
    if ended < started:
        raise FieldError("ended_at", _("The record ends before it starts."))
    if data.person_role not in PersonRole.values:
        raise FieldError("person_role", _("Unknown role of the person."))
    id_number = (clean_id_number(data.person_id_number.strip().upper(), "person_id_number")
                 if data.person_id_number.strip() else "")
    day = timezone.localdate(started)
    signed = _day(data.person_signed_on, "person_signed_on", not_before=day) if data.person_signed_on else None
    refusal = data.refusal_note.strip()[:200]
    if signed is None and not refusal:
        raise FieldError("person_signed_on", _("Record the day the person signed, or why they did not sign "
                                               "(refusal_note)."))
    return {"started_at": started, "ended_at": ended, "place": _text(data.place, "place"),
            "person_name": _text(data.person_name, "person_name", 100), "person_role": data.person_role,
            "person_id_number": id_number, "person_signed_on": signed, "refusal_note": refusal,
            "officers_signed_on": _day(data.officers_signed_on, "officers_signed_on", not_before=day),
            "officers": officers_present(row, data.officers, on=day)}


def _questions(items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list) or not items:
        raise FieldError("questions", _("Record at least one question and its answer."))
    out = []
    for n, item in enumerate(items):
        if not isinstance(item, dict) or not str(item.get("q") or "").strip():
            raise FieldError(f"questions[{n}].q", _("Each entry needs the question (q) and the answer (a)."))
        out.append({"q": str(item["q"]).strip(), "a": str(item.get("a") or "").strip()})
    return out


def _save(row: PenaltyCase, model: Any, kind: str, actor: User, values: dict[str, Any], action: str) -> Any:
    officers = values.pop("officers")
    record = model.objects.create(penalty_case=row, document=document_issue(row=row, kind=kind, actor=actor),
                                  created_by=actor, **values)
    record.officers.set(officers)
    audit_record(subject=row.case.number, case=row.case, actor=actor, action=action,
                 data={"document": record.document.number, "officers": [o.pk for o in officers],
                       "started_at": values["started_at"], "place": values["place"]})
    return record


@transaction.atomic
def inquiry_add(*, actor: User, number: str, data: RecordInput) -> InquiryRecord:
    """询问笔录, by an officer of the case's scope with a valid certificate and no conflict."""
    from zhenwu.enforcement.services.cases import acting_officer

    row = _row_for(actor, number, "case_act", RECORD_STATES)
    acting_officer(actor, row)
    values = _record_common(row, data)
    values["questions"] = _questions(data.questions)
    return _save(row, InquiryRecord, DocumentKind.INQUIRY, actor, values, "inquiry_record")  # type: ignore[no-any-return]


@transaction.atomic
def inspection_add(*, actor: User, number: str, data: RecordInput) -> InspectionRecord:
    """现场检查笔录, with the evidence filed on the case that was taken there (by SHA-256)."""
    from zhenwu.casework.models import CaseAttachment
    from zhenwu.enforcement.services.cases import acting_officer

    row = _row_for(actor, number, "case_act", RECORD_STATES)
    acting_officer(actor, row)
    values = _record_common(row, data)
    values["findings"] = _text(data.findings, "findings", 20_000)
    hashes = list(dict.fromkeys(data.evidence or []))
    known = set(CaseAttachment.objects.filter(case=row.case, attachment__sha256__in=hashes)
                .values_list("attachment__sha256", flat=True))
    if len(known) != len(hashes):
        raise FieldError("evidence", _("Name only evidence already filed on this case (by its SHA-256)."))
    values["evidence"] = hashes
    return _save(row, InspectionRecord, DocumentKind.INSPECTION, actor, values, "inspection_record")  # type: ignore[no-any-return]


@dataclass
class DiscussionInput:
    held_at: str
    place: str
    chair: str
    participants: list[str]
    opinions: str
    conclusion: str


@transaction.atomic
def discussion_add(*, actor: User, number: str, data: DiscussionInput) -> CollectiveDiscussion:
    """集体讨论记录 (Art. 57): by a leader, while the case is reviewed or noticed, before its decision."""
    row = _row_for(actor, number, "approve", DISCUSSION_STATES)
    held = _moment(data.held_at, "held_at")
    names = [str(n).strip() for n in (data.participants or []) if str(n).strip()]
    if len(set(names)) < settings.ENFORCEMENT_DISCUSSION_MIN_PARTICIPANTS:
        raise FieldError("participants", _("A collective discussion has at least %(n)s participants.")
                         % {"n": settings.ENFORCEMENT_DISCUSSION_MIN_PARTICIPANTS})
    record = CollectiveDiscussion.objects.create(
        penalty_case=row, document=document_issue(row=row, kind=DocumentKind.DISCUSSION, actor=actor),
        held_at=held, place=_text(data.place, "place"), chair=_text(data.chair, "chair", 100),
        participants=names, opinions=_text(data.opinions, "opinions", 20_000),
        conclusion=_text(data.conclusion, "conclusion", 20_000), created_by=actor, created_at=timezone.now())
    audit_record(subject=row.case.number, case=row.case, actor=actor, action="collective_discussion",
                 data={"document": record.document.number, "held_at": held, "participants": names})
    return record


@dataclass
class HearingInput:
    held_at: str
    place: str
    host: int | None
    participants: list[str]
    party_statement: str
    investigators_case: str
    conclusion: str


def hearing_host_check(row: PenaltyCase, host_id: Any) -> User:
    """听证主持人: a staff member whose scope holds the case and who did not investigate it (Art. 64 (4))."""
    host = (User.objects.filter(pk=host_id, kind=UserKind.STAFF, is_active=True).first()
            if isinstance(host_id, int) and not isinstance(host_id, bool) else None)
    if host is None or not in_scope(host, row.case.area_code):
        raise FieldError("host", _("Choose the hearing host among the staff of this case's area."))
    if row.investigators.filter(user=host).exists():
        raise FieldError("host", _("The hearing is hosted by someone who did not investigate the case "
                                   "(Administrative Penalty Law Art. 64)."))
    return host


def hearing_record_open(row: PenaltyCase) -> bool:
    """True while a 听证笔录 may be added: the hearing is held, or it was held and ended and the decision is
    not made yet (the case is back at 告知)."""
    return row.procedure == Procedure.GENERAL and (row.case.status == "hearing" or (
        row.case.status == "notice" and row.hearing_ended_at is not None and row.decided_on is None))


def hearing_record_check(row: PenaltyCase) -> None:
    """Refuses a 听证笔录 outside its time, saying why (400 ``action``)."""
    if hearing_record_open(row):
        return
    if row.decided_on is not None:
        raise FieldError("action", _("The decision has been made: a hearing record is added during the hearing or "
                                     "after it, before the decision."))
    if row.hearing_ended_at is None:
        raise FieldError("action", _("This case has had no hearing: a hearing record is added once the hearing is "
                                     "held."))
    raise FieldError("action", _("This record is not made in the case's current state."))


@transaction.atomic
def hearing_add(*, actor: User, number: str, data: HearingInput) -> HearingRecord:
    """听证笔录, by an officer of the case's scope while the case is in its hearing, or after the hearing ended
    until the decision (Art. 64)."""
    from zhenwu.enforcement.services.cases import acting_officer

    row = _row_for(actor, number, "case_act", None)
    hearing_record_check(row)
    acting_officer(actor, row)
    held = _moment(data.held_at, "held_at")
    host = hearing_host_check(row, data.host)
    names = list(dict.fromkeys(str(n).strip()[:100] for n in (data.participants or []) if str(n).strip()))
    if not names:
        raise FieldError("participants", _("Name who took part in the hearing (the party or their agent, the "
                                           "investigators)."))
    record = HearingRecord.objects.create(
        penalty_case=row, document=document_issue(row=row, kind=DocumentKind.HEARING_RECORD, actor=actor),
        held_at=held, place=_text(data.place, "place"), host=host,
        host_name=(host.full_name or host.username)[:100], participants=names,
        party_statement=_text(data.party_statement, "party_statement", 20_000),
        investigators_case=_text(data.investigators_case, "investigators_case", 20_000),
        conclusion=_text(data.conclusion, "conclusion", 20_000), created_by=actor, created_at=timezone.now())
    audit_record(subject=row.case.number, case=row.case, actor=actor, action="hearing_record",
                 data={"document": record.document.number, "held_at": held, "host": host.pk,
                       "participants": names})
    return record
