"""Monthly payment lists per village (issue 13 §5): drawn from the grants, approved by the town, exported for the
bank.

A list for a village and a month holds every grant whose period covers the month. A household whose status
ended (its file's status is no longer the grant's category, since the month's first day or before) is a stop:
it is listed with 0 and, when the town approves the list, its grant is stopped after the month before. A
household without a bank account is held (listed, not paid, not exported). A draft may be drawn up again; an
approved list never changes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from stdnum.cn import ric

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.assistance import policy_calc as policy
from zhenwu.assistance.calc import ZERO
from zhenwu.assistance.choices import AssistanceStatus
from zhenwu.assistance.choices_calc import PaymentLineStatus, PaymentListStatus
from zhenwu.assistance.models import AssistanceFile, Grant, PayeeAccount, PaymentLine, PaymentList
from zhenwu.assistance.services.grants import grant_stop, month_first
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import Conflict, FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.sheets import safe_row

ACCOUNT_DIGITS = (12, 30)


def month_clean(raw: Any, *, name: str = "month") -> dt.date:
    """``YYYY-MM`` (or a date) → the month's first day; a 400 on ``name`` otherwise."""
    if isinstance(raw, dt.date):
        return month_first(raw)
    text = str(raw or "").strip()
    try:
        year, month = text.split("-")[:2] if text.count("-") in (1, 2) else ("", "")
        return dt.date(int(year), int(month), 1)
    except ValueError:
        raise FieldError(name, _("Enter a month as YYYY-MM.")) from None


def _village(code: str) -> str:
    from zhenwu.areas.choices import AreaLevel
    from zhenwu.areas.models import Area

    code = (code or "").strip()
    if len(code) != policy.VILLAGE_CODE_LENGTH or not Area.objects.filter(code=code, level=AreaLevel.VILLAGE).exists():
        raise FieldError("village", _("Give the code of a village or community."))
    return code


# --- drawing up ---------------------------------------------------------------------------------------------

def payments_draw(*, actor: User, village_code: str, month: dt.date, request_id: str = "") -> PaymentList:
    """Draw up (or again, while a draft) the village's list for ``month`` from the grants covering it."""
    village_code = _village(village_code)
    policy.check_payment_draw(actor, village_code)
    month = month_first(month)
    if month > month_first(timezone.localdate()):
        raise FieldError("month", _("A payment list is drawn up in its month or later, not before."))
    with transaction.atomic():
        plist, created = PaymentList.objects.select_for_update().get_or_create(
            village_code=village_code, month=month, defaults={"created_by": actor})
        if not created:
            if plist.status == PaymentListStatus.APPROVED:
                raise Conflict(_("This payment list was approved by the town and no longer changes."), field="month")
            plist.lines.all().delete()
            plist.version += 1
            plist.created_by = actor
        lines = _lines(plist, village_code, month)
        PaymentLine.objects.bulk_create(lines)
        plist.total = sum((ln.amount for ln in lines if ln.status == PaymentLineStatus.PAY), ZERO)
        plist.save()
        audit_record(subject=f"assistance.payments:{plist.pk}", actor=actor, action="draw", request_id=request_id,
                     to_state=plist.status, data={"village": village_code, "month": month, "lines": len(lines),
                                                  "total": plist.total, "version": plist.version})
    return plist


def _lines(plist: PaymentList, village_code: str, month: dt.date) -> list[PaymentLine]:
    grants = (Grant.objects.filter(area_code__startswith=village_code, period_start__lte=month, period_end__gte=month)
              .select_related("file__household__head", "file__payee").order_by("file__household__number", "pk"))
    labels = dict(AssistanceStatus.choices)
    out = []
    for g in grants:
        f = g.file
        payee = getattr(f, "payee", None)
        head = f.household.head
        line = PaymentLine(payment_list=plist, grant=g, file=f, household_number=f.household.number,
                           payee_name=payee.holder_name if payee else (head.name if head else ""),
                           category=g.category, amount=g.monthly_amount, status=PaymentLineStatus.PAY)
        if f.status != g.category and (f.status_since is None or f.status_since <= month):
            line.status, line.amount = PaymentLineStatus.STOPPED, ZERO
            line.note = str(_("Status %(old)s ended: now %(new)s since %(day)s.")
                            % {"old": labels.get(g.category, g.category), "new": labels.get(f.status, f.status),
                               "day": f.status_since.isoformat() if f.status_since else "-"})[:200]
        elif payee is None:
            line.status = PaymentLineStatus.HELD
            line.note = str(_("No bank account on file."))
        out.append(line)
    return out


# --- approving and exporting ---------------------------------------------------------------------------------

def payments_approve(*, actor: User, plist: PaymentList, expected_version: int | None = None,
                     request_id: str = "") -> PaymentList:
    """The town approves a drafted list; the grants of its stops end after the month before."""
    policy.check_payment_approve(actor, plist)
    with transaction.atomic():
        row = PaymentList.objects.select_for_update().get(pk=plist.pk)
        if row.status != PaymentListStatus.DRAFT:
            raise Conflict(_("This payment list was approved already."))
        if expected_version is not None and row.version != expected_version:
            raise Conflict(_("The list was drawn up again meanwhile: check it and approve again."),
                           field="expected_version")
        row.status, row.approved_by, row.approved_at = PaymentListStatus.APPROVED, actor, timezone.now()
        row.save(update_fields=["status", "approved_by", "approved_at"])
        for line in row.lines.filter(status=PaymentLineStatus.STOPPED).select_related("grant__file"):
            if line.grant.period_end >= row.month:
                grant_stop(actor=actor, grant=line.grant, last_month=row.month - dt.timedelta(days=1),
                           reason=line.note or "status ended", request_id=request_id, checked=False)
        audit_record(subject=f"assistance.payments:{row.pk}", actor=actor, action="approve", request_id=request_id,
                     from_state=PaymentListStatus.DRAFT, to_state=row.status, data={"total": row.total})
    return row


BANK_HEADERS = [gettext_lazy("No."), gettext_lazy("Village"), gettext_lazy("Household number"),
                gettext_lazy("Account holder"), gettext_lazy("Holder's ID number"), gettext_lazy("Bank"),
                gettext_lazy("Account number"), gettext_lazy("Amount (yuan)"), gettext_lazy("Category"),
                gettext_lazy("Month")]


def payments_bank_xlsx(*, actor: User, plist: PaymentList, request_id: str = "") -> bytes:
    """The approved list's payments as the bank takes them: one row per household paid (safe cells, audited)."""
    policy.check_payment_read(actor, plist.village_code)
    if not policy.may_draw_payments(actor, plist.village_code):
        raise FieldError(None, _("Only civil-affairs staff export payment lists for the bank."), status=403)
    if plist.status != PaymentListStatus.APPROVED:
        raise Conflict(_("Only a list approved by the town goes to the bank."))
    from zhenwu.areas.models import Area

    village = Area.objects.filter(code=plist.village_code).values_list("name", flat=True).first() or ""
    labels = dict(AssistanceStatus.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Payments")))
    sheet.append(safe_row(sheet, [str(h) for h in BANK_HEADERS]))
    lines = plist.lines.filter(status=PaymentLineStatus.PAY).select_related("file__payee")
    count = 0
    for count, line in enumerate(lines, start=1):
        payee = line.file.payee
        sheet.append(safe_row(sheet, [count, village, line.household_number, payee.holder_name,
                                      payee.holder_id_number, payee.bank_name, payee.account_number,
                                      line.amount, labels.get(line.category, line.category),
                                      f"{plist.month:%Y-%m}"]))
    out = io.BytesIO()
    book.save(out)
    audit_record(subject=f"assistance.payments:{plist.pk}", actor=actor, action="export_bank",
                 request_id=request_id, data={"rows": count, "total": plist.total})
    return out.getvalue()


# --- totals -------------------------------------------------------------------------------------------------

@dataclass
class Totals:
    """Counts and sums of one month's lists: per village × category and per line status."""

    month: dt.date
    cells: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # (village, category) → [count, amount]
    by_status: dict[str, list[Any]] = field(default_factory=dict)  # line status → [count, amount]
    villages: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def village_total(self, village: str) -> list[Any]:
        rows = [v for (vc, _c), v in self.cells.items() if vc == village]
        return [sum(r[0] for r in rows), sum((r[1] for r in rows), ZERO)]

    def category_total(self, category: str) -> list[Any]:
        rows = [v for (_v, c), v in self.cells.items() if c == category]
        return [sum(r[0] for r in rows), sum((r[1] for r in rows), ZERO)]

    @property
    def total(self) -> list[Any]:
        rows = list(self.cells.values())
        return [sum(r[0] for r in rows), sum((r[1] for r in rows), ZERO)]


def payments_totals(*, user: User, month: dt.date) -> Totals:
    """Totals per village and category (households paid and amounts) and per line status, in ``user``'s scope."""
    policy.check_payments_page(user)
    totals = Totals(month_first(month))
    cells: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, ZERO])
    by_status: dict[str, list[Any]] = defaultdict(lambda: [0, ZERO])
    lines = PaymentLine.objects.filter(payment_list__in=lists_visible(user).filter(month=totals.month))
    for village, category, status, amount in lines.values_list("payment_list__village_code", "category", "status",
                                                              "amount"):
        by_status[status][0] += 1
        by_status[status][1] += amount
        if status == PaymentLineStatus.PAY:
            cells[(village, category)][0] += 1
            cells[(village, category)][1] += amount
    totals.cells, totals.by_status = dict(cells), dict(by_status)
    totals.villages = sorted({v for v, _c in cells})
    totals.categories = [c for c in AssistanceStatus.values if any(k[1] == c for k in cells)]
    return totals


def lists_visible(user: User) -> QuerySet[PaymentList]:
    if not policy.may_open_payments(user):
        return PaymentList.objects.none()
    return restrict(PaymentList.objects.all(), user, field="village_code")


def list_get(*, user: User, pk: int) -> PaymentList:
    row = lists_visible(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("Not found."))
    return row


# --- the bank account ---------------------------------------------------------------------------------------

def payee_set(*, actor: User, file: AssistanceFile, holder_name: str, holder_id_number: str, bank_name: str,
              account_number: str, request_id: str = "") -> PayeeAccount:
    """Record the account a household is paid into (validated: ID checksum, account digits)."""
    policy.check_grant_write(actor, file)
    errors: list[tuple[str | None, Any]] = []
    holder_name, bank_name = (holder_name or "").strip(), (bank_name or "").strip()
    ident = (holder_id_number or "").strip().upper()
    account = (account_number or "").replace(" ", "")
    if not holder_name or len(holder_name) > 50:
        errors.append(("holder_name", _("Give the account holder's name (at most 50 characters).")))
    if not ric.is_valid(ident):
        errors.append(("holder_id_number", _("This is not a valid ID number.")))
    if not bank_name or len(bank_name) > 60:
        errors.append(("bank_name", _("Give the bank (at most 60 characters).")))
    if not account.isdigit() or not ACCOUNT_DIGITS[0] <= len(account) <= ACCOUNT_DIGITS[1]:
        errors.append(("account_number", _("An account number has %(low)s to %(high)s digits.")
                       % {"low": ACCOUNT_DIGITS[0], "high": ACCOUNT_DIGITS[1]}))
    if errors:
        raise FieldError(None, errors=errors)
    with transaction.atomic():
        payee, _created = PayeeAccount.objects.update_or_create(
            file=file, defaults={"holder_name": holder_name, "holder_id_number": ident, "bank_name": bank_name,
                                 "account_number": account, "updated_by": actor})
        audit_record(subject=f"assistance.payee:{file.pk}", actor=actor, action="payee_set", request_id=request_id,
                     data={"bank": bank_name, "account_tail": account[-4:]})
    return payee


def amount_sum(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO)
