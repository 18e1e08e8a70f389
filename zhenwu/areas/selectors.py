"""Reads of the area tree, scoped to the viewer.

Visibility: staff see every area of the town containing their scope area (their scope code cut to
9 digits; county-scoped staff see the whole county) plus its ancestors; superusers see everything;
citizens and enterprises see every area's code, name, level and geometry (they report incidents by
place) but never staff lists. Staff lists only for areas inside the user's own scope, or for admins.

areas is the lowest layer and never imports accounts: who may see what is answered by the viewer
(``AreaViewer``; ``accounts.models.User`` implements it), the rule itself lives in accounts.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.areas.validation import fmt
from zhenwu.errors import FieldError, NotFound


class AreaViewer(Protocol):
    """Who reads the area tree (accounts' ``User``)."""

    @property
    def area_root(self) -> str | None:
        """Code prefix of the subtree the viewer may see ('' = everything, None = nothing)."""

    def area_staff(self, area: Area) -> list[dict[str, Any]] | None:
        """Staff whose scope is exactly ``area`` with role labels; None when the viewer may not see them."""


def visibility_root(user: Any) -> str | None:
    """The viewer's subtree prefix; None (nothing) for anyone who does not answer (anonymous)."""
    return getattr(user, "area_root", None)


def visible_areas(user: AreaViewer) -> QuerySet[Area]:
    """Every area the user may see."""
    root = visibility_root(user)
    if root is None:
        return Area.objects.none()
    if root == "":
        return Area.objects.all()
    ancestors = [root[:n] for n in range(6, len(root), 3)]
    return Area.objects.filter(Q(code__startswith=root) | Q(code__in=ancestors))


def area_get(user: AreaViewer, code: str) -> Area:
    """One visible area by code; unknown and invisible both answer 404."""
    area = visible_areas(user).select_related("parent").filter(code=code).first()
    if area is None:
        raise NotFound(fmt(_("No area with code %(code)s."), {"code": code}), field="code")
    return area


def area_top(user: AreaViewer) -> QuerySet[Area]:
    """The user's top visible areas: the root of their subtree, or the counties for everyone else."""
    root = visibility_root(user)
    if root:
        return Area.objects.filter(code=root)
    return visible_areas(user).filter(parent__isnull=True)


def area_children(user: AreaViewer, parent_code: str | None) -> QuerySet[Area]:
    """Children of a visible area (or the top areas when no parent is given), in code order."""
    if not parent_code:
        return area_top(user)
    parent = area_get(user, parent_code)
    return visible_areas(user).filter(parent=parent).order_by("code")


def area_staff(user: AreaViewer, area: Area) -> list[dict[str, Any]] | None:
    """Staff whose scope is exactly this area, with role labels; None when the user may not see them."""
    answer = getattr(user, "area_staff", None)
    return answer(area) if answer is not None else None


def parse_levels(levels: str | None) -> list[str]:
    """A comma-separated level list (``grid1,grid2,special``); unknown names name the `levels` field."""
    if not levels:
        return list(AreaLevel.values)
    wanted = [w.strip() for w in levels.split(",") if w.strip()]
    unknown = [w for w in wanted if w not in AreaLevel.values]
    if unknown:
        raise FieldError("levels", fmt(_("Unknown level %(level)s; use one of: %(levels)s."),
                                       {"level": ", ".join(unknown), "levels": ", ".join(AreaLevel.values)}))
    return wanted


def feature_of(area: Area, parent_code: str | None) -> dict[str, Any]:
    """One area as a GeoJSON Feature (properties code, name, level, parent, special_kind, area_m2)."""
    props: dict[str, Any] = {"code": area.code, "name": area.name, "level": area.level,
                             "parent": parent_code}
    if area.special_kind:
        props["special_kind"] = area.special_kind
    props["area_m2"] = area.area_m2
    return {"type": "Feature", "geometry": area.geometry, "properties": props}


def _features(qs: QuerySet[Area]) -> dict[str, Any]:
    rows = qs.select_related("parent").order_by("code")
    return {"type": "FeatureCollection",
            "features": [feature_of(a, a.parent.code if a.parent else None) for a in rows]}


def areas_geojson(user: AreaViewer, *, under: str | None, levels: list[str]) -> dict[str, Any]:
    """Visible areas at or below `under` (default: the user's top areas) at the given levels."""
    qs = visible_areas(user).filter(level__in=levels)
    if under:
        qs = qs.filter(code__startswith=area_get(user, under).code)
    else:
        tops = list(area_top(user).values_list("code", flat=True))
        qs = qs.filter(_prefix_any(tops))
    return _features(qs)


def _prefix_any(codes: list[str]) -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(code__startswith=code)
    return q


def areas_export(*, under: str | None = None) -> dict[str, Any]:
    """Every area (or every area at or below `under`) as a FeatureCollection, for the CLI and admin."""
    qs = Area.objects.all()
    if under:
        if not Area.objects.filter(code=under).exists():
            raise NotFound(fmt(_("No area with code %(code)s."), {"code": under}), field="under")
        qs = qs.filter(code__startswith=under)
    return _features(qs)
