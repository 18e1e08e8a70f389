"""Small helpers the assistance services share: amounts, dates, today, working days."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from zhenwu.casework.workcal import calendar_current
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

MAX_AMOUNT = Decimal("100000000")


def today() -> datetime.date:
    return timezone.localdate()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """``days`` working days after ``start`` (the start day not counted)."""
    return calendar_current().add(start, days)


def amount(value: Any, field: str, *, required: bool = True, positive: bool = False) -> Decimal | None:
    """A yuan amount (two decimals) or a 400 on ``field``: not a number, negative, too large, missing."""
    if value is None or value == "":
        if required:
            raise FieldError(field, _("This field is required."))
        return None
    if isinstance(value, bool):
        raise FieldError(field, _("Not an amount of money."))
    try:
        number = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise FieldError(field, _("Not an amount of money.")) from None
    if not number.is_finite():
        raise FieldError(field, _("Not an amount of money."))
    if number < 0:
        raise FieldError(field, _("The amount may not be negative."))
    if positive and number == 0:
        raise FieldError(field, _("The amount must be more than zero."))
    if number > MAX_AMOUNT:
        raise FieldError(field, _("The amount is too large."))
    return number.quantize(Decimal("0.01"))


def money(value: Any, field: str, *, positive: bool = False) -> Decimal:
    """A required yuan amount (see ``amount``)."""
    found = amount(value, field, positive=positive)
    assert found is not None
    return found


def date(value: Any, field: str) -> datetime.date:
    """A date (``YYYY-MM-DD`` or a ``date``) or a 400 on ``field``."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise FieldError(field, _("Enter a date as YYYY-MM-DD.")) from None


def whole(value: Any, field: str, *, low: int = 0, high: int = 1_000_000) -> int:
    """A whole number in [low, high] or a 400 on ``field``."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise FieldError(field, _("Enter a whole number.")) from None
    if not low <= number <= high:
        raise FieldError(field, _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high})
    return number


def choice(value: Any, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise FieldError(field, _("Unknown value: choose one of the listed options."))
    return str(value)


def text(value: Any, field: str, *, max_length: int, required: bool = True) -> str:
    out = str(value or "").strip()
    if required and not out:
        raise FieldError(field, _("This field is required."))
    if len(out) > max_length:
        raise FieldError(field, _("At most %(max)s characters.") % {"max": max_length})
    return out
