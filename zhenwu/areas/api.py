"""Areas API: point → grid lookup, area detail, children, GeoJSON for the map."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from zhenwu.areas import selectors
from zhenwu.areas.index import locate
from zhenwu.areas.models import Area
from zhenwu.areas.schemas import AreaDetailOut, AreaListIn, AreaPageOut, GeoJsonOut, LocateOut

router = Router(tags=["areas"])


def _ref(area: Area | None) -> dict[str, str] | None:
    return {"code": area.code, "name": area.name, "level": area.level} if area else None


def area_out(area: Area) -> dict[str, Any]:
    centroid = [area.centroid_lng, area.centroid_lat] if area.centroid_lng is not None else None
    return {"code": area.code, "name": area.name, "level": area.level,
            "level_label": str(area.get_level_display()), "special_kind": area.special_kind,
            "parent": _ref(area.parent), "centroid": centroid, "bbox": area.bbox, "area_m2": area.area_m2}


@router.get("locate", response=LocateOut, summary="Which grid contains a point")
def locate_point(request: HttpRequest, lng: float, lat: float, crs: str = "wgs84") -> Any:
    """Deepest regular grid with its ancestors and every special grid containing the point; outside
    every grid: `grid` null and the nearest grid with its distance in metres. `crs`: wgs84 (default),
    gcj02 or bd09. Grid codes and names are public to every logged-in user (citizens report by place).
    """
    return locate(lng, lat, crs)


@router.get("geojson", response=GeoJsonOut, summary="Areas as a GeoJSON FeatureCollection (for the map)")
def areas_geojson(request: HttpRequest, under: str | None = None, levels: str | None = None) -> Any:
    """Visible areas at or below `under` at the given comma-separated `levels`
    (county, town, village, grid1, grid2, special; default all)."""
    wanted = selectors.parse_levels(levels)
    return selectors.areas_geojson(request.user, under=under, levels=wanted)  # type: ignore[arg-type]


@router.get("", response=AreaPageOut, summary="Children of an area, or the user's top areas")
def areas_list(request: HttpRequest, q: Query[AreaListIn]) -> Any:
    page, size = q.page, q.page_size
    qs = selectors.area_children(request.user, q.parent).select_related("parent")  # type: ignore[arg-type]
    items = qs[(page - 1) * size: page * size]
    return {"items": [area_out(a) for a in items], "count": qs.count(), "page": page, "page_size": size}


@router.get("{code}", response=AreaDetailOut, summary="One area with its geometry")
def area_detail(request: HttpRequest, code: str) -> Any:
    area = selectors.area_get(request.user, code)  # type: ignore[arg-type]
    staff = selectors.area_staff(request.user, area)  # type: ignore[arg-type]
    return {**area_out(area), "geometry": area.geometry, "staff": staff}
