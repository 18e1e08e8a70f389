"""Who may see and do what in 社会救助: one answer for pages, API, exports and the kernel's generic reads.

Assistance data is sensitive personal information (Personal Information Protection Law Art. 28). A household's
file, its applications and their records are seen only by

- civil-affairs staff (``Role.CIVIL_AFFAIRS``) whose scope holds the household, and
- the village worker of the household: a staff member with an active ``registry.GridAssignment`` on the
  household's grid (or a grid above it), or ``Role.VILLAGE_STAFF`` scoped to the village (or lower) holding it.

Everyone else on the staff (window clerks, supervisors, leaders, administrators) sees counts only: the number
of files and applications per status and village of their scope. Every view of a file is audited
(``file_view_record``): who, when, from where.

- ``file_visible(user, file)`` / ``files_visible(user)``: the rule, for one file or as a queryset;
- ``visible_q(user, field=…)``: the rule as a filter on an area-code field (needs, applications, cases);
- ``may(user, action, area_code=…)`` / ``check(…)``: actions — out of sight 404, without the role 403.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import scope_prefix
from zhenwu.assistance.models import AssistanceFile
from zhenwu.errors import Forbidden, NotFound
from zhenwu.errors import gettext as _

VILLAGE_CODE_LENGTH = 12  # county 6 + town 3 + village 3

# Actions beyond the process's own (the process's roles move the case; these keep the file).
ACTION_ROLES: dict[str, tuple[Role, ...]] = {
    "file_open": (Role.CIVIL_AFFAIRS,),  # open a file for a household (一户一档)
    "file_edit": (Role.CIVIL_AFFAIRS, Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.GRID_LEADER),  # members, income …
    "file_status": (Role.CIVIL_AFFAIRS,),  # change a status by hand, with a reason
    "need_match": (Role.CIVIL_AFFAIRS, Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.GRID_LEADER),
    "resource_edit": (Role.CIVIL_AFFAIRS,),
    "application_file": (Role.CIVIL_AFFAIRS, Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.GRID_LEADER),
    "income_import": (Role.CIVIL_AFFAIRS,),
}


def is_staff(user: Any) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.kind == UserKind.STAFF


def grid_codes(user: User) -> list[str]:
    """The grids ``user`` is assigned to today (active ``GridAssignment`` rows)."""
    from zhenwu.registry.models import GridAssignment

    today = timezone.localdate()
    rows = GridAssignment.objects.filter(user=user, started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today))
    return list(rows.values_list("grid__code", flat=True))


def _village_scoped(user: User, prefix: str) -> bool:
    return user.has_role(Role.VILLAGE_STAFF) and len(prefix) >= VILLAGE_CODE_LENGTH


def visible_q(user: Any, field: str = "area_code") -> bool | Q:
    """The files (or rows of a file) ``user`` may see, as a filter on ``field`` (an area code): True for all of
    the scope, False for none, else a Q."""
    prefix = scope_prefix(user) if is_staff(user) else None
    if not prefix:  # nobody outside the staff, no staff without a scope (no operator exception: sensitive data)
        return False
    in_mine = Q(**{f"{field}__startswith": prefix})
    if user.has_role(Role.CIVIL_AFFAIRS) or _village_scoped(user, prefix):
        return in_mine
    grids = [code for code in grid_codes(user) if code.startswith(prefix) or prefix.startswith(code)]
    if not grids:
        return False
    q = Q()
    for code in grids:
        q |= Q(**{f"{field}__startswith": code})
    return in_mine & q


def _filtered(qs: QuerySet[Any], allowed: bool | Q) -> QuerySet[Any]:
    if allowed is False:
        return qs.none()
    return qs.filter(allowed) if isinstance(allowed, Q) else qs


def files_visible(user: Any) -> QuerySet[AssistanceFile]:
    """Every file ``user`` may open (civil affairs of the scope, the village worker of the grid); none otherwise."""
    return _filtered(AssistanceFile.objects.all(), visible_q(user))


def file_visible(user: Any, file: AssistanceFile) -> bool:
    """True when ``user`` may open ``file``."""
    return visible_on(user, file.area_code)


def visible_on(user: Any, area_code: str) -> bool:
    """The rule for one household's area code (a file, an application, a case)."""
    prefix = scope_prefix(user) if is_staff(user) else None
    if not prefix or not area_code.startswith(prefix):
        return False
    if user.has_role(Role.CIVIL_AFFAIRS) or _village_scoped(user, prefix):
        return True
    return any(area_code.startswith(code) for code in grid_codes(user))


def filtered(qs: QuerySet[Any], user: Any, field: str) -> QuerySet[Any]:
    """``qs`` cut to what ``user`` may see, by the area code in ``field``."""
    return _filtered(qs, visible_q(user, field))


def may_count(user: Any) -> bool:
    """Counts (per status and village) are for every staff member with a scope."""
    return is_staff(user) and scope_prefix(user) is not None


def may(user: Any, action: str, *, area_code: str) -> bool:
    """True when ``user`` sees the household in ``area_code`` and holds a role for ``action``."""
    return visible_on(user, area_code) and user.has_role(*ACTION_ROLES[action])


def check(user: Any, action: str, *, area_code: str, missing: str | None = None) -> None:
    """Refuse what ``may`` denies: a household out of sight 404 (it does not exist for them), no role 403."""
    if not visible_on(user, area_code):
        raise NotFound(missing or _("No such assistance file."))
    if not user.has_role(*ACTION_ROLES[action]):
        raise Forbidden(_("Your roles do not allow this action."))


def check_role(user: Any, action: str) -> None:
    """An action without a household yet (importing data, keeping resources): staff with the role, 403 else."""
    if not is_staff(user) or scope_prefix(user) is None:
        raise NotFound(_("Not found."))
    if not user.has_role(*ACTION_ROLES[action]):
        raise Forbidden(_("Your roles do not allow this action."))


def case_readers(user: Any) -> bool | Q:
    """The kernel's ``readers`` hook of kind JZ: its generic reads show a case only to those who see the file."""
    return visible_q(user, "area_code")
