"""Reads of accounts, always through the user asking: staff inside their scope, their own tokens."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import ApiToken, User
from zhenwu.accounts.scope import in_scope, restrict
from zhenwu.accounts.scope import scope_prefix as rule_prefix
from zhenwu.areas.models import Area
from zhenwu.errors import Forbidden, NotFound


def scope_prefix(user: User) -> str | None:
    """Area-code prefix the user may see of base data and staff: the scope rule (``accounts.scope``) with an
    unscoped superuser as operator ("" = everything)."""
    return rule_prefix(user, operator=True)


def area_in_scope(*, user: User, code: str) -> Area:
    """The area ``code`` if the user's scope covers it; otherwise 404 (scope does not leak)."""
    area = restrict(Area.objects.filter(code=code), user, field="code", operator=True).first()
    if area is None:
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
    admin = bool(user.is_superuser or user.has_role(Role.ADMIN))
    if not (admin or in_scope(user, area.code)):
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
    staff = User.objects.filter(kind=UserKind.STAFF, is_active=True)
    if area:
        staff = staff.filter(scope_area__code__startswith=prefix)
    qs = (restrict(staff, user, field="scope_area__code", operator=True)
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
