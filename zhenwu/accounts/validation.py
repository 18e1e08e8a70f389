"""Checks of identity numbers and mobile numbers, shared by services, forms, the admin and the API.

``clean_*`` return the normalised value or raise ``FieldError`` naming the field; the
``validate_*`` wrappers raise Django's ``ValidationError`` for model fields and admin forms.
Every value is NFKC-normalised first, so full-width digits and letters typed with a Chinese input
method (``１１０１…００２Ｘ``) are read as the ASCII characters they stand for.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.iso7064 import mod_11_2

from zhenwu.errors import FieldError

_MOBILE = re.compile(r"^1\d{10}$")
_ID_CHARACTERS = re.compile(r"^\d{17}[\dX]$")
_SPACES = re.compile(r"[\s\-]")
# "Not absurdly old": nobody alive was born more than this many years ago.
ID_MAX_AGE_YEARS = 130


def _fmt(message: Any, **params: Any) -> Any:
    """Fill a lazy message's placeholders when it is shown, so it stays translatable."""
    return lazy(lambda: str(message) % params, str)()


def normalise(value: Any) -> str:
    """NFKC (full-width → ASCII), without spaces, tabs or dashes, upper case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value or ""))).upper()


def clean_mobile(value: str, field: str = "mobile") -> str:
    """An 11-digit mainland mobile number starting with 1 (spaces and dashes dropped)."""
    mobile = normalise(value)
    if not _MOBILE.match(mobile):
        raise FieldError(field, _("Enter a mobile number of 11 digits starting with 1."))
    return mobile


def id_number_problem(number: str, today: datetime.date | None = None) -> Any | None:
    """What is wrong with a normalised ID number (GB 11643), or None.

    Checked: 18 characters, 17 digits and a digit or X, a real birth date that is neither in the
    future nor more than ``ID_MAX_AGE_YEARS`` ago, and the ISO 7064 MOD 11-2 check character. The
    region code (characters 1–6) is NOT checked against its history: many people carry the code of
    a county created or renamed after their birth, and their numbers are real.
    """
    if len(number) != 18:
        return _fmt(_("An ID number has 18 characters; this one has %(count)d."), count=len(number))
    if not _ID_CHARACTERS.match(number):
        wrong = "".join(dict.fromkeys(c for i, c in enumerate(number) if not (c.isdigit() or (i == 17 and c == "X"))))
        return _fmt(_("An ID number is 17 digits followed by a digit or X; this one contains “%(chars)s”."),
                    chars=wrong or number[17])
    shown = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _fmt(_("The birth date in the ID number (characters 7–14: %(date)s) is not a real date."),
                    date=shown)
    today = today or timezone.localdate()
    if born > today:
        return _fmt(_("The birth date in the ID number (%(date)s) is in the future."), date=shown)
    if today.year - born.year > ID_MAX_AGE_YEARS:
        return _fmt(_("The birth date in the ID number (%(date)s) is more than %(years)d years ago."),
                    date=shown, years=ID_MAX_AGE_YEARS)
    if mod_11_2.calc_check_digit(number[:17]) != number[17]:
        return _("The check character (the last one) does not match the first 17 characters; "
                 "a character is probably mistyped.")
    return None


def clean_id_number(value: str, field: str = "id_number", today: datetime.date | None = None) -> str:
    """A resident ID number (GB 11643): format, birth date and ISO 7064 MOD 11-2 check character."""
    number = normalise(value)
    problem = id_number_problem(number, today)
    if problem is not None:
        raise FieldError(field, problem)
    return number


def clean_uscc(value: str, field: str = "uscc") -> str:
    """A unified social credit code (GB 32100) with a valid mod-31 check character."""
    try:
        return str(uscc.validate(normalise(value)))
    except StdnumError as exc:
        raise FieldError(field, _("Enter a valid 18-character unified social credit code "
                                  "(the check character does not match).")) from exc


def _to_validation_error(clean: Callable[[str], str], value: str) -> None:
    try:
        clean(value)
    except FieldError as exc:
        raise ValidationError(exc.errors[0][1], code="invalid") from exc


def validate_mobile(value: str) -> None:
    """Model-field validator (admin forms) for a mobile number."""
    _to_validation_error(clean_mobile, value)


def validate_id_number(value: str) -> None:
    """Model-field validator (admin forms) for a resident ID number."""
    _to_validation_error(clean_id_number, value)


def validate_uscc(value: str) -> None:
    """Model-field validator (admin forms) for a unified social credit code."""
    _to_validation_error(clean_uscc, value)
