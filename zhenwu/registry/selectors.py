"""Reads of base data, always through the user asking and inside their scope.

Every list is ``area_code LIKE '<scope>%'`` plus only index-friendly predicates (exact values, or a
prefix on an indexed column), ordered by id descending, so that a page is an index walk even among
a million residents. Pages are keyset (``after`` = the last id seen) with a count capped at
``COUNT_CAP``: no COUNT over millions of rows on every page.

Citizens and enterprise accounts get 404 on everything here; staff without a scope see nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.accounts.selectors import scope_prefix
from zhenwu.areas.choices import GRID_LEVELS
from zhenwu.areas.models import Area
from zhenwu.errors import FieldError, NotFound
from zhenwu.registry.choices import (
    CareTag,
    HouseholdKind,
    OperatingStatus,
    PlaceKind,
    ResidentStatus,
    RiskLevel,
)
from zhenwu.registry.models import (
    Camera,
    Enterprise,
    GridAssignment,
    Household,
    Place,
    Resident,
    ResidentTag,
)

COUNT_CAP = 1000
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

_ID_NUMBER = re.compile(r"^\d{17}[\dXx]$")
_MOBILE = re.compile(r"^1\d{10}$")
_USCC = re.compile(r"^[0-9A-HJ-NP-RT-UW-Ya-hj-np-rt-uw-y]{18}$")
_GRID_CODE = re.compile(r"^\d{6,24}$")

M = TypeVar("M", bound=models.Model)


# --- scope ---------------------------------------------------------------------------------------

def registry_prefix(user: User) -> str | None:
    """The user's scope prefix; 404 for anyone who is not staff (the registry is not theirs to know)."""
    if not user.is_authenticated or user.kind != UserKind.STAFF:
        raise NotFound(_("Not found."))
    return scope_prefix(user)


def scoped(model: type[M], user: User) -> QuerySet[M]:
    """Every row of ``model`` in the user's scope (the scope rule, an unscoped superuser as operator; none for
    staff without a scope)."""
    registry_prefix(user)  # 404 for anyone who is not staff
    return restrict(model._default_manager.all(), user, operator=True)


def record_get(model: type[M], *, user: User, pk: int) -> M:
    """One row in the user's scope; absent and out of scope both answer 404."""
    row = scoped(model, user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such record in your scope."))
    return row


def grid_in_scope(*, user: User, code: str, field_name: str = "grid") -> Area:
    """A grid (level-1, level-2 or special) the user may file records into; else a FieldError on the input."""
    grids = Area.objects.filter(code=code, level__in=GRID_LEVELS)
    grid = restrict(grids, user, field="code", operator=True).first() if _GRID_CODE.match(code) else None
    if grid is None:
        raise FieldError(field_name, _("No such grid in your scope."))
    return grid


def grids_in_scope(*, user: User) -> dict[str, Area]:
    """Every grid the user may file records into, by code (for checking many rows at once)."""
    grids = Area.objects.filter(level__in=GRID_LEVELS)
    return {a.code: a for a in restrict(grids, user, field="code", operator=True)}


# --- filters -------------------------------------------------------------------------------------

def _choice(value: str | None, choices: type[models.TextChoices], name: str) -> str | None:
    if not value:
        return None
    if value not in choices.values:
        raise FieldError(name, _("Choose one of the allowed values."))
    return value


def _in_grid(qs: QuerySet[M], grid: str | None) -> QuerySet[M]:
    if not grid:
        return qs
    if not _GRID_CODE.match(grid):
        raise FieldError("grid", _("Enter an area code of digits."))
    return qs.filter(area_code__startswith=grid)


def _text(value: str | None) -> str:
    """A search or filter string without NUL bytes (PostgreSQL refuses them in literals)."""
    return (value or "").replace("\x00", "").strip()


def search_key(q: str | None) -> tuple[str, str] | None:
    """What a search box string is: ``id_number``, ``mobile``, ``uscc`` (exact) or ``prefix``."""
    text = _text(q)
    if not text:
        return None
    if _ID_NUMBER.match(text):
        return "id_number", text.upper()
    if _MOBILE.match(text):
        return "mobile", text
    if _USCC.match(text):
        return "uscc", text.upper()
    return "prefix", text


def resident_list(*, user: User, grid: str | None = None, status: str | None = None, tag: str | None = None,
                  q: str | None = None) -> QuerySet[Resident]:
    """Residents in scope; ``q`` is a full ID number, an 11-digit mobile or the start of a name."""
    qs = _in_grid(scoped(Resident, user), grid)
    if status := _choice(status, ResidentStatus, "status"):
        qs = qs.filter(status=status)
    if tag := _choice(tag, CareTag, "tag"):
        qs = qs.filter(tags__tag=tag)
    key = search_key(q)
    if key:
        kind, value = key
        lookup = {"id_number": Q(id_number=value), "mobile": Q(mobile=value)}.get(kind, Q(name__startswith=value))
        qs = qs.filter(lookup)
    return qs.select_related("household").order_by("-id")


def household_list(*, user: User, grid: str | None = None, kind: str | None = None,
                   q: str | None = None) -> QuerySet[Household]:
    """Households in scope; ``q`` is a household number or the start of an address."""
    qs = _in_grid(scoped(Household, user), grid)
    if value := _choice(kind, HouseholdKind, "kind"):
        qs = qs.filter(kind=value)
    text = _text(q)
    if text:
        qs = qs.filter(Q(number=text) | Q(address__startswith=text))
    return qs.select_related("head").order_by("-id")


def enterprise_list(*, user: User, grid: str | None = None, operating_status: str | None = None,
                    risk_level: str | None = None, abnormal: bool | None = None,
                    q: str | None = None) -> QuerySet[Enterprise]:
    """Enterprises in scope; ``q`` is a full USCC or mobile, or the start of a name or an address."""
    qs = _in_grid(scoped(Enterprise, user), grid)
    if value := _choice(operating_status, OperatingStatus, "operating_status"):
        qs = qs.filter(operating_status=value)
    if value := _choice(risk_level, RiskLevel, "risk_level"):
        qs = qs.filter(risk_level=value)
    if abnormal is not None:
        qs = qs.filter(abnormal_listed=abnormal)
    key = search_key(q)
    if key:
        kind, text = key
        exact = {"uscc": Q(uscc=text), "id_number": Q(uscc=text), "mobile": Q(mobile=text)}
        qs = qs.filter(exact.get(kind, Q(name__startswith=text) | Q(address__startswith=text)))
    return qs.order_by("-id")


def place_list(*, user: User, grid: str | None = None, kind: str | None = None,
               q: str | None = None) -> QuerySet[Place]:
    """Places in scope; ``q`` is the start of a name or an address."""
    qs = _in_grid(scoped(Place, user), grid)
    if value := _choice(kind, PlaceKind, "kind"):
        qs = qs.filter(kind=value)
    text = _text(q)
    if text:
        qs = qs.filter(Q(name__startswith=text) | Q(address__startswith=text))
    return qs.select_related("enterprise").order_by("-id")


def camera_list(*, user: User, grid: str | None = None, source_system: str | None = None,
                q: str | None = None) -> QuerySet[Camera]:
    """Cameras in scope; ``q`` is a camera code or the start of a name."""
    qs = _in_grid(scoped(Camera, user), grid)
    if source_system:
        qs = qs.filter(source_system=_text(source_system))
    text = _text(q)
    if text:
        qs = qs.filter(Q(code=text) | Q(name__startswith=text))
    return qs.order_by("-id")


# --- pages ---------------------------------------------------------------------------------------

@dataclass
class Page:
    """One keyset page: the rows, the cursor of the next page, and a count capped at COUNT_CAP."""

    items: list[Any]
    next_after: int | None
    count: int
    count_capped: bool


def page_of(qs: QuerySet[Any], *, after: int | None = None, limit: int = PAGE_SIZE) -> Page:
    """Rows after the id ``after`` (ordering is by id descending), at most ``limit`` of them."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    count = qs[:COUNT_CAP + 1].count()
    rows = list((qs.filter(pk__lt=after) if after else qs)[:limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, rows[-1].pk if more else None, min(count, COUNT_CAP), count > COUNT_CAP)


# --- grid staffing and the grid file ---------------------------------------------------------------

def grid_get(*, user: User, code: str) -> Area:
    """A grid in the user's scope; 404 otherwise (non-staff included)."""
    prefix = registry_prefix(user)
    if not _GRID_CODE.match(code):
        raise NotFound(_("No such grid in your scope."))
    grid = Area.objects.filter(code=code, level__in=GRID_LEVELS).select_related("parent").first()
    if grid is None or prefix is None or not grid.code.startswith(prefix):
        raise NotFound(_("No such grid in your scope."))
    return grid


def assignment_list(*, user: User, grid: str | None = None, current: bool | None = None
                    ) -> QuerySet[GridAssignment]:
    """Grid assignments (history included) of grids in scope, optionally one grid and its sub-grids."""
    prefix = registry_prefix(user)
    if prefix is None:
        return GridAssignment.objects.none()
    qs = GridAssignment.objects.filter(grid__code__startswith=prefix)
    if grid:
        if not _GRID_CODE.match(grid):
            raise FieldError("grid", _("Enter an area code of digits."))
        qs = qs.filter(grid__code__startswith=grid)
    if current is not None:
        qs = qs.filter(ended_on__isnull=current)
    return qs.select_related("grid", "user").order_by("grid__code", "duty", "-started_on", "-id")


def assignment_get(*, user: User, pk: int) -> GridAssignment:
    row = assignment_list(user=user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such record in your scope."))
    return row


@dataclass
class GridFile:
    """一格一档: a grid, its staff (current and past), and how much of each kind of record it holds."""

    grid: Area
    current_staff: list[GridAssignment]
    past_staff: list[GridAssignment]
    counts: dict[str, int]
    residents_by_status: dict[str, int]
    residents_by_tag: dict[str, int]
    sub_grids: list[Area] = field(default_factory=list)


def _count_by(qs: QuerySet[Any], column: str) -> dict[str, int]:
    return {row[column]: row["n"] for row in qs.values(column).annotate(n=Count("pk")).order_by(column)}


def grid_file(*, user: User, code: str) -> GridFile:
    """The grid file page and API: the grid, staff with history, counts per kind, status and tag."""
    grid = grid_get(user=user, code=code)
    staff = list(assignment_list(user=user, grid=grid.code))
    in_grid = {"area_code__startswith": grid.code}
    counts = {name: model._default_manager.filter(**in_grid).count()
              for name, model in KIND_MODELS.items()}
    tags = Counter(_count_by(ResidentTag.objects.filter(resident__area_code__startswith=grid.code), "tag"))
    return GridFile(
        grid=grid,
        current_staff=[a for a in staff if a.ended_on is None],
        past_staff=[a for a in staff if a.ended_on is not None],
        counts=counts,
        residents_by_status=_count_by(Resident.objects.filter(**in_grid), "status"),
        residents_by_tag=dict(tags),
        sub_grids=list(Area.objects.filter(parent=grid, level__in=GRID_LEVELS).order_by("code")),
    )


KIND_MODELS: dict[str, type[models.Model]] = {
    "households": Household, "residents": Resident, "enterprises": Enterprise,
    "places": Place, "cameras": Camera,
}
