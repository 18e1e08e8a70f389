"""The one scope rule: which area-code prefix a user may see, and any queryset cut down to it.

Every selector of every layer above accounts asks here (``restrict``), and every service that re-checks
the scope of a row it is about to change asks the same rule (``in_scope``), so a page, a list, the API and a
write can never disagree about what lies in someone's scope.

The rule (area codes are hierarchical, so "my scope" is a prefix):

- a staff member with a scope area sees every row whose area code starts with that area's code: a grid
  worker their grid, village staff their village, town staff the town, county staff the county;
- anyone else sees nothing through the scope: anonymous visitors, citizens and enterprise accounts (the
  pillars give them their own rows by ownership, never by area), staff without a scope area;
- an *operator* (a superuser without a scope area, e.g. made by ``createsuperuser``) sees everything only
  where the caller says so with ``operator=True`` (base data and staff lists, for running the system);
  cases and applications are filed in a scope and stay invisible to an account that has none.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.db.models import QuerySet

from zhenwu.accounts.choices import UserKind

M = TypeVar("M", bound=models.Model)

EVERYTHING = ""  # the prefix every area code starts with


def scope_prefix(user: Any, *, operator: bool = False) -> str | None:
    """The area-code prefix ``user`` may see; ``EVERYTHING`` ("") or None (nothing).

    ``operator``: an unscoped superuser counts as scoped to everything (see the module's rule).
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "kind", None) != UserKind.STAFF:
        return None
    scope = user.scope_code
    if scope:
        return str(scope)
    return EVERYTHING if operator and user.is_superuser else None


def restrict(qs: QuerySet[M], user: Any, *, field: str = "area_code", operator: bool = False) -> QuerySet[M]:
    """``qs`` cut down to the rows in ``user``'s scope: ``<field> LIKE '<scope>%'`` (an index range).

    ``field`` names the area code of a row, across relations if need be (``case__area_code``,
    ``scope_area__code``); nothing for a user without a scope, the whole ``qs`` for an operator.
    """
    prefix = scope_prefix(user, operator=operator)
    if prefix is None:
        return qs.none()
    if prefix == EVERYTHING:
        return qs
    return qs.filter(**{f"{field}__startswith": prefix})


def in_scope(user: Any, area_code: str | None, *, operator: bool = False) -> bool:
    """True when the area ``area_code`` lies in ``user``'s scope (the same rule as ``restrict``, for one row)."""
    prefix = scope_prefix(user, operator=operator)
    return prefix is not None and area_code is not None and str(area_code).startswith(prefix)
