"""Pages of the areas app: the grid map."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhenwu.areas import selectors
from zhenwu.areas.choices import AreaLevel

# Colours per level, shared by the map styles and its legend.
LEVEL_COLOURS = {AreaLevel.COUNTY: "#616161", AreaLevel.TOWN: "#37474f", AreaLevel.VILLAGE: "#6d4c41",
                 AreaLevel.GRID1: "#1565c0", AreaLevel.GRID2: "#2e7d32", AreaLevel.SPECIAL: "#c62828"}
MAP_LEVELS = (AreaLevel.TOWN, AreaLevel.VILLAGE, AreaLevel.GRID1, AreaLevel.GRID2, AreaLevel.SPECIAL)


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    """网格地图: the user's areas drawn from GeoJSON, opened on their scope; click a grid for its card."""
    top = selectors.area_top(request.user).first()  # type: ignore[arg-type]
    scope = getattr(request.user, "scope_area", None)
    focus = scope or top
    config = {
        "under": top.code if top else None,
        "levels": ",".join(MAP_LEVELS),
        "bbox": focus.bbox if focus else None,
        "colours": {str(k): v for k, v in LEVEL_COLOURS.items()},
        "tileUrl": settings.MAP_TILE_URL,
        "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
        "api": "/api/v1/areas/",
        "gridFile": reverse("registry:grid_file", kwargs={"code": "CODE"}),
        "text": {"none": _("none"), "noStaff": _("No staff assigned."), "credit": _("Map drawn with Leaflet")},
    }
    legend = [(str(level), AreaLevel(level).label, LEVEL_COLOURS[level]) for level in MAP_LEVELS]
    return render(request, "areas/map.html", {"config": config, "legend": legend, "top": top})
