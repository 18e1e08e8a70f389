"""Input coordinates: range checks and conversion of GCJ-02 / BD-09 to WGS84 (stored as CGCS2000)."""

from __future__ import annotations

import math
from collections.abc import Callable

import coordTransform
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhenwu.errors import FieldError


class Crs(models.TextChoices):
    """Coordinate systems accepted on input (phones give WGS84, Chinese map SDKs GCJ-02/BD-09)."""

    WGS84 = "wgs84", _("WGS84 (GPS)")
    GCJ02 = "gcj02", _("GCJ-02 (AMap, Tencent)")
    BD09 = "bd09", _("BD-09 (Baidu)")


_TO_WGS84: dict[str, Callable[[float, float], list[float]]] = {
    Crs.GCJ02: coordTransform.gcj02_to_wgs84,
    Crs.BD09: coordTransform.bd09_to_wgs84,
}


def check_lng_lat(lng: float, lat: float) -> None:
    """Raise a FieldError naming `lng` or `lat` when out of range or not a finite number."""
    if not (math.isfinite(lng) and -180.0 <= lng <= 180.0):
        raise FieldError("lng", _("Longitude must be between -180 and 180."))
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise FieldError("lat", _("Latitude must be between -90 and 90."))


def to_wgs84(lng: float, lat: float, crs: str = Crs.WGS84) -> tuple[float, float]:
    """Checked (lng, lat) converted to WGS84; unknown `crs` is a FieldError naming `crs`."""
    check_lng_lat(lng, lat)
    if crs == Crs.WGS84:
        return lng, lat
    convert = _TO_WGS84.get(crs)
    if convert is None:
        raise FieldError("crs", _("Unknown coordinate system; use wgs84, gcj02 or bd09."))
    x, y = convert(lng, lat)
    return float(x), float(y)
