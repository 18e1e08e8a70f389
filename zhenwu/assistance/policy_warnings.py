"""Who may see and do what with early warnings and mutual aid (§7 privacy), answered once for pages,
API and services.

A warning names a person and their medical spending: only civil-affairs staff of the scope and the village
worker of the household's grid read it — a staff member with an active grid assignment (registry
``GridAssignment``) on that grid, or village service staff scoped to the village that contains it. Every
other staff member with a scope sees counts only. The same rule holds for a village's mutual-aid rolls.
(When assist-core's ``policy.file_visible`` lands the integrator may route the file-level check through it;
the rule is the same.)
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, restrict, scope_prefix
from zhenwu.assistance.models import EarlyWarning
from zhenwu.errors import Forbidden, NotFound

VILLAGE_CODE_LENGTH = 12
MANAGER_ROLES = (Role.CIVIL_AFFAIRS,)
# Who may record the home visit: the village worker (grid staff, village staff) and civil affairs.
VISIT_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER, Role.INFO_OFFICER, Role.VILLAGE_STAFF, Role.CIVIL_AFFAIRS)
REASSIGN_ROLES = (Role.CIVIL_AFFAIRS,)


def _staff(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "kind", None) == UserKind.STAFF)


def is_manager(user: User, area_code: str | None = None) -> bool:
    """Civil-affairs staff (of ``area_code``'s scope when given)."""
    if not _staff(user) or not user.has_role(*MANAGER_ROLES):
        return False
    return scope_prefix(user) is not None if area_code is None else in_scope(user, area_code)


def assigned_grids(user: User) -> list[str]:
    """Codes of the grids ``user`` serves today (active grid assignments)."""
    from zhenwu.registry.models import GridAssignment

    today = timezone.localdate()
    rows = GridAssignment.objects.filter(user=user, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    return list(rows.values_list("grid__code", flat=True))


def _village_staff_prefix(user: User) -> str | None:
    prefix = scope_prefix(user)
    if prefix and user.has_role(Role.VILLAGE_STAFF) and len(prefix) >= VILLAGE_CODE_LENGTH:
        return prefix
    return None


def is_village_worker(user: User, area_code: str) -> bool:
    """The village worker of the grid ``area_code``: an active assignment on it, or village staff of its village."""
    if not _staff(user) or not in_scope(user, area_code):
        return False
    village = _village_staff_prefix(user)
    if village is not None and area_code.startswith(village):
        return True
    return any(area_code.startswith(code) for code in assigned_grids(user))


def may_read_person(user: User, area_code: str) -> bool:
    """Names, amounts and visits of one household's person: civil affairs of the scope or the village worker."""
    return is_manager(user, area_code) or is_village_worker(user, area_code)


def warnings_visible(user: User) -> QuerySet[EarlyWarning]:
    """The warnings ``user`` may read one by one (names and amounts)."""
    base = restrict(EarlyWarning.objects.select_related("case", "person", "household"), user)
    if not _staff(user):
        return base.none()
    if user.has_role(*MANAGER_ROLES):
        return base
    allowed = Q(pk__in=[])
    village = _village_staff_prefix(user)
    if village is not None:
        allowed |= Q(area_code__startswith=village)
    for code in assigned_grids(user):
        allowed |= Q(area_code__startswith=code)
    return base.filter(allowed)


def warning_get(user: User, number: str) -> EarlyWarning:
    """One warning by its case number; 404 when it does not exist or ``user`` may not read it."""
    row = warnings_visible(user).filter(case__number=number).first()
    if row is None:
        raise NotFound(_("No such warning."), field="number")
    return row


def may_read_counts(user: User) -> bool:
    """Counts per village and town: any staff member with a scope (they hold no names)."""
    return _staff(user) and scope_prefix(user) is not None


def check_counts(user: User) -> None:
    if not _staff(user):
        raise NotFound(_("No such page."))
    if scope_prefix(user) is None:
        raise Forbidden(_("Your account has no scope area."))


def check_manager(user: User) -> None:
    """Imports, rules and reassignment: civil-affairs staff with a scope (403 otherwise; 404 for non-staff)."""
    if not _staff(user):
        raise NotFound(_("No such page."))
    if not is_manager(user):
        raise Forbidden(_("Only civil-affairs staff may do this."))


def may_visit(user: User, warning: EarlyWarning) -> bool:
    """The button shows exactly when ``warning_visit`` would take the step (holder rules aside)."""
    return warning.state == "open" and user.has_role(*VISIT_ROLES) and may_read_person(user, warning.area_code)


# --- 福村宝 -----------------------------------------------------------------------------------------------

def is_village_keeper(user: User, village_code: str) -> bool:
    """Village staff of exactly this village (they keep its mutual-aid roll)."""
    return _staff(user) and _village_staff_prefix(user) == village_code


def may_keep_roll(user: User, village_code: str) -> bool:
    """Enrol, record fund money and file claims: civil affairs of the scope or the village's own staff."""
    return is_manager(user, village_code) or is_village_keeper(user, village_code)


def check_roll(user: User, village_code: str, *, manager_only: bool = False) -> None:
    """Refuse a write on a village's mutual aid: 404 outside the scope, 403 without the role."""
    if not _staff(user) or not in_scope(user, village_code):
        raise NotFound(_("No such mutual-aid year."))
    allowed = is_manager(user, village_code) if manager_only else may_keep_roll(user, village_code)
    if not allowed:
        raise Forbidden(_("Your roles do not allow this action."))
