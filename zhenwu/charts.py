"""Charts as data: what a page passes to ``web/_chart.html`` (the figure, its table and its links).

A chart is categories × series plus one link per category (clicking a bar or a point opens that
category's cases). The page embeds ``payload`` with ``json_script`` and ``static/zhenwu/charts.js``
draws it with the vendored Apache ECharts; the same numbers are the table under the chart, so the
page reads the same without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LIGHT_COLOURS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828"}
PALETTE = ("#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f")


@dataclass
class Series:
    name: str
    data: list[float | int | None]
    colour: str = ""
    colours: list[str] = field(default_factory=list)  # one colour per category (lights)
    unit: str = ""  # "%" for rates
    table_only: bool = False  # a count beside a rate: in the table, not on the rate's axis


@dataclass
class Chart:
    """One figure: ``kind`` is ``line``, ``bar`` (vertical) or ``hbar`` (horizontal, long labels)."""

    key: str
    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    links: list[str] = field(default_factory=list)
    note: str = ""  # what the figure counts, under the title

    @property
    def empty(self) -> bool:
        """Nothing to draw: no categories, or only zero counts. A rate of 0% is a figure (no rework at all,
        of 30 cases), not a missing one: a rate series is empty only when none of its values could be worked out."""
        if not self.categories:
            return True
        if any(s.unit == "%" and any(v is not None for v in s.data) for s in self.series):
            return False
        return all(not any(s.data) for s in self.series)

    @property
    def script_id(self) -> str:
        return f"chart-data-{self.key}"

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The table under the chart: one row per category, one cell per series."""
        return [{"label": label, "link": self.links[i] if i < len(self.links) else "",
                 "cells": [{"name": s.name, "value": s.data[i], "unit": s.unit} for s in self.series]}
                for i, label in enumerate(self.categories)]

    @property
    def payload(self) -> dict[str, Any]:
        shown = [s for s in self.series if not s.table_only]
        return {"kind": self.kind, "title": self.title, "categories": self.categories, "links": self.links,
                "series": [{"name": s.name, "data": s.data, "colour": s.colour or PALETTE[i % len(PALETTE)],
                            "colours": s.colours, "unit": s.unit} for i, s in enumerate(shown)]}


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None
