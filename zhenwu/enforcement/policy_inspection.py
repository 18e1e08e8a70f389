"""Who may do what with random-inspection plans (双随机一公开): one answer for pages, API and services.

Readers: the case roles of ``policy`` (officers, legal reviewers, leaders, supervisors, administrators),
for the plans of their scope; leaders and administrators make, announce, draw, issue, publish and close
plans; an officer drawn for a target records its result. Out of scope: 404; without the role: 403.
The public reads announced plans and, once published, their results (``selectors_inspection``).
"""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.choices import Role
from zhenwu.accounts.scope import in_scope
from zhenwu.enforcement import policy
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _

ACTION_ROLES: dict[str, tuple[Role, ...]] = {
    "plan_edit": (Role.LEADER, Role.ADMIN),  # make, announce, draw, issue, publish, close
    "inspection_result": (Role.ENFORCEMENT_OFFICER,),  # the drawn inspectors record results
}


def may_open(user: Any) -> bool:
    """The staff pages and lists of plans."""
    return policy.may_open(user, "cases")


def may_read(user: Any, plan: Any) -> bool:
    return may_open(user) and in_scope(user, plan.area_code)


def may(user: Any, action: str, *, area_code: str) -> bool:
    return in_scope(user, area_code) and user.has_role(*ACTION_ROLES[action])


def may_create(user: Any) -> bool:
    return may_open(user) and user.has_role(*ACTION_ROLES["plan_edit"])


def check(user: Any, action: str, *, area_code: str, missing: str | None = None) -> None:
    if not in_scope(user, area_code):
        raise NotFound(missing or _("Not found."))
    if not user.has_role(*ACTION_ROLES[action]):
        raise Forbidden(_("Your roles do not allow this action."))
