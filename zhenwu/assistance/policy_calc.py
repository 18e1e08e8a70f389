"""Who may do what with rule sets, grants and payment lists (issue 13 §4–5, §7).

- Rule sets are published policy: every staff member with a scope reads them; civil-affairs staff whose scope
  holds the town (the town's or the county's) publish a new version.
- Grants are part of a household's file: whoever may see the file (``file_visible``: civil-affairs staff of the
  scope and the household's village worker, assist-core's rule once merged; here civil-affairs staff of the
  scope) reads them; only civil-affairs staff of the scope open or stop one. Everyone else: 404, no leak.
- Payment lists: civil-affairs staff and leaders of the scope read them, civil-affairs staff draw them up, the
  town approves them (civil affairs or a leader whose scope is the town or the county, never the person who drew
  the list up), civil-affairs staff export an approved list for the bank.

Refusals: outside the scope ``NotFound`` (404), without the role ``Forbidden`` (403).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, restrict, scope_prefix
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _

TOWN_CODE_LENGTH = 9
VILLAGE_CODE_LENGTH = 12
PAYMENT_READERS = (Role.CIVIL_AFFAIRS, Role.LEADER)
APPROVERS = (Role.CIVIL_AFFAIRS, Role.LEADER)


def is_staff(user: Any) -> bool:
    return isinstance(user, User) and user.kind == UserKind.STAFF and scope_prefix(user) is not None


def _civil_affairs(user: Any) -> bool:
    return is_staff(user) and user.has_role(Role.CIVIL_AFFAIRS)


def town_level(user: Any) -> bool:
    """A scope of a town or wider (the county): the level that publishes rules and approves payments."""
    prefix = scope_prefix(user)
    return prefix is not None and len(prefix) <= TOWN_CODE_LENGTH


# --- rule sets --------------------------------------------------------------------------------------------

def may_read_rules(user: Any) -> bool:
    return is_staff(user)


def may_publish_rules(user: Any, town_code: str) -> bool:
    return _civil_affairs(user) and town_level(user) and in_scope(user, town_code)


def check_publish_rules(user: Any, town_code: str) -> None:
    if not in_scope(user, town_code):
        raise NotFound(_("Not found."), field="town_code")
    if not may_publish_rules(user, town_code):
        raise Forbidden(_("Only civil-affairs staff of the town or the county publish assistance rules."))


# --- grants (part of the household's file) ----------------------------------------------------------------

def file_visible(user: Any, file: Any) -> bool:
    """assist-core's rule when it is there (``zhenwu.assistance.policy.file_visible``), else civil affairs of
    the scope."""
    try:
        from zhenwu.assistance.policy import file_visible as core_rule  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return _civil_affairs(user) and in_scope(user, file.area_code)
    return bool(core_rule(user, file))


def grants_visible(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    """``qs`` (grants) cut to the files ``user`` may see."""
    try:
        from zhenwu.assistance.policy import files_visible  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return restrict(qs, user) if _civil_affairs(user) else qs.none()
    return qs.filter(file__in=files_visible(user))


def may_write_grants(user: Any, area_code: str) -> bool:
    return _civil_affairs(user) and in_scope(user, area_code)


def check_grant_write(user: Any, file: Any) -> None:
    if not file_visible(user, file):
        raise NotFound(_("Not found."), field="file")  # a file is private: no hint that it exists
    if not may_write_grants(user, file.area_code):
        raise Forbidden(_("Only civil-affairs staff open and stop assistance grants."))


# --- payment lists ------------------------------------------------------------------------------------------

def may_open_payments(user: Any) -> bool:
    return is_staff(user) and user.has_role(*PAYMENT_READERS)


def check_payments_page(user: Any) -> None:
    if not is_staff(user):
        raise NotFound(_("Not found."))
    if not may_open_payments(user):
        raise Forbidden(_("Only civil-affairs staff and leaders see payment lists."))


def check_payment_read(user: Any, village_code: str) -> None:
    if not in_scope(user, village_code):
        raise NotFound(_("Not found."), field="village")
    check_payments_page(user)


def may_draw_payments(user: Any, village_code: str) -> bool:
    return _civil_affairs(user) and in_scope(user, village_code)


def check_payment_draw(user: Any, village_code: str) -> None:
    if not in_scope(user, village_code):
        raise NotFound(_("Not found."), field="village")
    if not may_draw_payments(user, village_code):
        raise Forbidden(_("Only civil-affairs staff draw up payment lists."))


def may_approve_payments(user: Any, payment_list: Any) -> bool:
    return (is_staff(user) and user.has_role(*APPROVERS) and town_level(user)
            and in_scope(user, payment_list.village_code) and payment_list.created_by_id != user.pk)


def check_payment_approve(user: Any, payment_list: Any) -> None:
    check_payment_read(user, payment_list.village_code)
    if not (user.has_role(*APPROVERS) and town_level(user)):
        raise Forbidden(_("Payment lists are approved by the town's civil affairs or a leader."))
    if payment_list.created_by_id == user.pk:
        raise Forbidden(_("The person who drew up a payment list does not approve it."))
