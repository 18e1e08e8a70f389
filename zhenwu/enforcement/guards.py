"""The Administrative Penalty Law's refusals as the process's guards: each raises a FieldError naming the
field at fault, and the case stays as it was (``transition()`` runs the guards before it changes anything).

Guards read the pillar's saved row (``PenaltyCase``) and the step's audited ``fields``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhenwu.casework.process import guard_register
from zhenwu.casework.workcal import calendar_current
from zhenwu.enforcement import policy, process
from zhenwu.enforcement.choices import PenaltyKind
from zhenwu.enforcement.models import PenaltyCase
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

HEAVY_KINDS = (PenaltyKind.SUSPENSION, PenaltyKind.REVOCATION, PenaltyKind.CLOSURE)
SEVERITY = {PenaltyKind.WARNING: 0, PenaltyKind.FINE: 1, PenaltyKind.CONFISCATION: 2, PenaltyKind.SUSPENSION: 3,
            PenaltyKind.REVOCATION: 4, PenaltyKind.CLOSURE: 5}


def today() -> datetime.date:
    return timezone.localdate()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Art. 85: periods of 2, 3, 5 and 7 days are working days (the start day not counted)."""
    return calendar_current().add(start, days)


def is_major(pc: PenaltyCase, penalty_kind: str, fine: Decimal | None) -> bool:
    """重大案件 (法制审核 required, Art. 58): a fine at or above the threshold, revocation, closure, or a
    case after a hearing. The thresholds are settings."""
    threshold = (settings.ENFORCEMENT_MAJOR_FINE_ORGANISATION if pc.party_is_organisation
                 else settings.ENFORCEMENT_MAJOR_FINE_CITIZEN)
    return (penalty_kind in (PenaltyKind.REVOCATION, PenaltyKind.CLOSURE) or pc.hearing_ended_at is not None
            or (fine is not None and fine >= threshold))


def has_hearing_right(pc: PenaltyCase, penalty_kind: str, fine: Decimal | None) -> bool:
    """Art. 63: a large fine, confiscation, suspension, revocation or closure gives a right to a hearing."""
    threshold = (settings.ENFORCEMENT_HEARING_FINE_ORGANISATION if pc.party_is_organisation
                 else settings.ENFORCEMENT_HEARING_FINE_CITIZEN)
    return penalty_kind in (*HEAVY_KINDS, PenaltyKind.CONFISCATION) or (fine is not None and fine >= threshold)


def _pc(case: Any) -> PenaltyCase:
    return PenaltyCase.objects.select_related("power_version").get(case=case)


def investigators_lawful(pc: PenaltyCase, *, on: datetime.date, field: str = "investigators") -> None:
    """Art. 42-43: at least two investigators, each with a valid certificate, none with a declared conflict."""
    officers = list(pc.investigators.select_related("user"))
    if len(officers) < settings.ENFORCEMENT_MIN_INVESTIGATORS:
        raise FieldError(field, _("An investigation needs at least %(n)s enforcement officers with valid "
                                  "certificates (Administrative Penalty Law Art. 42).")
                         % {"n": settings.ENFORCEMENT_MIN_INVESTIGATORS})
    for officer in officers:
        policy.officer_check(officer, on=on, field=field)
        policy.conflict_check(officer, id_number=pc.party_id_number, uscc=pc.party_uscc, field=field)


def _investigators(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    investigators_lawful(_pc(case), on=today())


def _legal_reviewer_independent(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    pc = _pc(case)
    if pc.investigators.filter(user=actor).exists():
        raise FieldError("actor", _("A legal reviewer may not review a case they investigated."))


def _hearing_right(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    """Art. 63-64: only with the right; asked for within 5 working days; noticed 7 working days ahead."""
    pc = _pc(case)
    if not pc.hearing_right:
        raise FieldError("action", _("The prior notice gave no right to a hearing (Administrative Penalty Law "
                                     "Art. 63)."))
    requested = _date(fields.get("requested_on"), "fields.requested_on")
    if pc.hearing_request_until and requested > pc.hearing_request_until:
        raise FieldError("fields.requested_on", _("The hearing was asked for after %(day)s, the last of the 5 "
                                                  "working days.") % {"day": pc.hearing_request_until.isoformat()})
    hearing_at = _date(fields.get("hearing_at"), "fields.hearing_at")
    earliest = add_working_days(today(), settings.ENFORCEMENT_HEARING_NOTICE_WORKING_DAYS)
    if hearing_at < earliest:
        raise FieldError("fields.hearing_at", _("The party must be noticed 7 working days before the hearing: "
                                                "the earliest date is %(day)s.") % {"day": earliest.isoformat()})


def _date(value: Any, field: str) -> datetime.date:
    try:
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FieldError(field, _("Enter a date as YYYY-MM-DD.")) from None


def _decision_lawful(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    pc = _pc(case)
    kind = str(fields.get("penalty") or "")
    fine = Decimal(str(fields["fine"])) if fields.get("fine") not in (None, "") else None
    _statement_period_over(pc, waived=bool(fields.get("defence_waived")))
    if is_major(pc, kind, fine):
        _legal_review_done(pc)
        _discussion_done(pc)
    _not_heavier_than_notice(pc, kind, fine)
    _within_band(pc, str(fields.get("band") or ""), fine, str(fields.get("outside_band_reason") or ""))


def _within_band(pc: PenaltyCase, level: str, fine: Decimal | None, reason: str) -> None:
    """A fine outside the chosen discretion band needs a written reason (自由裁量基准)."""
    if fine is None:
        return
    band = pc.power_version.bands.filter(level=level).first()
    if band is None:
        raise FieldError("fields.band", _("Choose one of the power's discretion bands."))
    outside = band.fine_min is None or band.fine_max is None or not band.fine_min <= fine <= band.fine_max
    if outside and not reason.strip():
        raise FieldError("fields.outside_band_reason", _("The fine lies outside the band (%(lo)s–%(hi)s yuan): "
                                                         "give the reason in writing.")
                         % {"lo": band.fine_min if band.fine_min is not None else "—",
                            "hi": band.fine_max if band.fine_max is not None else "—"})


def _statement_period_over(pc: PenaltyCase, *, waived: bool) -> None:
    if pc.defence_until and today() <= pc.defence_until and not waived:
        raise FieldError("fields.defence_waived", _("The statement and defence period runs until %(day)s; decide "
                                                    "after it or with the party's written waiver.")
                         % {"day": pc.defence_until.isoformat()})


def _legal_review_done(pc: PenaltyCase) -> None:
    if pc.legal_reviewed_at is None or (pc.hearing_ended_at and pc.legal_reviewed_at < pc.hearing_ended_at):
        raise FieldError("action", _("A major case is decided only after the legal review (Administrative "
                                     "Penalty Law Art. 58)."))


def _discussion_done(pc: PenaltyCase) -> None:
    """Art. 57: the heads decide a major case collectively — a discussion recorded after the legal review."""
    held = pc.discussions.all()
    if pc.legal_reviewed_at is not None:
        held = held.filter(created_at__gte=pc.legal_reviewed_at)
    if not held.exists():
        raise FieldError("collective_discussion", _("A major case is decided after the heads' collective "
                                                    "discussion, recorded after the legal review "
                                                    "(Administrative Penalty Law Art. 57)."))


def _payment_overdue(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    """催告 (行政强制法 Art. 54): only once an amount is past its due day."""
    from zhenwu.enforcement.services.payments import next_due

    due = next_due(_pc(case))
    if due is None:
        raise FieldError("action", _("Nothing is owed on this case."))
    if today() <= due:
        raise FieldError("action", _("The amount is due on %(day)s: the party is demanded to pay only after "
                                     "that day.") % {"day": due.isoformat()})


def _court_application(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    """申请法院强制执行: after the remedies' periods and the plan, 10 days after the demand, within 3 months."""
    from zhenwu.enforcement.services.payments import annulled, court_window

    pc = _pc(case)
    if annulled(pc):
        raise FieldError("action", _("The decision was annulled on reconsideration or by a court: nothing is "
                                     "owed."))
    first, last = court_window(pc)
    if today() < first:
        raise FieldError("action", _("The court may be asked from %(day)s: after the periods for reconsideration "
                                     "and a lawsuit (and any approved deferral or instalments), and 10 days after "
                                     "the demand (Administrative Compulsion Law Art. 53, 54).")
                         % {"day": first.isoformat()})
    if today() > last:
        raise FieldError("action", _("The three months to ask the court ended on %(day)s (Administrative "
                                     "Compulsion Law Art. 53).") % {"day": last.isoformat()})


def _closable(*, case: Any, actor: Any, action: str, fields: Any) -> None:
    """结案 of a served case only when nothing is owed (a fine is paid, the court was asked, or the decision was
    annulled on reconsideration or by a court), no reconsideration or lawsuit is pending, and nothing is owed
    back to the party (an annulled or lowered fine it had paid)."""
    from zhenwu.enforcement.services.payments import annulled, pending_remedy, refund_owed

    pc = _pc(case)
    if case.status in ("served", "on_plan", "demanded") and pc.fine and not pc.paid_on and not annulled(pc):
        raise FieldError("action", _("The fine is unpaid: record the payment, or demand it and ask the court, "
                                     "before closing the case."))
    pending = pending_remedy(pc)
    if pending is not None:
        raise FieldError("action", _("The reconsideration or lawsuit filed on %(day)s is still pending: record "
                                     "its end before closing the case.") % {"day": pending.filed_on.isoformat()})
    owed = refund_owed(pc)
    if owed:
        raise FieldError("action", _("%(amount)s yuan is owed back to the party: record the refund before "
                                     "closing the case.") % {"amount": owed})


def _not_heavier_than_notice(pc: PenaltyCase, kind: str, fine: Decimal | None) -> None:
    """Art. 45: the penalty may not be heavier than the notice — not because the party defended itself."""
    noticed = pc.noticed_penalty_kind
    if noticed and SEVERITY.get(PenaltyKind(kind), 0) > SEVERITY.get(PenaltyKind(noticed), 0):
        raise FieldError("fields.penalty", _("The decision may not be heavier than the prior notice "
                                             "(Administrative Penalty Law Art. 45)."))
    if fine is not None and pc.noticed_fine is not None and fine > pc.noticed_fine:
        raise FieldError("fields.fine", _("The fine may not exceed the %(amount)s yuan of the prior notice: a "
                                          "penalty is never raised because the party stated and defended "
                                          "(Administrative Penalty Law Art. 45).") % {"amount": pc.noticed_fine})


def register() -> None:
    guard_register(process.INVESTIGATORS, _investigators)
    guard_register(process.LEGAL_REVIEWER_INDEPENDENT, _legal_reviewer_independent)
    guard_register(process.HEARING_RIGHT, _hearing_right)
    guard_register(process.DECISION_LAWFUL, _decision_lawful)
    guard_register(process.PAYMENT_OVERDUE, _payment_overdue)
    guard_register(process.COURT_APPLICATION, _court_application)
    guard_register(process.CLOSABLE, _closable)
