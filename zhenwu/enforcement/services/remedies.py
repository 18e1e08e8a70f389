"""The party's reconsideration (行政复议) or lawsuit (行政诉讼) against a decision, recorded on the case.

- ``file_remedy`` (officer, from served / plan_review / on_plan / demanded / paid — the party may seek
  reconsideration within 60 days or sue within 6 months of service whether or not it paid, and while its
  request for a deferral or instalments waits for the leader): the kind, the body that took it (复议机关 or the
  court) and the day it was filed. The case waits in 复议/诉讼中 (``remedy``, a pause of the kernel): the decision
  is still carried out (Art. 73 para. 1: the fine may be paid, whole or by its approved instalments), but the
  late fee does not run (para. 3). A closed case (结案, its file archived) or one whose court was asked to
  enforce is refused with the reason (``cases._remedy_refused``); one remedy is pending at a time.
- ``resume`` out of ``remedy`` (leader): the day it ended and the outcome — upheld, annulled, or changed (with
  the changed fine, never more than before). An annulled or changed decision is marked overturned on its
  publication (``publicity.publication_overturned_by_remedy``): the leader withdraws it within 3 working days
  (Art. 48); one not yet published is never published. ``resume`` returns the case to the state it was
  filed from (the kernel's ``Case.paused_from``): served, plan_review, on_plan, demanded or paid.
- ``end_remedy`` on 已缴款 (leader): the same end, with the same checks and effects, of a remedy that was still
  pending when the whole fine was paid (``pay`` out of ``remedy`` leaves the pause with the remedy open).
- The filing's day is checked against the party's periods, counted from the decision's service: a
  reconsideration within ``ENFORCEMENT_REVIEW_DAYS`` (60 days, 行政复议法 Art. 20), a lawsuit within
  ``ENFORCEMENT_LAWSUIT_MONTHS`` (6 months, 行政诉讼法 Art. 46) or, after a reconsideration decision, within
  ``ENFORCEMENT_LAWSUIT_AFTER_REVIEW_DAYS`` of it (15 days, Art. 45) if that is later; a late one is refused
  naming the last day.
- 退还: an outcome that annuls or lowers a fine the party already paid owes it back what it paid beyond what the
  decision now asks — everything when annulled (the fine and its late fee, or the instalments paid so far);
  when lowered, the difference of the fine and of the late fee, which follows the fine (3% of it a day, at most
  it: the fee on the lower fine is the paid fee in the same proportion). The amount is computed on the end
  (``Remedy.refund``); the officer's ``refund`` records the refund made (the day, exactly that amount, the
  voucher's number), and the case is closed only once nothing is owed back (``guards._closable``).

The days from filing to the end (both included) are left out of the late fee (``payments.late_fee_of``) and
move the window to ask the court (``payments.court_window``).
Called from ``cases._prepare`` inside the step's transaction; every fault is a 400 on its field.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from zhenwu.accounts.models import User
from zhenwu.enforcement.choices import OverturnKind, PaymentPlanKind, RemedyKind, RemedyOutcome
from zhenwu.enforcement.guards import _date
from zhenwu.enforcement.models import PenaltyCase, Remedy
from zhenwu.enforcement.services import payments
from zhenwu.enforcement.services.powers import amount_parse
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

OVERTURNS: dict[tuple[str, str], str] = {
    (RemedyKind.RECONSIDERATION, RemedyOutcome.ANNULLED): OverturnKind.RECONSIDERATION_REVOKED,
    (RemedyKind.RECONSIDERATION, RemedyOutcome.CHANGED): OverturnKind.RECONSIDERATION_CHANGED,
    (RemedyKind.LAWSUIT, RemedyOutcome.ANNULLED): OverturnKind.LITIGATION_REVOKED,
    (RemedyKind.LAWSUIT, RemedyOutcome.CHANGED): OverturnKind.LITIGATION_CHANGED,
}


def _day(fields: dict[str, Any], name: str, *, start: datetime.date, today: datetime.date,
         message: str) -> datetime.date:
    day = _date(fields.get(name), f"fields.{name}")
    if day > today or day < start:
        raise FieldError(f"fields.{name}", message % {"start": start.isoformat(), "today": today.isoformat()})
    fields[name] = day.isoformat()
    return day


def remedy_file(*, row: PenaltyCase, fields: dict[str, Any], today: datetime.date) -> Remedy:
    """A reconsideration or lawsuit filed: from the decision's service (or the end of the last one) to today."""
    kind = str(fields.get("kind") or "")
    if kind not in RemedyKind.values:
        raise FieldError("fields.kind", _("Choose administrative reconsideration or an administrative lawsuit."))
    body = str(fields.get("body") or "").strip()
    if not body:
        raise FieldError("fields.body", _("Name the reconsideration body or the court."))
    if payments.annulled(row):
        raise FieldError("action", _("The decision was annulled on reconsideration or by a court: nothing is "
                                     "owed."))
    pending = payments.pending_remedy(row)
    if pending is not None:  # paid while it was pending: the case left the pause
        raise FieldError("action", _("A reconsideration or lawsuit filed on %(day)s is still pending on this "
                                     "case.") % {"day": pending.filed_on.isoformat()})
    assert row.served_on is not None
    ends = [r.ended_on for r in row.remedies.all() if r.ended_on is not None]
    start = max([row.served_on, *ends])
    filed_on = _day(fields, "filed_on", start=start, today=today,
                    message=_("The day the reconsideration or lawsuit was filed is a day from %(start)s (the "
                              "service of the decision, or the end of the last one) to today, %(today)s."))
    last, after_review = filing_last_day(kind, row.served_on, _reviews_ended(row))
    if filed_on > last:
        if kind == RemedyKind.RECONSIDERATION:
            message = _("A reconsideration is applied for within %(n)s days of the service of the decision "
                        "(Administrative Reconsideration Law Art. 20): the last day was %(last)s.")
            n = settings.ENFORCEMENT_REVIEW_DAYS
        elif after_review:
            message = _("After the reconsideration decision a lawsuit is brought within %(n)s days of receiving "
                        "it (Administrative Litigation Law Art. 45): the last day was %(last)s.")
            n = settings.ENFORCEMENT_LAWSUIT_AFTER_REVIEW_DAYS
        else:
            message = _("A lawsuit is brought within %(n)s months of the service of the decision (Administrative "
                        "Litigation Law Art. 46): the last day was %(last)s.")
            n = settings.ENFORCEMENT_LAWSUIT_MONTHS
        raise FieldError("fields.filed_on", message % {"n": n, "last": last.isoformat()})
    fields["kind"], fields["body"] = kind, body[:200]
    return Remedy.objects.create(penalty_case=row, kind=kind, body=body[:200], filed_on=filed_on)


def filing_last_day(kind: str, served_on: datetime.date,
                    reviews_ended: list[datetime.date] | None = None) -> tuple[datetime.date, bool]:
    """The last day ``kind`` may be filed, and whether Art. 45 gave it: 60 days (reconsideration) or 6 months
    (lawsuit) after service; a lawsuit after a reconsideration decision also within 15 days of it (行政诉讼法
    Art. 45), whichever is later (``reviews_ended``: the days the case's reconsiderations ended)."""
    if kind == RemedyKind.RECONSIDERATION:
        return served_on + datetime.timedelta(days=settings.ENFORCEMENT_REVIEW_DAYS), False
    last = payments.add_months(served_on, settings.ENFORCEMENT_LAWSUIT_MONTHS)
    after = max(reviews_ended or [], default=None)
    if after is not None and after + datetime.timedelta(days=settings.ENFORCEMENT_LAWSUIT_AFTER_REVIEW_DAYS) > last:
        return after + datetime.timedelta(days=settings.ENFORCEMENT_LAWSUIT_AFTER_REVIEW_DAYS), True
    return last, False


def _reviews_ended(row: PenaltyCase) -> list[datetime.date]:
    return [r.ended_on for r in row.remedies.all() if r.kind == RemedyKind.RECONSIDERATION and r.ended_on]


def remedy_end(*, actor: User, row: PenaltyCase, fields: dict[str, Any], today: datetime.date) -> Remedy:
    """The reconsideration or lawsuit ended: the day (from its filing to today) and the outcome."""
    remedy = payments.pending_remedy(row)
    if remedy is None:
        raise FieldError("action", _("No reconsideration or lawsuit is pending on this case."))
    ended_on = _day(fields, "ended_on", start=remedy.filed_on, today=today,
                    message=_("The day the reconsideration or lawsuit ended is a day from %(start)s (the day it "
                              "was filed) to today, %(today)s."))
    outcome = str(fields.get("outcome") or "")
    if outcome not in RemedyOutcome.values:
        raise FieldError("fields.outcome", _("Choose the outcome: upheld, annulled or changed."))
    fine_before, fee_before = row.fine or Decimal(0), row.late_fee or Decimal(0)
    if outcome == RemedyOutcome.CHANGED and fields.get("fine") not in (None, ""):
        _fine_changed(row, remedy, fields)
    remedy.ended_on, remedy.outcome = ended_on, outcome
    remedy.refund = _refund_owed_by(row, outcome, fine_before, fee_before)
    remedy.save()
    overturn = OVERTURNS.get((remedy.kind, outcome))
    if overturn is not None:
        from zhenwu.enforcement.services.publicity import publication_overturned_by_remedy

        publication_overturned_by_remedy(actor=actor, row=row, overturn_kind=overturn, day=ended_on)
    return remedy


def _fine_changed(row: PenaltyCase, remedy: Remedy, fields: dict[str, Any]) -> None:
    """变更: the fine as changed — above zero and not more than before (a remedy never makes it heavier)."""
    fine, message = amount_parse(fields.get("fine"), "fine")
    if message or fine is None or fine <= 0:
        raise FieldError("fields.fine", message or _("Enter an amount above zero."))
    if not row.fine or fine > row.fine:
        raise FieldError("fields.fine", _("The changed fine may not exceed the %(amount)s yuan of the decision.")
                         % {"amount": row.fine or 0})
    plan = payments.approved_plan(row)
    if plan is not None and plan.kind == PaymentPlanKind.INSTALMENTS and fine != row.fine and not row.paid_on:
        raise FieldError("fields.fine", _("The fine is paid in approved instalments: their amounts cannot be "
                                          "changed here."))
    remedy.fine_before, row.fine = row.fine, fine
    fields["fine"] = str(fine)


def _refund_owed_by(row: PenaltyCase, outcome: str, fine_before: Decimal, fee_before: Decimal) -> Decimal | None:
    """What the party paid beyond what the decision now asks (None: nothing); ``row.late_fee`` follows a lower
    fine of a paid case (see the module's text)."""
    if row.paid_on:
        if outcome == RemedyOutcome.ANNULLED:
            owed = fine_before + fee_before
        elif outcome == RemedyOutcome.CHANGED and row.fine is not None and row.fine < fine_before:
            fee = (fee_before * row.fine / fine_before).quantize(payments.CENT)
            owed = fine_before - row.fine + fee_before - fee
            row.late_fee = fee
        else:
            owed = Decimal(0)
    elif outcome == RemedyOutcome.ANNULLED:  # instalments paid before the decision was annulled
        plan = payments.approved_plan(row)
        owed = sum((i.amount for i in plan.instalments.all() if i.paid_on), Decimal(0)) if plan else Decimal(0)
    else:
        owed = Decimal(0)
    return owed.quantize(payments.CENT) if owed > 0 else None


def refund_record(*, row: PenaltyCase, fields: dict[str, Any], today: datetime.date) -> list[Remedy]:
    """退还 made: the day (from the end of the remedy that made it owed to today), the amount — exactly what is
    owed — and the voucher's number; every refund still owed on the case is settled by it."""
    owing = payments.refunds_owing(row)
    if not owing:
        raise FieldError("action", _("Nothing is to be refunded on this case: a refund is owed only when a "
                                     "reconsideration or lawsuit annulled or lowered a fine already paid."))
    owed = sum((r.refund or Decimal(0) for r in owing), Decimal(0))
    start = max(r.ended_on for r in owing if r.ended_on is not None)
    refunded_on = _day(fields, "refunded_on", start=start, today=today,
                       message=_("The day of the refund is a day from %(start)s (the end of the reconsideration or "
                                 "lawsuit) to today, %(today)s."))
    amount, message = amount_parse(fields.get("amount"), "amount")
    if message or amount is None:
        raise FieldError("fields.amount", message or _("Enter the amount refunded."))
    if amount != owed:
        raise FieldError("fields.amount", _("The refund owed is %(owed)s yuan: record the refund of exactly that "
                                            "amount.") % {"owed": owed})
    reference = str(fields.get("reference") or "").strip()
    if not reference:
        raise FieldError("fields.reference", _("Enter the number of the refund voucher."))
    fields["amount"], fields["reference"] = str(amount), reference[:100]
    for r in owing:
        r.refunded_on, r.refund_reference = refunded_on, reference[:100]
        r.save(update_fields=["refunded_on", "refund_reference"])
    return owing
