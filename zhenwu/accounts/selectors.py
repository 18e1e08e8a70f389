"""Reads of accounts, always through the user asking: staff inside their scope, their own tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import ApiToken, User
from zhenwu.areas.models import Area
from zhenwu.errors import Forbidden, NotFound


def scope_prefix(user: User) -> str | None:
    """Area-code prefix the user may see: their scope; "" (everything) for an unscoped superuser."""
    if user.kind != UserKind.STAFF:
        return None
    if user.scope_code:
        return user.scope_code
    return "" if user.is_superuser else None


def area_in_scope(*, user: User, code: str) -> Area:
    """The area ``code`` if the user's scope covers it; otherwise 404 (scope does not leak)."""
    prefix = scope_prefix(user)
    area = Area.objects.filter(code=code).first()
    if area is None or prefix is None or not area.code.startswith(prefix):
        raise NotFound(_("No such area in your scope."), field="area")
    return area


TOWN_CODE_LENGTH = 9


def area_visibility_root(user: User) -> str | None:
    """Code prefix of the area subtree a user may see on the map ('' = everything, None = nothing):
    staff see the town containing their scope (county staff the county), superusers, citizens and
    enterprises every area (grid codes and names are public to signed-in users; staff lists are not)."""
    if user.is_superuser or user.kind != UserKind.STAFF:
        return ""
    scope = user.scope_code
    return scope[:TOWN_CODE_LENGTH] if scope else None


def area_staff(*, user: User, area: Area) -> list[dict[str, Any]] | None:
    """Staff whose scope is exactly ``area``, with role labels — only for staff whose scope covers the
    area, or administrators; None for everyone else."""
    if user.kind != UserKind.STAFF:
        return None
    scope = user.scope_code
    admin = bool(user.is_superuser or user.has_role(Role.ADMIN))
    if not (admin or (scope and area.code.startswith(scope))):
        return None
    people = (User.objects.filter(scope_area=area, kind=UserKind.STAFF, is_active=True)
              .prefetch_related("role_assignments").order_by("full_name", "username"))
    return [{"name": str(p), "roles": [str(Role(r.role).label) for r in p.role_assignments.all()]}
            for p in people]


def staff_list(*, user: User, area: str | None = None, role: str | None = None) -> QuerySet[User]:
    """Active staff whose scope area lies inside the caller's scope (optionally one area, one role)."""
    prefix = scope_prefix(user)
    if prefix is None:
        raise Forbidden(_("Only staff may list staff."))
    if area:
        prefix = area_in_scope(user=user, code=area).code
    qs = (User.objects.filter(kind=UserKind.STAFF, is_active=True, scope_area__code__startswith=prefix)
          .select_related("scope_area", "department").prefetch_related("role_assignments")
          .order_by("scope_area__code", "username"))
    if role:
        qs = qs.filter(role_assignments__role=role)
    return qs


def token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked ones included, marked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def login_attempts_recent(*, user: User, limit: int = 10) -> QuerySet:
    """The user's own latest sign-ins, to spot a login they did not make."""
    return user.login_attempts.order_by("-at")[:limit]
