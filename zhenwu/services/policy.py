"""Which service-hall pages a user may open: one answer used by the views (403 otherwise) and by every
link and button that leads to them, so no one is shown a way into a page that refuses them."""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User

HALL_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
PAGE_ROLES: dict[str, tuple[str, ...]] = {
    "queue": (*HALL_ROLES, Role.VILLAGE_STAFF),
    "new": (Role.WINDOW_CLERK, Role.VILLAGE_STAFF),
    "pad": (Role.WINDOW_CLERK,),
    "supervision": (Role.SUPERVISOR, Role.LEADER, Role.ADMIN),
    "rectifications": (Role.WINDOW_CLERK, Role.LEADER, Role.SUPERVISOR, Role.ADMIN),
    "supervision_tasks": (Role.ENFORCEMENT_OFFICER, Role.GRID_WORKER, Role.GRID_LEADER, Role.LEADER, Role.ADMIN),
}


def may_open(user: Any, page: str) -> bool:
    """True when ``user`` is a staff member with a scope and a role that page serves."""
    if not isinstance(user, User) or user.kind != "staff" or user.scope_code is None:
        return False
    return user.has_role(*PAGE_ROLES[page])


def pages_for(user: Any) -> dict[str, bool]:
    """Every page name → may the user open it (for templates)."""
    return {page: may_open(user, page) for page in PAGE_ROLES}
