"""Who may do what with base data: written once, used by pages, API, exports and imports."""

from __future__ import annotations

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User

# Roles whose work needs a full ID number or mobile now and then (always revealed one at a time, audited).
UNMASKED_VIEW_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.GRID_LEADER, Role.GRID_WORKER,
                       Role.VILLAGE_STAFF, Role.ENFORCEMENT_OFFICER, Role.ADMIN)
EDIT_ROLES = (Role.WINDOW_CLERK, Role.GRID_LEADER, Role.GRID_WORKER, Role.INFO_OFFICER,
              Role.VILLAGE_STAFF, Role.ADMIN)
UNMASKED_EXPORT_ROLES = (Role.ADMIN,)


def _staff_with(user: User, roles: tuple[str, ...]) -> bool:
    return bool(user.is_authenticated and user.kind == UserKind.STAFF and user.has_role(*roles))


def can_view_unmasked(user: User) -> bool:
    return _staff_with(user, UNMASKED_VIEW_ROLES)


def can_edit_registry(user: User) -> bool:
    return _staff_with(user, EDIT_ROLES)


def can_export_unmasked(user: User) -> bool:
    return _staff_with(user, UNMASKED_EXPORT_ROLES)
