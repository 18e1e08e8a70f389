"""The money of a decided case: the period to pay, deferral and instalments (Art. 66), the late fee
(Art. 72), the demand (催告) and the window for the application to the court (申请法院强制执行).

Dates only; "today" is the caller's (``guards.today()``). All periods are settings (``ENFORCEMENT_*``):

- to pay: ``ENFORCEMENT_PAYMENT_DAYS`` (15) natural days from service (Art. 67);
- late fee: ``ENFORCEMENT_LATE_FEE_PERCENT_PER_DAY`` (3) % of the amount for each day after its due day,
  the total never more than the fine (Art. 72). An approved deferral moves the due day to its end; with
  instalments each amount has its own due day — an instalment paid on time adds nothing;
- Art. 73 para. 3: the days the party's reconsideration or lawsuit is pending (``Remedy``, from the day it was
  filed to the day it ended, both included) are not counted; a decision annulled leaves nothing owed;
- a fine paid and then annulled or lowered on a remedy is owed back (``refund_owed``; ``services.remedies``);
- the party's remedies: reconsideration ``ENFORCEMENT_REVIEW_DAYS`` (60 days, 行政复议法 Art. 20), a
  lawsuit ``ENFORCEMENT_LAWSUIT_MONTHS`` (6 months, 行政诉讼法 Art. 46), both from service;
- the court may be asked only after those periods (and after an approved plan ends, Art. 72 para. 2),
  at least ``ENFORCEMENT_DEMAND_DAYS`` (10) days after a demand was served (行政强制法 Art. 54), and at the
  latest ``ENFORCEMENT_COURT_APPLICATION_MONTHS`` (3) months after those periods ended (行政强制法 Art. 53);
  the window does not run while a reconsideration or lawsuit is pending: it moves out by the days the party's
  remedies were pending (both days included, one still pending up to today; overlapping ones count once).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings

from zhenwu.enforcement.choices import PaymentPlanKind, PaymentPlanStatus, RemedyOutcome
from zhenwu.enforcement.models import Instalment, PaymentPlan, PenaltyCase, Remedy
from zhenwu.enforcement.services.powers import amount_parse
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

CENT = Decimal("0.01")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Due:
    """An amount due on a day, paid on ``paid_on`` (None: not yet)."""

    amount: Decimal
    due_on: datetime.date
    paid_on: datetime.date | None = None


Pause = tuple[datetime.date, datetime.date | None]  # a reconsideration or lawsuit pending: both days included


def _merged(pauses: Sequence[Pause], *, on: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The pauses as disjoint, sorted spans of days (one still pending runs to ``on``)."""
    spans = sorted((start, end or on) for start, end in pauses if start <= (end or on))
    out: list[tuple[datetime.date, datetime.date]] = []
    for start, end in spans:
        if out and start <= out[-1][1] + datetime.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def paused_days(due_on: datetime.date, until: datetime.date, pauses: Sequence[Pause]) -> int:
    """How many of the days after ``due_on`` up to ``until`` (the days a late fee runs) fall in a pause."""
    first = due_on + datetime.timedelta(days=1)
    return sum(max((min(end, until) - max(start, first)).days + 1, 0)
               for start, end in _merged(pauses, on=until))


def days_late(due: Due, *, on: datetime.date, pauses: Sequence[Pause] = ()) -> int:
    """The days ``due`` was (or, unpaid, is on ``on``) late, less the days of a pending remedy (Art. 73)."""
    until = due.paid_on or on
    return max((until - due.due_on).days - paused_days(due.due_on, until, pauses), 0)


def late_fee_of(fine: Decimal, dues: list[Due], *, on: datetime.date, pauses: Sequence[Pause] = ()) -> Decimal:
    """Art. 72: 3% of each amount for each day it was (or, unpaid, is on ``on``) late; never more than the fine.
    Art. 73 para. 3: the days a reconsideration or lawsuit was pending (``pauses``) are not counted."""
    rate = Decimal(settings.ENFORCEMENT_LATE_FEE_PERCENT_PER_DAY) * CENT
    total = sum((d.amount * rate * days_late(d, on=on, pauses=pauses) for d in dues), Decimal(0))
    return min(total, fine).quantize(CENT)


def first_due(served_on: datetime.date) -> datetime.date:
    """The last day of the 15 days to pay (Art. 67)."""
    return served_on + datetime.timedelta(days=settings.ENFORCEMENT_PAYMENT_DAYS)


def approved_plan(row: PenaltyCase) -> PaymentPlan | None:
    return row.payment_plans.filter(status=PaymentPlanStatus.APPROVED).order_by("-id").first()


def pending_plan(row: PenaltyCase) -> PaymentPlan | None:
    return row.payment_plans.filter(status=PaymentPlanStatus.REQUESTED).order_by("-id").first()


def remedy_pauses(row: PenaltyCase) -> list[Pause]:
    """The days the party's reconsiderations and lawsuits were (or are) pending (Art. 73 para. 3)."""
    return [(r.filed_on, r.ended_on) for r in row.remedies.all()]


def pending_remedy(row: PenaltyCase) -> Remedy | None:
    return row.remedies.filter(ended_on__isnull=True).order_by("-id").first()


def refunds_owing(row: PenaltyCase) -> list[Remedy]:
    """The remedies whose outcome owes the party a refund not yet recorded as made."""
    return list(row.remedies.filter(refund__gt=0, refunded_on__isnull=True).order_by("id"))


def refund_owed(row: PenaltyCase) -> Decimal:
    """What the case owes the party back (an annulled or lowered fine it had paid), not yet refunded."""
    return sum((r.refund or Decimal(0) for r in refunds_owing(row)), Decimal(0)).quantize(CENT)


def annulled(row: PenaltyCase) -> bool:
    """The decision was annulled on reconsideration or by a court: nothing is owed under it."""
    return row.remedies.filter(outcome=RemedyOutcome.ANNULLED).exists()


def dues(row: PenaltyCase, *, paid_on: datetime.date | None = None) -> list[Due]:
    """What the party owes and when: the fine by the 15th day, by the deferral's end, or per instalment;
    ``paid_on`` is the day of a payment of everything still open. Nothing once the decision was annulled."""
    if not row.fine or not row.served_on or annulled(row):
        return []
    plan = approved_plan(row)
    if plan is None:
        return [Due(row.fine, first_due(row.served_on), row.paid_on or paid_on)]
    if plan.kind == PaymentPlanKind.DEFERRAL:
        assert plan.deferred_until is not None
        return [Due(row.fine, plan.deferred_until, row.paid_on or paid_on)]
    return [Due(i.amount, i.due_on, i.paid_on or paid_on) for i in plan.instalments.all()]


def next_due(row: PenaltyCase) -> datetime.date | None:
    """The day by which the next open amount must be paid (None: nothing is owed)."""
    days = [d.due_on for d in dues(row) if d.paid_on is None]
    return min(days) if days else None


def plan_end(plan: PaymentPlan) -> datetime.date:
    if plan.kind == PaymentPlanKind.DEFERRAL:
        assert plan.deferred_until is not None
        return plan.deferred_until
    return max(i.due_on for i in plan.instalments.all())


def late_fee_now(row: PenaltyCase, *, on: datetime.date) -> Decimal:
    """The late fee as it stands on ``on`` (what the party would owe besides the fine if paying that day)."""
    if row.paid_on:
        return row.late_fee
    return late_fee_of(row.fine, dues(row), on=on, pauses=remedy_pauses(row)) if row.fine else Decimal(0)


def late_fee_paused(row: PenaltyCase, *, on: datetime.date) -> int:
    """The days after the first due day (up to the payment, or ``on``) on which no late fee ran because a
    reconsideration or lawsuit was pending."""
    owed = dues(row)
    if not owed:
        return 0
    first = min(d.due_on for d in owed)
    return paused_days(first, row.paid_on or on, remedy_pauses(row))


@dataclass(frozen=True)
class Owed:
    """What is owed on ``on``: the open amounts, the late fee so far, and their sum."""

    open_amount: Decimal
    late_fee: Decimal
    total: Decimal
    paused_days: int


def owed_on(row: PenaltyCase, *, on: datetime.date) -> Owed:
    """The open amounts and the late fee as they stand on ``on`` (the demand's and the application's figures)."""
    owed = [Due(d.amount, d.due_on, d.paid_on if d.paid_on and d.paid_on <= on else None) for d in dues(row)]
    open_amount = sum((d.amount for d in owed if d.paid_on is None), Decimal(0))
    fee = late_fee_of(row.fine, owed, on=on, pauses=remedy_pauses(row)) if row.fine and owed else Decimal(0)
    fee = min(fee, row.fine or Decimal(0)).quantize(CENT)
    return Owed(open_amount.quantize(CENT), fee, (open_amount + fee).quantize(CENT),
                late_fee_paused(row, on=on))


def _date(value: Any, field: str) -> datetime.date:
    try:
        return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FieldError(field, _("Enter a date as YYYY-MM-DD.")) from None


def plan_request(*, row: PenaltyCase, fields: dict[str, Any], actor: Any, today: datetime.date) -> PaymentPlan:
    """暂缓或者分期缴纳的申请 (Art. 66), recorded by an officer: checked, then waiting for the leader.

    Asked for within the 15 days to pay; a deferral ends after them; instalments (2 up to the setting)
    fall due on increasing days and add up to the fine exactly. Every fault is a 400 on its field."""
    if not row.fine or not row.served_on:
        raise FieldError("action", _("There is no fine to defer or pay in instalments."))
    kind = str(fields.get("kind") or "")
    if kind not in PaymentPlanKind.values:
        raise FieldError("fields.kind", _("Choose deferral or instalments."))
    requested_on = _date(fields.get("requested_on") or today, "fields.requested_on")
    due = first_due(row.served_on)
    if not row.served_on <= requested_on <= min(today, due):
        raise FieldError("fields.requested_on", _("A deferral or instalments are asked for within the period to "
                                                  "pay, from %(start)s to %(end)s (Administrative Penalty Law "
                                                  "Art. 66, 67).") % {"start": row.served_on.isoformat(),
                                                                      "end": due.isoformat()})
    fields["requested_on"] = requested_on.isoformat()
    plan = PaymentPlan(penalty_case=row, kind=kind, reason=str(fields.get("reason") or "").strip(),
                       requested_on=requested_on, requested_by=actor)
    schedule: list[tuple[datetime.date, Decimal]] = []
    if kind == PaymentPlanKind.DEFERRAL:
        until = _date(fields.get("until"), "fields.until")
        if until <= due:
            raise FieldError("fields.until", _("A deferral ends after %(day)s, the last of the days to pay.")
                             % {"day": due.isoformat()})
        plan.deferred_until = until
        fields["until"] = until.isoformat()
    else:
        schedule = _schedule(fields.get("instalments"), fine=row.fine, start=requested_on)
        fields["instalments"] = [{"due_on": d.isoformat(), "amount": str(a)} for d, a in schedule]
    plan.save()
    Instalment.objects.bulk_create([Instalment(plan=plan, seq=n, due_on=d, amount=a)
                                    for n, (d, a) in enumerate(schedule, start=1)])
    return plan


def _schedule(value: Any, *, fine: Decimal, start: datetime.date) -> list[tuple[datetime.date, Decimal]]:
    if not isinstance(value, list) or not 2 <= len(value) <= settings.ENFORCEMENT_MAX_INSTALMENTS:
        raise FieldError("fields.instalments", _("Give 2 to %(max)s instalments, each with due_on and amount.")
                         % {"max": settings.ENFORCEMENT_MAX_INSTALMENTS})
    out: list[tuple[datetime.date, Decimal]] = []
    for n, item in enumerate(value):
        where = f"fields.instalments[{n}]"
        if not isinstance(item, dict):
            raise FieldError(where, _("Give 2 to %(max)s instalments, each with due_on and amount.")
                             % {"max": settings.ENFORCEMENT_MAX_INSTALMENTS})
        day = _date(item.get("due_on"), f"{where}.due_on")
        amount, message = amount_parse(item.get("amount"), "amount")
        if message or amount is None or amount <= 0:
            raise FieldError(f"{where}.amount", message or _("Enter an amount above zero."))
        if day < start or (out and day <= out[-1][0]):
            raise FieldError(f"{where}.due_on", _("Instalments fall due on increasing days, not before the "
                                                  "request."))
        out.append((day, amount))
    if sum(a for _d, a in out) != fine:
        raise FieldError("fields.instalments", _("The instalments add up to %(sum)s yuan, not the fine of %(fine)s "
                                                 "yuan.") % {"sum": sum(a for _d, a in out), "fine": fine})
    return out


def remedies_end(served_on: datetime.date) -> datetime.date:
    """The last day the party may still ask for reconsideration or sue (the later of the two periods)."""
    return max(served_on + datetime.timedelta(days=settings.ENFORCEMENT_REVIEW_DAYS),
               add_months(served_on, settings.ENFORCEMENT_LAWSUIT_MONTHS))


def remedy_days(pauses: Sequence[Pause], *, on: datetime.date) -> int:
    """How many days the remedies were pending, both days included (one still pending up to ``on``), the days
    of overlapping ones counted once."""
    return sum((end - start).days + 1 for start, end in _merged(pauses, on=on))


def court_window(row: PenaltyCase, *, on: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(first, last) day the court may be asked to enforce an unpaid fine (see the module's text); ``on``
    (default today) is where a remedy still pending is counted to."""
    from zhenwu.enforcement.guards import today

    assert row.served_on is not None
    periods_end = remedies_end(row.served_on)
    plan = approved_plan(row)
    if plan is not None:
        periods_end = max(periods_end, plan_end(plan))
    # 行政强制法 Art. 53: the window does not run while the party's reconsideration or lawsuit is pending
    moved = datetime.timedelta(days=remedy_days(remedy_pauses(row), on=on or today()))
    first = periods_end + datetime.timedelta(days=1) + moved
    if row.demand_served_on:
        first = max(first, row.demand_served_on + datetime.timedelta(days=settings.ENFORCEMENT_DEMAND_DAYS))
    return first, add_months(periods_end, settings.ENFORCEMENT_COURT_APPLICATION_MONTHS) + moved
