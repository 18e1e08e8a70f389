"""Penalty cases (执法案件): the summary procedure on the spot and the general procedure step by step.

Every step locks the pillar's row, checks the officer (a valid certificate, no declared conflict) and the
role through ``policy``, sets the row's fields of the step, then calls the kernel's ``transition()``,
whose guards (``guards.py``) refuse what the Administrative Penalty Law forbids. A refusal is a 4xx with
the field at fault and leaves the case as it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.validation import clean_id_number, clean_uscc
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.process import RESUME, DeadlineSpec, process_get
from zhenwu.casework.services import case_create, transition
from zhenwu.enforcement import guards, policy, process
from zhenwu.enforcement.choices import (
    SINGLE_DOCUMENTS,
    CaseSource,
    DocumentKind,
    Parties,
    PaymentPlanStatus,
    PenaltyKind,
    Procedure,
    ServiceMethod,
)
from zhenwu.enforcement.models import Officer, PenaltyCase, PenaltyPower
from zhenwu.enforcement.services import payments, remedies
from zhenwu.enforcement.services.numbering import document_issue
from zhenwu.enforcement.services.powers import amount_parse
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.models import Enterprise, Resident


@dataclass
class Party:
    """当事人: a citizen by ID number or an organisation by USCC; linked to the registry when known there."""

    name: str
    id_number: str = ""
    uscc: str = ""

    @property
    def is_organisation(self) -> bool:
        return bool(self.uscc)


def party_clean(party: Party) -> Party:
    """The party with a checked number (python-stdnum, as the registry does); exactly one of the two."""
    if not party.name.strip():
        raise FieldError("party.name", _("The party's name is required."))
    if bool(party.id_number) == bool(party.uscc):
        raise FieldError("party", _("Give the party's ID number (a citizen) or USCC (an organisation)."))
    if party.id_number:
        return Party(party.name.strip(), id_number=clean_id_number(party.id_number.upper(), "party.id_number"))
    return Party(party.name.strip(), uscc=clean_uscc(party.uscc.upper(), "party.uscc"))


def _power(code: str) -> PenaltyPower:
    power = PenaltyPower.objects.filter(code=code, active=True, current_version__isnull=False).first()
    if power is None:
        raise FieldError("power", _("No such penalty power."))
    return power


def _parties_fit(power: PenaltyPower, party: Party) -> None:
    assert power.current_version is not None
    allowed = power.current_version.parties
    if (allowed == Parties.CITIZEN and party.is_organisation) or (allowed == Parties.ORGANISATION
                                                                   and not party.is_organisation):
        raise FieldError("party", _("This power does not apply to this kind of party."))


def _acting_officer(actor: User, party: Party | PenaltyCase) -> Officer:
    officer = policy.officer_of(actor)
    policy.officer_check(officer, on=guards.today(), field="actor")
    ids = (party.id_number, party.uscc) if isinstance(party, Party) else (party.party_id_number, party.party_uscc)
    policy.conflict_check(officer, id_number=ids[0], uscc=ids[1], field="actor")
    return officer


acting_officer = _acting_officer  # for the records (services/records.py)


def _new_row(case: Any, procedure: str, power: PenaltyPower, party: Party, facts: str,
             source: str = CaseSource.PATROL) -> PenaltyCase:
    assert power.current_version is not None
    if source not in CaseSource.values:
        raise FieldError("source", _("Unknown case source."))
    return PenaltyCase.objects.create(
        case=case, procedure=procedure, source=source, power_version=power.current_version,
        area_code=case.area_code, status=case.status,
        party_is_organisation=party.is_organisation,
        party_name=party.name, party_id_number=party.id_number, party_uscc=party.uscc, facts=facts,
        resident=Resident.objects.filter(id_number=party.id_number).first() if party.id_number else None,
        enterprise=Enterprise.objects.filter(uscc=party.uscc).first() if party.uscc else None)


# --- summary procedure (简易程序) ---------------------------------------------------------------------

def summary_fine_check(*, fine: Decimal | None, penalty_kind: str, organisation: bool, cash: bool) -> None:
    """Art. 51: a warning, or a fine ≤ 200 yuan (citizen) / ≤ 3,000 yuan (organisation); Art. 68: cash on the
    spot ≤ 100 yuan. The limits are settings."""
    if penalty_kind not in (PenaltyKind.WARNING, PenaltyKind.FINE):
        raise FieldError("penalty", _("The summary procedure decides only a warning or a fine (Administrative "
                                      "Penalty Law Art. 51)."))
    if penalty_kind == PenaltyKind.WARNING:
        if fine or cash:
            raise FieldError("fine", _("A warning carries no fine."))
        return
    if fine is None or fine <= 0:
        raise FieldError("fine", _("Enter the fine."))
    limit = (settings.ENFORCEMENT_SUMMARY_MAX_ORGANISATION if organisation
             else settings.ENFORCEMENT_SUMMARY_MAX_CITIZEN)
    if fine > limit:
        raise FieldError("fine", _("The summary procedure allows a fine of at most %(limit)s yuan for this party "
                                   "(Administrative Penalty Law Art. 51); use the general procedure.")
                         % {"limit": limit})
    if cash and fine > settings.ENFORCEMENT_CASH_ON_SPOT_MAX:
        raise FieldError("cash_on_spot", _("Cash may be collected on the spot only for a fine of at most %(limit)s "
                                           "yuan (Administrative Penalty Law Art. 68).")
                         % {"limit": settings.ENFORCEMENT_CASH_ON_SPOT_MAX})


@transaction.atomic
def summary_decide(*, actor: User, power_code: str, party: Party, area_code: str, facts: str, penalty_kind: str,
                   fine: Any = None, cash_on_spot: bool = False, source: str = CaseSource.PATROL) -> PenaltyCase:
    """简易程序: a decision on the spot with a numbered form; the case waits to be filed (备案)."""
    policy.check(actor, "case_file", area_code=area_code, missing=_("No such area."))
    party = party_clean(party)
    amount, message = amount_parse(fine, "fine")
    if message:
        raise FieldError("fine", message)
    summary_fine_check(fine=amount, penalty_kind=penalty_kind, organisation=party.is_organisation,
                       cash=cash_on_spot)
    power = _power(power_code)
    _parties_fit(power, party)
    officer = _acting_officer(actor, party)
    case = case_create(kind=process.KIND, process=process.SUMMARY, area_code=area_code,
                       title=f"{power.name} · {party.name}", actor=actor)
    row = _new_row(case, Procedure.SUMMARY, power, party, facts, source)
    row.penalty_kind, row.fine, row.cash_on_spot = penalty_kind, amount, cash_on_spot
    row.decided_on = row.served_on = guards.today()  # decided and handed over on the spot (Art. 52)
    row.decision_number = f"{case.number}-简"
    row.save()
    row.investigators.add(officer)
    return row


# --- general procedure (普通程序) ----------------------------------------------------------------------

@transaction.atomic
def general_open(*, actor: User, power_code: str, party: Party, area_code: str, facts: str,
                 investigators: list[int], source: str = CaseSource.PATROL) -> PenaltyCase:
    """立案 request: the case waits for the leader's approval; the investigators are named now (Art. 42-43)."""
    policy.check(actor, "case_file", area_code=area_code, missing=_("No such area."))
    party = party_clean(party)
    power = _power(power_code)
    _parties_fit(power, party)
    _acting_officer(actor, party)
    officers = list(Officer.objects.filter(pk__in=investigators).select_related("user"))
    if len(officers) != len(set(investigators)):
        raise FieldError("investigators", _("Unknown enforcement officer."))
    case = case_create(kind=process.KIND, process=process.GENERAL, area_code=area_code,
                       title=f"{power.name} · {party.name}", actor=actor)
    row = _new_row(case, Procedure.GENERAL, power, party, facts, source)
    row.investigators.set(officers)
    guards.investigators_lawful(row, on=guards.today())
    return row


def late_fee(*, fine: Decimal, served_on: datetime.date, paid_on: datetime.date) -> Decimal:
    """Art. 72: 3% of the fine per day after the 15 days to pay (Art. 67), never more than the fine (without a
    deferral or instalments; ``payments.late_fee_of`` computes it with them)."""
    return payments.late_fee_of(fine, [payments.Due(fine, payments.first_due(served_on), paid_on)], on=paid_on)


APPROVER_ACTIONS = ("approve_filing", "decide", "close", "drop", "approve_payment_plan", "refuse_payment_plan",
                    "apply_court", "end_remedy")


def _role_for(action: str, status: str = "") -> str:
    if action in APPROVER_ACTIONS or action.startswith(process.EXTEND) or (
            action == "resume" and status in ("hearing", process.REMEDY)):
        return "approve"
    if action in ("legal_review", "legal_review_after_hearing"):
        return "legal_review"
    return "case_act"


def _past_day(fields: dict[str, Any], name: str, *, not_before: datetime.date | None, today: datetime.date,
              what: str) -> datetime.date:
    """A day of the step (``fields.<name>``): not in the future, not before ``not_before``."""
    day = guards._date(fields.get(name), f"fields.{name}")
    if day > today or (not_before and day < not_before):
        raise FieldError(f"fields.{name}", _("%(what)s is a day from %(start)s to today.")
                         % {"what": what, "start": not_before.isoformat() if not_before else "—"})
    fields[name] = day.isoformat()
    return day


SERVICE_TERMS = {str(label).split("(")[-1].rstrip(")"): value for value, label in ServiceMethod.choices}


def _service_method(fields: dict[str, Any]) -> str:
    """送达方式: a method's key or its Chinese term; electronic service needs the party's consent (Art. 61)."""
    raw = str(fields.get("method") or "").strip()
    method = SERVICE_TERMS.get(raw, raw)
    if method not in ServiceMethod.values:
        raise FieldError("fields.method", _("Unknown service method."))
    if method == ServiceMethod.ELECTRONIC and not fields.get("consent"):
        raise FieldError("fields.consent", _("Electronic service needs the party's consent (Administrative "
                                             "Penalty Law Art. 61)."))
    fields["method"] = method
    return method


def _prepare(actor: User, row: PenaltyCase, action: str, fields: dict[str, Any]) -> DeadlineSpec | None:
    """The row's fields of the step, set before ``transition()`` (guards read the saved row); answers the
    deadline the step's target state starts with when it is not the state's own."""
    today, now = guards.today(), timezone.now()
    deadline = None
    if _role_for(action, row.case.status) == "case_act":
        _acting_officer(actor, row)
    if action in ("legal_review", "legal_review_after_hearing"):
        row.legal_reviewer, row.legal_reviewed_at = actor, now
    elif action == "notify":
        kind, fine = _penalty_fields(fields)
        row.noticed_penalty_kind, row.noticed_fine, row.noticed_on = kind, fine, today
        row.defence_until = guards.add_working_days(today, settings.ENFORCEMENT_DEFENCE_WORKING_DAYS)
        row.hearing_right = guards.has_hearing_right(row, kind, fine)
        row.hearing_request_until = (guards.add_working_days(today, settings.ENFORCEMENT_HEARING_REQUEST_WORKING_DAYS)
                                     if row.hearing_right else None)
        row.major = guards.is_major(row, kind, fine)
    elif action == "resume" and row.case.status == "hearing":
        row.hearing_ended_at, row.major = now, True
    elif action == "decide":
        _penalty_fields(fields)
    elif action == "serve":
        row.service_method = _service_method(fields)
        row.served_on = _past_day(fields, "served_on", not_before=row.decided_on, today=today,
                                  what=_("The day of service"))
        row.service_recipient = str(fields.get("recipient") or row.party_name)[:200]
    elif action == "request_payment_plan":
        payments.plan_request(row=row, fields=fields, actor=actor, today=today)
    elif action in ("approve_payment_plan", "refuse_payment_plan"):
        deadline = _plan_answer(actor, row, approved=action == "approve_payment_plan", fields=fields, today=today)
    elif action in ("pay", "pay_instalment"):
        if not row.fine:
            raise FieldError("action", _("There is no fine to pay on this case."))
        if row.paid_on:  # in a remedy filed after the payment
            raise FieldError("action", _("The fine was paid on %(day)s.") % {"day": row.paid_on.isoformat()})
        if payments.annulled(row):
            raise FieldError("action", _("The decision was annulled on reconsideration or by a court: nothing is "
                                         "owed."))
        _past_day(fields, "paid_on", not_before=row.served_on, today=today, what=_("The day of payment"))
    elif action == "demand":
        row.demand_served_on = _past_day(fields, "served_on", not_before=row.served_on, today=today,
                                         what=_("The day the demand was served"))
    elif action == "apply_court":
        row.court_name, row.court_applied_on = str(fields.get("court") or "").strip()[:200], today
    elif action == "file_remedy":
        remedies.remedy_file(row=row, fields=fields, today=today)
    elif action == "end_remedy" or (action == "resume" and row.case.status == process.REMEDY):
        remedies.remedy_end(actor=actor, row=row, fields=fields, today=today)
    elif action == process.REFUND:
        remedies.refund_record(row=row, fields=fields, today=today)
    row.save()
    if action == "demand":  # the light counts down the days left to ask the court
        _first, last = payments.court_window(row)
        deadline = DeadlineSpec(DeadlineUnit.NATURAL_DAYS.value, max((last - today).days, 0))
    return deadline


def _plan_answer(actor: User, row: PenaltyCase, *, approved: bool, fields: dict[str, Any],
                 today: datetime.date) -> DeadlineSpec:
    """The leader approves or refuses the pending plan; the clock runs to the plan's end, or back to the 15th day."""
    plan = payments.pending_plan(row)
    if plan is None:
        raise FieldError("action", _("There is no request for a deferral or instalments."))
    plan.status = PaymentPlanStatus.APPROVED if approved else PaymentPlanStatus.REFUSED
    plan.decided_by, plan.decided_at, plan.opinion = actor, timezone.now(), str(fields.get("opinion") or "")
    plan.save()
    assert row.served_on is not None
    end = payments.plan_end(plan) if approved else payments.first_due(row.served_on)
    return DeadlineSpec(DeadlineUnit.NATURAL_DAYS.value, max((end - today).days, 0))


def _after(actor: User, row: PenaltyCase, action: str, fields: dict[str, Any]) -> None:
    today = guards.today()
    row.status = row.case.status  # the list's copy of the state (see PenaltyCase.status)
    if action == "decide":
        kind, fine = _penalty_fields(fields)
        row.penalty_kind, row.fine, row.band = kind, fine, str(fields.get("band") or "")
        row.outside_band_reason = str(fields.get("outside_band_reason") or "")
        row.defended = bool(fields.get("defence"))
        row.decided_on = today
        row.major = guards.is_major(row, kind, fine)
    elif action == "pay_instalment":
        plan = payments.approved_plan(row)
        due = plan.instalments.filter(paid_on__isnull=True).order_by("seq").first() if plan else None
        if due is None:
            raise FieldError("action", _("No instalment is open."))
        due.paid_on = guards._date(fields["paid_on"], "fields.paid_on")
        due.save(update_fields=["paid_on"])
    elif action == "pay":
        row.paid_on = guards._date(fields["paid_on"], "fields.paid_on")
        if row.fine:
            row.late_fee = payments.late_fee_of(row.fine, payments.dues(row), on=row.paid_on,
                                                pauses=payments.remedy_pauses(row))
    elif action == "close":
        row.closed_on = today
    kind_issued = SINGLE_DOCUMENTS.get(action)
    if kind_issued:
        doc = document_issue(row=row, kind=kind_issued, actor=actor)
        if kind_issued == DocumentKind.DECISION:
            row.decision_number = doc.number
    row.save()
    if action == "decide":
        from zhenwu.enforcement.services.publicity import publication_schedule

        publication_schedule(row)  # 行政处罚决定公开: due 7 working days from today


def _penalty_fields(fields: dict[str, Any]) -> tuple[str, Decimal | None]:
    kind = str(fields.get("penalty") or "")
    if kind not in PenaltyKind.values:
        raise FieldError("fields.penalty", _("Unknown penalty."))
    fine, message = amount_parse(fields.get("fine"), "fine")
    if message:
        raise FieldError("fields.fine", message)
    if kind == PenaltyKind.FINE and not fine:
        raise FieldError("fields.fine", _("Enter the fine."))
    if fine is not None:
        fields["fine"] = str(fine)
    return kind, fine


def _pause_check(row: PenaltyCase) -> None:
    proc = process_get(row.case.process)
    if proc.action_for(RESUME, row.case.status) is None:
        raise FieldError("action", _("The case is not paused, so there is nothing to resume (it is at %(state)s).")
                         % {"state": proc.state_label(row.case.status)})


def _check_state(row: PenaltyCase, action: str) -> None:
    """An action out of order is refused before anything of the step is read or written (400 ``action``)."""
    if action in (RESUME, process.EXTEND):
        return  # the kernel and ``_extension`` say why these are not possible
    state = row.case.status
    if process_get(row.case.process).action_for(process.process_key(action, state), state) is None:
        if action == "file_remedy":
            _remedy_refused(row)
        if action == process.REFUND and not payments.refund_owed(row):
            raise FieldError("action", _("Nothing is to be refunded on this case: a refund is owed only when a "
                                         "reconsideration or lawsuit annulled or lowered a fine already paid."))
        raise FieldError("action", _("This action is not possible in the case's current state."))


def _remedy_refused(row: PenaltyCase) -> None:
    """Why a reconsideration or lawsuit cannot be recorded on the case now (its decision not served is the
    generic refusal)."""
    state = row.case.status
    proc = process_get(row.case.process)
    if proc.states[state].terminal:
        raise FieldError("action", _("The case is closed (%(state)s) and its file archived: a reconsideration or "
                                     "lawsuit is recorded only on a case not yet closed.")
                         % {"state": proc.state_label(state)})
    if state == "enforcing":
        raise FieldError("action", _("The court was asked to enforce the decision: the periods for "
                                     "reconsideration and a lawsuit are over (Administrative Compulsion Law "
                                     "Art. 53)."))
    if state == process.REMEDY:
        raise FieldError("action", _("A reconsideration or lawsuit is already pending on this case: record its "
                                     "end first."))


@transaction.atomic
def case_act(*, actor: User, number: str, action: str, fields: dict[str, Any] | None = None, reason: str = "",
             expected_version: int | None = None) -> PenaltyCase:
    """One step of a penalty case (summary: ``file``; general: every action of the process, and ``resume``)."""
    row = PenaltyCase.objects.select_for_update().select_related("case", "power_version").filter(
        case__number=number).first()
    if row is None:
        raise NotFound(_("No such penalty case."), field="number")
    if action == RESUME and policy.in_scope(actor, row.case.area_code):
        _pause_check(row)  # ending a pause never entered (a remedy never filed) is out of order, whoever asks
    policy.check(actor, _role_for(action, row.case.status), area_code=row.case.area_code,
                 missing=_("No such penalty case."))
    values = dict(fields or {})
    deadline = None
    if action.startswith(f"{process.EXTEND}_") or action in process.STATE_KEYS.values():
        raise FieldError("action", _("Unknown action."))  # the per-state keys are the process's, not the API's
    _check_state(row, action)
    if action == process.EXTEND:
        action, deadline = _extension(row, values)
    key = process.process_key(action, row.case.status)  # read before the step moves the case
    deadline = _prepare(actor, row, action, values) or deadline
    transition(actor=actor, case=row.case, action=key, fields=values, reason=reason,
               expected_version=expected_version, deadline=deadline)
    _after(actor, row, action, values)
    if action == "pay_instalment" and payments.next_due(row) is None:  # the last instalment pays the fine
        paid = {"paid_on": values["paid_on"]}
        transition(actor=actor, case=row.case, action="pay", fields=paid, reason=reason)
        _after(actor, row, "pay", paid)
    return row


def summary_decision_pdf(*, user: User, row: PenaltyCase) -> bytes:
    """The numbered decision form of a summary case (the caller has read ``row`` through the scope rule)."""
    from zhenwu.accounts.masking import mask_id_number
    from zhenwu.enforcement.documents import SummaryDecisionData, summary_decision

    if row.procedure != Procedure.SUMMARY or not row.decided_on:
        raise NotFound(_("No such document."), field="document")
    if row.penalty_kind == PenaltyKind.FINE:
        payment = (_("The fine of %(fine)s yuan was collected on the spot (Art. 68).") if row.cash_on_spot else
                   _("Pay the fine of %(fine)s yuan at the designated bank within 15 days (Art. 67); after that 3%% "
                     "of the fine is added for each day late.")) % {"fine": row.fine}
    else:
        payment = _("No fine.")
    return summary_decision(SummaryDecisionData(
        issuer=_("Comprehensive administrative enforcement team"), decision_number=row.decision_number,
        party_name=row.party_name, party_number=row.party_uscc or mask_id_number(row.party_id_number),
        facts=row.facts, basis=row.power_version.basis, penalty=str(row.get_penalty_kind_display()) + (
            f" {row.fine} 元" if row.fine else ""), payment=payment,
        officers="、".join(str(o) for o in row.investigators.select_related("user")), decided_on=row.decided_on))


def _extension(row: PenaltyCase, fields: dict[str, Any]) -> tuple[str, DeadlineSpec]:
    """延长办案期限: the approved days added to the natural days left of the 90 (Art. 60: extended on approval)."""
    case = row.case
    if case.status not in process.EXTENDABLE or not case.deadline_due_at:
        raise FieldError("action", _("The time limit of this case cannot be extended now."))
    try:
        days = int(fields.get("days"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise FieldError("fields.days", _("Enter the number of days.")) from None
    if not 1 <= days <= process.MAX_EXTENSION_DAYS:
        raise FieldError("fields.days", _("An extension is 1 to %(max)s days.") % {"max": process.MAX_EXTENSION_DAYS})
    left = max((timezone.localdate(case.deadline_due_at) - guards.today()).days, 0)
    fields["days"] = days
    return f"{process.EXTEND}_{case.status}", DeadlineSpec(DeadlineUnit.NATURAL_DAYS.value, left + days)


def evidence_label(*, name: str, place: str = "", lng: float | None = None, lat: float | None = None,
                   accuracy: float | None = None, taken_at: datetime.datetime | None = None) -> str:
    """The evidence's name with where and when it was taken (the phone's GPS fix and clock), checked:
    coordinates in range and both or neither, accuracy not negative, the time not in the future."""
    if (lng is None) != (lat is None):
        raise FieldError("lat" if lat is None else "lng", _("Give both longitude and latitude, or neither."))
    if lng is not None and not -180 <= lng <= 180:
        raise FieldError("lng", _("The longitude must be between -180 and 180."))
    if lat is not None and not -90 <= lat <= 90:
        raise FieldError("lat", _("The latitude must be between -90 and 90."))
    if accuracy is not None and accuracy < 0:
        raise FieldError("accuracy", _("The accuracy cannot be negative."))
    if taken_at is not None and taken_at > timezone.now() + datetime.timedelta(minutes=5):
        raise FieldError("taken_at", _("The time the evidence was taken cannot be in the future."))
    parts = [p for p in (place.strip(),) if p]
    if lng is not None and lat is not None:
        parts.append(f"{lng:.6f},{lat:.6f}" + (f" ±{accuracy:.0f}m" if accuracy is not None else ""))
    if taken_at is not None:
        parts.append(timezone.localtime(taken_at).strftime("%Y-%m-%d %H:%M:%S"))
    return f"{name} @ {' '.join(parts)}" if parts else name


@transaction.atomic
def evidence_add(*, actor: User, number: str, data: bytes, name: str, place: str = "",
                 request_id: str = "", lng: float | None = None, lat: float | None = None,
                 accuracy: float | None = None, taken_at: datetime.datetime | None = None) -> Any:
    """证据: a photo, document or video stored under its SHA-256 by the kernel (immutable, audited with the
    time); only an officer with a valid certificate and no conflict adds it; the place — a description, the
    phone's GPS fix — and the time it was taken go with its name (``evidence_label``)."""
    from zhenwu.casework.services import attachment_add

    row = PenaltyCase.objects.select_related("case").filter(case__number=number).first()
    if row is None:
        raise NotFound(_("No such penalty case."), field="number")
    policy.check(actor, "case_act", area_code=row.case.area_code, missing=_("No such penalty case."))
    _acting_officer(actor, row)
    label = evidence_label(name=name, place=place, lng=lng, lat=lat, accuracy=accuracy, taken_at=taken_at)
    return attachment_add(actor=actor, case=row.case, data=data, name=label[:200], request_id=request_id)
