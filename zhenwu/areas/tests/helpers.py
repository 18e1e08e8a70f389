"""Small builders shared by the areas tests."""

from __future__ import annotations

from typing import Any

from zhenwu.testing import square


def feature(code: str, name: str, level: str, parent: str | None, geometry: Any,
            **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry,
            "properties": {"code": code, "name": name, "level": level, "parent": parent, **props}}


def collection(*features: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def new_village_features() -> dict[str, Any]:
    """A third village with one L1 and one L2 grid, inside the test town (lat 31.90–32.00)."""
    geom = square(119.50, 31.90, 119.52, 31.92)
    return collection(
        feature("321181102203", "南湖社区", "village", "321181102", geom),
        feature("321181102203001", "南湖网格", "grid1", "321181102203", geom),
        feature("321181102203001001", "南湖第一网格", "grid2", "321181102203001", geom),
    )
