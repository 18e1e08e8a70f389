"""福村宝: a village's mutual-aid year — disease groups, enrolment, the fund, claims computed by rate and
caps, payments out of the fund (never more than it holds), and the ledger the public page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.assistance import policy_warnings as policy
from zhenwu.assistance.choices_warnings import ClaimStatus, FundSource, MutualAidYearStatus
from zhenwu.assistance.models import Claim, DiseaseGroup, Enrolment, FundEntry, MutualAidYear
from zhenwu.casework.services import audit_record
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.models import Resident

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("99999999.99")


def _money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError as exc:
        raise FieldError(field, _("Enter an amount in yuan, e.g. 1234.50.")) from exc
    if not amount.is_finite():
        raise FieldError(field, _("Enter an amount in yuan, e.g. 1234.50."))
    if amount < 0 or (positive and amount == 0):
        raise FieldError(field, _("The amount must be more than zero.") if positive
                         else _("The amount cannot be negative."))
    if amount > MAX_AMOUNT:
        raise FieldError(field, _("The amount is too large."))
    if amount != amount.quantize(CENT):
        raise FieldError(field, _("Enter at most two decimal places."))
    return amount.quantize(CENT)


def _audit(actor: User, year: MutualAidYear, action: str, **data: Any) -> None:
    audit_record(subject=f"assistance.mutualaid:{year.pk}", actor=actor, action=action,
                 data={k: str(v) for k, v in data.items()})


def _open(year: MutualAidYear) -> None:
    if year.status != MutualAidYearStatus.OPEN:
        raise FieldError("year", _("This mutual-aid year is closed."))


def _day(value: dt.date | None, field: str) -> dt.date:
    day = value or timezone.localdate()
    if day > timezone.localdate():
        raise FieldError(field, _("The date cannot be in the future."))
    return day


@transaction.atomic
def year_open(*, actor: User, village_code: str, year: int, contribution: Any = None,
              person_cap: Any = None) -> MutualAidYear:
    """Open a village's year (civil affairs), with the settings' contribution and cap unless given."""
    village = Area.objects.filter(code=village_code, level=AreaLevel.VILLAGE).first()
    if village is None:
        raise FieldError("village", _("No such village."))
    policy.check_roll(actor, village.code, manager_only=True)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise FieldError("year", _("Enter a year between 2000 and next year."))
    row = MutualAidYear(village=village, area_code=village.code, year=year, created_by=actor,
                        contribution=_money(settings.ASSISTANCE_MUTUAL_AID_CONTRIBUTION if contribution is None
                                            else contribution, "contribution", positive=True),
                        person_cap=_money(settings.ASSISTANCE_MUTUAL_AID_PERSON_CAP if person_cap is None
                                          else person_cap, "person_cap", positive=True))
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise FieldError("year", _("This village already has a mutual-aid year %(year)d.") % {"year": year}) from exc
    _audit(actor, row, "mutual_aid_year_open", contribution=row.contribution, person_cap=row.person_cap)
    return row


@transaction.atomic
def group_add(*, actor: User, year: MutualAidYear, code: str, name: str, rate: Any, cap: Any,
              deductible: Any = 0) -> DiseaseGroup:
    """A disease group of the year: its reimbursement rate (0 < rate ≤ 1) and its cap per person."""
    policy.check_roll(actor, year.area_code, manager_only=True)
    _open(year)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or len(code) > 16:
        raise FieldError("code", _("Enter a code of at most 16 characters."))
    if not name or len(name) > 50:
        raise FieldError("name", _("Enter a name of at most 50 characters."))
    try:
        share = Decimal(str(rate))
    except ArithmeticError as exc:
        raise FieldError("rate", _("Enter the rate as a fraction between 0 and 1, e.g. 0.6.")) from exc
    if not share.is_finite() or not Decimal(0) < share <= Decimal(1) or share != share.quantize(Decimal("0.001")):
        raise FieldError("rate", _("Enter the rate as a fraction between 0 and 1, e.g. 0.6."))
    group = DiseaseGroup(year=year, code=code, name=name, rate=share, cap=_money(cap, "cap", positive=True),
                         deductible=_money(deductible, "deductible"))
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError as exc:
        raise FieldError("code", _("This year already has a disease group with this code.")) from exc
    _audit(actor, year, "mutual_aid_group_add", code=code, rate=share, cap=group.cap)
    return group


@transaction.atomic
def enrol(*, actor: User, year: MutualAidYear, person: Resident, contribution: Any = None,
          enrolled_on: dt.date | None = None) -> Enrolment:
    """Voluntary enrolment of a villager, with the contribution paid (the year's, unless given)."""
    policy.check_roll(actor, year.area_code)
    _open(year)
    if not person.area_code.startswith(year.area_code):
        raise FieldError("person", _("This person does not live in the village."))
    amount = year.contribution if contribution is None else _money(contribution, "contribution", positive=True)
    row = Enrolment(year=year, person=person, contribution=amount, enrolled_on=_day(enrolled_on, "enrolled_on"),
                    enrolled_by=actor)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise FieldError("person", _("This person is enrolled in this year already.")) from exc
    _audit(actor, year, "mutual_aid_enrol", person=person.pk, contribution=amount)
    return row


@transaction.atomic
def fund_add(*, actor: User, year: MutualAidYear, source: str, amount: Any, donor: str = "",
             received_on: dt.date | None = None, note: str = "") -> FundEntry:
    """Village money or a donation paid into the fund."""
    policy.check_roll(actor, year.area_code)
    _open(year)
    if source not in FundSource.values:
        raise FieldError("source", _("Choose one of the allowed values."))
    donor = (donor or "").strip()
    if source == FundSource.DONATION and not donor:
        raise FieldError("donor", _("Name the donor."))
    if len(donor) > 100 or len(note or "") > 200:
        raise FieldError("donor" if len(donor) > 100 else "note", _("The text is too long."))
    row = FundEntry.objects.create(year=year, source=source, amount=_money(amount, "amount", positive=True),
                                   donor=donor, received_on=_day(received_on, "received_on"),
                                   note=(note or "").strip(), recorded_by=actor)
    _audit(actor, year, "mutual_aid_fund_add", source=source, amount=row.amount)
    return row


# --- claims ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimCalc:
    amount: Decimal
    breakdown: dict[str, Any]


def claim_compute(*, group: DiseaseGroup, person_cap: Decimal, eligible: Decimal, used_in_group: Decimal,
                  used_in_year: Decimal) -> ClaimCalc:
    """(eligible − deductible) × rate, then the group's cap left for the person, then the year's cap left.
    Pure: every input and each cap applied is in the breakdown."""
    base = max(eligible - group.deductible, ZERO)
    by_rate = (base * group.rate).quantize(CENT, rounding=ROUND_HALF_UP)
    group_left = max(group.cap - used_in_group, ZERO)
    year_left = max(person_cap - used_in_year, ZERO)
    amount = min(by_rate, group_left, year_left)
    applied = [name for name, left in (("group_cap", group_left), ("person_cap", year_left))
               if left < by_rate and left == amount]
    return ClaimCalc(amount, {
        "eligible": str(eligible), "deductible": str(group.deductible), "rate": str(group.rate),
        "by_rate": str(by_rate), "group_cap": str(group.cap), "used_in_group": str(used_in_group),
        "group_left": str(group_left), "person_cap": str(person_cap), "used_in_year": str(used_in_year),
        "year_left": str(year_left), "caps_applied": applied, "amount": str(amount)})


def _used(enrolment: Enrolment, group: DiseaseGroup | None = None) -> Decimal:
    rows = Claim.objects.filter(enrolment=enrolment).exclude(status=ClaimStatus.REJECTED)
    if group is not None:
        rows = rows.filter(group=group)
    return rows.aggregate(s=Sum("amount"))["s"] or ZERO


@transaction.atomic
def claim_file(*, actor: User, year: MutualAidYear, enrolment: Enrolment, group: DiseaseGroup, eligible: Any,
               treated_on: dt.date) -> Claim:
    """A claim of an enrolled villager, its amount computed now against what the person has claimed so far."""
    policy.check_roll(actor, year.area_code)
    _open(year)
    # the enrolment's row lock: two claims of one person are computed one after the other
    enrolment = Enrolment.objects.select_for_update().filter(pk=enrolment.pk, year=year).first()  # type: ignore[assignment]
    if enrolment is None:
        raise FieldError("enrolment", _("This person is not enrolled in this year."))
    if group.year_id != year.pk:
        raise FieldError("group", _("Choose a disease group of this year."))
    if treated_on is None or treated_on.year != year.year or treated_on > timezone.localdate():
        raise FieldError("treated_on", _("The treatment must fall in the year and not in the future."))
    if treated_on < enrolment.enrolled_on:
        raise FieldError("treated_on", _("The treatment was before the person enrolled."))
    cost = _money(eligible, "eligible", positive=True)
    calc = claim_compute(group=group, person_cap=year.person_cap, eligible=cost,
                         used_in_group=_used(enrolment, group), used_in_year=_used(enrolment))
    claim = Claim.objects.create(year=year, enrolment=enrolment, group=group, treated_on=treated_on, eligible=cost,
                                 amount=calc.amount, breakdown=calc.breakdown, filed_by=actor)
    _audit(actor, year, "mutual_aid_claim_file", claim=claim.pk, amount=calc.amount)
    return claim


def fund_totals(year: MutualAidYear) -> dict[str, Decimal]:
    """Money in (village, donations, contributions), paid out, committed (filed, not paid) and the balance."""
    by_source = dict(FundEntry.objects.filter(year=year).values_list("source").annotate(s=Sum("amount")))
    contributions = Enrolment.objects.filter(year=year).aggregate(s=Sum("contribution"))["s"] or ZERO
    claims = Claim.objects.filter(year=year).aggregate(
        paid=Sum("amount", filter=Q(status=ClaimStatus.PAID)), filed=Sum("amount", filter=Q(status=ClaimStatus.FILED)))
    village = by_source.get(FundSource.VILLAGE) or ZERO
    donations = by_source.get(FundSource.DONATION) or ZERO
    income = village + donations + contributions
    paid = claims["paid"] or ZERO
    return {"village": village, "donations": donations, "contributions": contributions, "income": income,
            "paid": paid, "filed": claims["filed"] or ZERO, "balance": income - paid}


def _claim_locked(actor: User, claim: Claim) -> Claim:
    row = Claim.objects.select_for_update().select_related("year").filter(pk=claim.pk).first()
    if row is None:
        raise NotFound(_("No such claim."))
    policy.check_roll(actor, row.year.area_code, manager_only=True)
    if row.status != ClaimStatus.FILED:
        raise FieldError("status", _("This claim has been decided already."))
    return row


@transaction.atomic
def claim_pay(*, actor: User, claim: Claim, paid_on: dt.date | None = None, reference: str = "") -> Claim:
    """Pay a filed claim out of the fund (civil affairs); refused when the fund's balance is short."""
    # the year's row lock: two payments of one fund are checked against the balance one after the other
    MutualAidYear.objects.select_for_update().filter(pk=claim.year_id).first()
    claim = _claim_locked(actor, claim)
    balance = fund_totals(claim.year)["balance"]
    if claim.amount > balance:
        raise FieldError("amount", _("The fund holds %(balance)s yuan, less than this claim.") % {"balance": balance})
    if len(reference or "") > 64:
        raise FieldError("reference", _("The text is too long."))
    claim.status, claim.paid_on, claim.payment_reference, claim.decided_by = (
        ClaimStatus.PAID, _day(paid_on, "paid_on"), (reference or "").strip(), actor)
    claim.save(update_fields=["status", "paid_on", "payment_reference", "decided_by"])
    _audit(actor, claim.year, "mutual_aid_claim_pay", claim=claim.pk, amount=claim.amount)
    return claim


@transaction.atomic
def claim_reject(*, actor: User, claim: Claim, reason: str) -> Claim:
    """Reject a filed claim, with the reason; its amount no longer counts against the caps."""
    claim = _claim_locked(actor, claim)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise FieldError("reason", _("Give the reason (at most 200 characters)."))
    claim.status, claim.reject_reason, claim.decided_by = ClaimStatus.REJECTED, reason, actor
    claim.save(update_fields=["status", "reject_reason", "decided_by"])
    _audit(actor, claim.year, "mutual_aid_claim_reject", claim=claim.pk)
    return claim
