"""Who may do what in the service hall: one answer for the page (which links, buttons and forms it shows)
and for the service (which refuses), so no one is shown a way that refuses them and no refused way is
hidden from someone it would serve.

- ``may_open(user, page)``: may the user open a staff page (the views answer 403 otherwise);
- ``may(user, action, area_code=…)``: may the user take ``action`` on a row in that area (role and scope);
- ``check(user, action, area_code=…)``: the same question for a service, answered by refusing — outside the
  scope (or not staff) ``NotFound`` (404: the row does not leak), without the role ``Forbidden`` (403).

Roles are ``Role`` members; the scope is the one rule of ``accounts.scope``.
"""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _

HALL_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
SUPERVISION_ROLES = (Role.SUPERVISOR, Role.LEADER, Role.ADMIN)  # 电子监察
RECTIFICATION_ROLES = (Role.WINDOW_CLERK, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)  # 好差评 整改
FOLLOW_UP_ROLES = (Role.ENFORCEMENT_OFFICER, Role.GRID_WORKER, Role.GRID_LEADER, Role.LEADER, Role.ADMIN)  # 审管联动

PAGE_ROLES: dict[str, tuple[Role, ...]] = {
    "queue": (*HALL_ROLES, Role.VILLAGE_STAFF),
    "new": (Role.WINDOW_CLERK, Role.VILLAGE_STAFF),
    "pad": (Role.WINDOW_CLERK,),
    "supervision": SUPERVISION_ROLES,
    "rectifications": RECTIFICATION_ROLES,
    "supervision_tasks": FOLLOW_UP_ROLES,
}

# Actions on a row with an area code (a task, a case): the roles that may take them.
ACTION_ROLES: dict[str, tuple[Role, ...]] = {
    "rectification_verify": RECTIFICATION_ROLES,
    "rectification_answer": RECTIFICATION_ROLES,
    "rectification_callback": RECTIFICATION_ROLES,
    "supervision_task_complete": FOLLOW_UP_ROLES,
    "reassign": (Role.WINDOW_CLERK, Role.LEADER, Role.ADMIN),  # 改派 (the kernel's case_assign)
    "reissue_code": (Role.WINDOW_CLERK, Role.VILLAGE_STAFF, Role.ADMIN),  # 查询码 reissued
    "open_pad": (Role.WINDOW_CLERK,),  # the applicant rates on the window's pad
}


def _staff_in_scope(user: Any) -> bool:
    return isinstance(user, User) and user.kind == UserKind.STAFF and scope_prefix(user) is not None


def may_open(user: Any, page: str) -> bool:
    """True when ``user`` is a staff member with a scope and a role that page serves."""
    return _staff_in_scope(user) and user.has_role(*PAGE_ROLES[page])


def pages_for(user: Any) -> dict[str, bool]:
    """Every page name → may the user open it (for templates)."""
    return {page: may_open(user, page) for page in PAGE_ROLES}


def may(user: Any, action: str, *, area_code: str) -> bool:
    """True when ``user`` may take ``action`` on a row in ``area_code`` (the page shows its button)."""
    return in_scope(user, area_code) and user.has_role(*ACTION_ROLES[action])


def check(user: Any, action: str, *, area_code: str, missing: str | None = None) -> None:
    """Refuse what ``may`` denies: outside the scope 404 (``missing``, the message), without the role 403."""
    if not in_scope(user, area_code):
        raise NotFound(missing or _("Not found."))
    if not user.has_role(*ACTION_ROLES[action]):
        raise Forbidden(_("Your roles do not allow this action."))
