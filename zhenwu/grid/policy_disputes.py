"""Who may do what with disputes (矛盾纠纷) and visits (走访): one answer for the pages, the API and the
services.

Disputes: "小事不出网格、难事不出乡镇" — the level that answers for a dispute acts on it, and the levels
above may step in; the levels below keep reading it. So at grid level grid workers and grid leaders act
(village staff and the town's dispatchers and leaders too), at village level village staff and grid
leaders (and the town), at town level the town's dispatchers and leaders. Only the town refers a dispute
out (to the court or the county's mediation centre); only a level below the town escalates.

- ``may_read(user)``: a staff member with a scope and a grid role reads disputes and visits in the scope;
- ``may(user, action, dispute=…)``: may the user take ``action`` on that dispute now (role, level, scope);
- ``check(…)``: the same for a service: outside the scope 404, without the role or level 403.
"""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import dispute_process as dp
from zhenwu.grid.choices import EscalationLevel

READ_ROLES = (*dp.ALL_ROLES, Role.SUPERVISOR, Role.ADMIN)
FILE_ROLES = dp.ALL_ROLES  # 登记 a dispute
VISIT_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.VILLAGE_STAFF)  # 走访 is made by grid staff

LEVELS = [EscalationLevel.GRID.value, EscalationLevel.VILLAGE.value, EscalationLevel.TOWN.value]
LEVEL_ROLES: dict[str, tuple[Role, ...]] = {
    EscalationLevel.GRID: dp.GRID_ROLES,
    EscalationLevel.VILLAGE: dp.VILLAGE_ROLES,
    EscalationLevel.TOWN: dp.TOWN_ROLES,
}


def acting_roles(level: str) -> tuple[Role, ...]:
    """The roles that may act on a dispute at ``level``: that level's and every level's above it."""
    above = LEVELS[LEVELS.index(level):] if level in LEVELS else []
    return tuple(dict.fromkeys(r for lv in above for r in LEVEL_ROLES[lv]))


def next_level(level: str) -> str | None:
    i = LEVELS.index(level) if level in LEVELS else len(LEVELS)
    return LEVELS[i + 1] if i + 1 < len(LEVELS) else None


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.kind == UserKind.STAFF and scope_prefix(user) is not None


def may_read(user: Any) -> bool:
    return _staff(user) and user.has_role(*READ_ROLES)


def may_file_somewhere(user: Any) -> bool:
    return _staff(user) and user.has_role(*FILE_ROLES)


def may_file(user: Any, *, area_code: str) -> bool:
    return in_scope(user, area_code) and user.has_role(*FILE_ROLES)


def may_visit_somewhere(user: Any) -> bool:
    return _staff(user) and user.has_role(*VISIT_ROLES)


def may_visit(user: Any, *, area_code: str) -> bool:
    return in_scope(user, area_code) and user.has_role(*VISIT_ROLES)


def _allowed_roles(action: str, level: str) -> tuple[Role, ...]:
    roles = acting_roles(level)
    if action == dp.REFER:  # 调解不成: only the town sends a dispute out
        return dp.TOWN_ROLES if level == EscalationLevel.TOWN else ()
    if action == dp.ESCALATE and next_level(level) is None:
        return ()
    return roles


def may(user: Any, action: str, *, area_code: str, level: str) -> bool:
    """True when ``user`` may take ``action`` (a process action or ``session``) on a dispute at ``level``."""
    return in_scope(user, area_code) and user.has_role(*_allowed_roles(action, level))


def check(user: Any, action: str, *, area_code: str, level: str) -> None:
    """Refuse what ``may`` denies: outside the scope 404, without the role for this level 403."""
    if not in_scope(user, area_code) or not user.has_role(*READ_ROLES):
        raise NotFound(_("No such dispute."), field="number")
    if not user.has_role(*_allowed_roles(action, level)):
        raise Forbidden(_("Your roles do not allow this step at the dispute's current level."))
