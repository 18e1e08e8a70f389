"""Checks of identity numbers and mobile numbers, shared by services, forms, the admin and the API.

``clean_*`` return the normalised value or raise ``FieldError`` naming the field; the
``validate_*`` wrappers raise Django's ``ValidationError`` for model fields and admin forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from zhenwu.errors import FieldError

_MOBILE = re.compile(r"^1\d{10}$")


def clean_mobile(value: str, field: str = "mobile") -> str:
    """An 11-digit mainland mobile number starting with 1 (spaces and dashes dropped)."""
    mobile = re.sub(r"[\s-]", "", value or "")
    if not _MOBILE.match(mobile):
        raise FieldError(field, _("Enter a mobile number of 11 digits starting with 1."))
    return mobile


def clean_id_number(value: str, field: str = "id_number") -> str:
    """A resident ID number (GB 11643) with a valid ISO 7064 MOD 11-2 check character."""
    try:
        return str(ric.validate(re.sub(r"\s", "", value or "")))
    except StdnumError as exc:
        raise FieldError(field, _("Enter a valid 18-character resident ID number "
                                  "(the check character does not match).")) from exc


def clean_uscc(value: str, field: str = "uscc") -> str:
    """A unified social credit code (GB 32100) with a valid mod-31 check character."""
    try:
        return str(uscc.validate(re.sub(r"\s", "", value or "")))
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
