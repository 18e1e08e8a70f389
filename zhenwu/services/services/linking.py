"""Applications taken at the window or the village station reach the applicant's own account, so they
can follow and rate them in the portal: at filing, and when the account is registered (or its identity
changes) later.

The match is the ID number (a person) or the USCC (an enterprise) **and** the mobile: the clerk saw the
identity document, but a self-registered account's ID number is only claimed, while its mobile was
verified by a code. Requiring both keeps someone who registers with another person's ID number from
reading that person's applications.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.models import User
from zhenwu.querycache import Compiled
from zhenwu.services.models import Application

IDENTITY_FIELDS = frozenset({"id_number", "uscc", "mobile", "kind", "is_active"})


def applicant_account(*, id_number: str, uscc: str, mobile: str) -> User | None:
    """The active citizen (same ID number) or enterprise (same USCC) account with the same mobile."""
    if not mobile or not (id_number or uscc):
        return None
    if id_number:
        return _CITIZEN.first(mobile, id_number)
    return _ENTERPRISE.first(mobile, uscc)


# Compiled once per process (zhenwu.querycache): every filing at the window looks for the account.
_CITIZEN = Compiled(lambda mobile, id_number: User.objects.filter(
    is_active=True, mobile=mobile, kind=UserKind.CITIZEN, id_number=id_number).order_by("pk")[:1])
_ENTERPRISE = Compiled(lambda mobile, uscc: User.objects.filter(
    is_active=True, mobile=mobile, kind=UserKind.ENTERPRISE, uscc=uscc).order_by("pk")[:1])


def applications_link(*, user: User) -> int:
    """Attach the applications filed for this account's person or enterprise that have no account yet."""
    if not user.is_active or not user.mobile or user.kind not in (UserKind.CITIZEN, UserKind.ENTERPRISE):
        return 0
    same = Q(applicant_id_number=user.id_number) if user.kind == UserKind.CITIZEN and user.id_number else \
        Q(applicant_uscc=user.uscc) if user.kind == UserKind.ENTERPRISE and user.uscc else None
    if same is None:
        return 0
    return Application.objects.filter(same, applicant_user__isnull=True, applicant_mobile=user.mobile).update(
        applicant_user=user)


def on_account_saved(sender: Any, instance: User, created: bool, update_fields: Any = None, **_kw: Any) -> None:
    """``post_save`` of accounts: accounts cannot import this app (dependencies point the other way), so the
    service hall listens for a new account, or a change of its identity, and links its applications."""
    if created or update_fields is None or IDENTITY_FIELDS & set(update_fields):
        applications_link(user=instance)
