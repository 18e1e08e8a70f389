"""Who reads points and indicators (one answer for the pages and the API).

- Readers of the scope (grid leaders, dispatchers, leaders, supervisors, administrators with a scope) see
  the ranking, every ledger and the indicators of their scope (a grid leader their grid or village, the
  town's staff the town);
- a grid worker sees their own ledger only (no ranking, no indicators: 403);
- other staff: 403; citizens, enterprises and staff without a scope: 404.
"""

from __future__ import annotations

from typing import Any

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, scope_prefix
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _

READER_ROLES = (Role.GRID_LEADER, Role.DISPATCHER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN)
EARNER_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER)


def _staff(user: Any) -> bool:
    return isinstance(user, User) and user.kind == UserKind.STAFF and scope_prefix(user) is not None


def reads_scope(user: Any) -> bool:
    return _staff(user) and user.has_role(*READER_ROLES)


def earns(user: Any) -> bool:
    return _staff(user) and user.has_role(*EARNER_ROLES)


def check_reader(user: Any) -> User:
    """The ranking and the indicators: readers of the scope; other staff with a scope 403, anyone else 404."""
    if reads_scope(user):
        return user  # type: ignore[no-any-return]
    if _staff(user):
        raise Forbidden(_("Your roles do not include the grid's points and indicators."))
    raise NotFound(_("No such page."))


def check_ledger(user: Any, worker: User | None) -> None:
    """A ledger: one's own (a grid worker or leader), or a worker of the reader's scope (else 404)."""
    if worker is not None and worker.pk == getattr(user, "pk", None) and earns(user):
        return
    if not _staff(user):
        raise NotFound(_("No such page."))
    if worker is None or not in_scope(user, worker.scope_code) or not reads_scope(user):
        if not earns(user) and not reads_scope(user):
            raise Forbidden(_("Your roles do not include the grid's points and indicators."))
        raise NotFound(_("No such grid worker."), field="worker")
