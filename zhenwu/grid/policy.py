"""Who may do what with grid incidents: one answer for the pages and API (which actions they offer) and
for the services (which refuse).

- ``may_read(user)``: may the user list incidents of their scope at all (staff with a grid role);
- ``may(user, action, area_code=…)``: may the user take ``action`` on an incident in that area;
- ``check(user, action, area_code=…)``: the same for a service — outside the scope 404, without the
  role 403;
- ``of_grid(user, area_code)``: is the user a grid worker (or grid leader) *of that grid* — their own
  scope is a grid covering it; verification on site is theirs alone (anyone else: 403).

Moves of the case are also bounded by the process's roles (``process.py``) and ``transition()``'s scope.
"""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.areas.choices import GRID_LEVELS
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _

READ_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.DISPATCHER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN,
              Role.ENFORCEMENT_OFFICER, Role.VILLAGE_STAFF, Role.INFO_OFFICER)
DISPATCH_ROLES = (Role.DISPATCHER, Role.LEADER, Role.ADMIN)
REPORT_ROLES = READ_ROLES  # every staff member who reads incidents may report one
VERIFY_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER)

ACTION_ROLES: dict[str, tuple[Role, ...]] = {
    "report": REPORT_ROLES,
    "reassign": DISPATCH_ROLES,  # 改派 through the kernel's case_assign
    "escalate": (Role.GRID_WORKER, Role.GRID_LEADER, Role.VILLAGE_STAFF, *DISPATCH_ROLES),
    "extension_decide": DISPATCH_ROLES,
    "map": READ_ROLES,
}


def is_public_account(user: Any) -> bool:
    return isinstance(user, User) and user.kind in (UserKind.CITIZEN, UserKind.ENTERPRISE)


def may_read(user: Any) -> bool:
    """Staff with a scope and a grid role read the incidents of their scope."""
    return (isinstance(user, User) and user.kind == UserKind.STAFF and scope_prefix(user) is not None
            and user.has_role(*READ_ROLES))


def may(user: Any, action: str, *, area_code: str) -> bool:
    return in_scope(user, area_code) and user.has_role(*ACTION_ROLES[action])


def check(user: Any, action: str, *, area_code: str, missing: str | None = None) -> None:
    """Refuse what ``may`` denies: outside the scope 404, without the role 403."""
    if not in_scope(user, area_code):
        raise NotFound(missing or _("No such incident."), field="number")
    if not user.has_role(*ACTION_ROLES[action]):
        raise Forbidden(_("Your roles do not allow this action."))


def of_grid(user: Any, area_code: str) -> bool:
    """A grid worker or grid leader whose own scope is a grid (regular or special) covering ``area_code``."""
    if not isinstance(user, User) or not user.has_role(*VERIFY_ROLES) or not in_scope(user, area_code):
        return False
    area = user.scope_area
    return area is not None and area.level in GRID_LEVELS


def check_of_grid(user: Any, area_code: str) -> None:
    """Verification on site: only a worker of that grid (out of scope 404, another grid's or no grid 403)."""
    if not in_scope(user, area_code):
        raise NotFound(_("No such incident."), field="number")
    if not of_grid(user, area_code):
        raise Forbidden(_("Only a grid worker of the incident's grid may verify it on site."))
