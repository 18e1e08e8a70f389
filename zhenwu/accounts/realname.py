"""The place for a real-name check (实名核验) of self-registrations; by default it accepts everyone.

A deployment that has access to a verification service (the public-security ID check for citizens,
the market-regulation register for enterprises, or a carrier's "mobile belongs to this ID" check)
writes a class with the method below and names it in ``ZHENWU_REALNAME_CHECK`` (a dotted path)::

    class MyCheck:
        def check(self, *, kind: str, number: str, name: str, mobile: str) -> str | None:
            ...  # None when the person is who they say; otherwise a reason shown to the registrant

The check runs after the SMS code is proven and before the account is created; a refusal answers
400 on the field of the number. Keep its reasons general ("the name does not match the ID number"):
the registrant typed both, so nothing leaks.
"""

from __future__ import annotations

import functools
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from zhenwu.errors import FieldError


class RealNameCheck(Protocol):
    def check(self, *, kind: str, number: str, name: str, mobile: str) -> str | None: ...


class NoRealNameCheck:
    """The default: no verification service configured, every registration passes."""

    def check(self, *, kind: str, number: str, name: str, mobile: str) -> str | None:
        return None


@functools.cache
def _load(path: str) -> RealNameCheck:
    checker: RealNameCheck = import_string(path)()
    return checker


def realname_check(*, kind: str, number: str, name: str, mobile: str, number_field: str) -> None:
    """Raise a FieldError on ``number_field`` when the configured check refuses the person."""
    reason = _load(settings.REALNAME_CHECK).check(kind=kind, number=number, name=name, mobile=mobile)
    if reason:
        raise FieldError(number_field, reason, code="realname")
