"""Who may record patrols and check-ins, and whose patrols a user sees (one answer for pages and API)."""

from __future__ import annotations

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User

# Grid workers and their leaders walk the grid, enforcement officers their squad's area (一队执法 reads their
# last position and mileage through the kernel's hook ``PATROL_SUMMARY``); everyone else reads.
RECORDERS = frozenset({Role.GRID_WORKER, Role.GRID_LEADER, Role.ENFORCEMENT_OFFICER})
# These see every patrol in their scope; anyone else sees only their own.
SCOPE_READERS = frozenset({Role.GRID_LEADER, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def patrol_may_record(user: User) -> bool:
    """A grid worker, grid leader or enforcement officer with a scope area (the patrol is filed in it)."""
    return user.kind == UserKind.STAFF and bool(user.scope_code) and bool(user.roles & RECORDERS)


def patrol_reads_scope(user: User) -> bool:
    """Whether ``user`` sees every patrol of their scope (grid leaders, dispatchers, supervisors, leaders)."""
    return user.kind == UserKind.STAFF and bool(user.roles & SCOPE_READERS or user.is_superuser)
