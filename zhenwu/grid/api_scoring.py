"""/api/v1/grid/scores/ (积分: the month's ranking, a worker's ledger, the ranking as xlsx) and
/api/v1/grid/indicators/ (the month's 一网治理 indicators per grid, village or town)."""

# No ``from __future__ import annotations``: django-ninja must see the real schema classes.

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from zhenwu.accounts.http import request_user as _user
from zhenwu.grid import selectors_scoring as selectors
from zhenwu.grid.choices_points import PointRule
from zhenwu.grid.scoring_export import ranking_xlsx
from zhenwu.grid.services.points import rule_points

scores_router = Router(tags=["grid-scores"])
indicators_router = Router(tags=["grid-indicators"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RankingQuery(Schema):
    month: str = ""
    area: str = ""


class RuleOut(Schema):
    key: str
    label: str
    points: int


class RankOut(Schema):
    worker_id: int
    name: str
    grid_code: str
    grid_name: str
    town_code: str
    town_name: str
    total: int
    town_rank: int
    grid_rank: int
    by_rule: dict[str, int]
    ledger_url: str


class RankingOut(Schema):
    month: str
    rules: list[RuleOut]
    items: list[RankOut]


class LedgerLineOut(Schema):
    rule: str
    rule_label: str
    points: int
    quantity: int
    source_kind: str
    source_id: str
    source_label: str
    source_url: str
    at: dt.datetime


class LedgerOut(Schema):
    worker_id: int
    worker: str
    month: str
    total: int
    lines: list[LedgerLineOut]


class IndicatorQuery(Schema):
    month: str = ""
    level: str = "village"
    area: str = ""


class IndicatorDefOut(Schema):
    key: str
    label: str
    formula: str
    formula_text: str
    unit: str


class IndicatorRowOut(Schema):
    code: str
    name: str
    counts: dict[str, float]
    values: dict[str, float | None]


class IndicatorsOut(Schema):
    month: str
    level: str
    indicators: list[IndicatorDefOut]
    rows: list[IndicatorRowOut]
    total: IndicatorRowOut


def rules() -> list[dict[str, Any]]:
    return [{"key": key, "label": str(label), "points": rule_points(key)} for key, label in PointRule.choices]


@scores_router.get("", response=RankingOut)
def scores_ranking(request: HttpRequest, query: Query[RankingQuery]) -> dict[str, Any]:
    """The month's ranking (``month`` YYYY-MM, default this month) of the grid workers of my scope (``area``:
    a code prefix within it), ranked in their town and their grid. Grid workers read their own ledger only."""
    month = selectors.month_clean(query.month)
    rows = selectors.ranking(user=_user(request), month=month, area=selectors.area_clean(query.area))
    items = [{**vars(r), "ledger_url": f"/grid/scores/workers/{r.worker_id}/?month={month:%Y-%m}"} for r in rows]
    return {"month": f"{month:%Y-%m}", "rules": rules(), "items": items}


@scores_router.get("/ledger", response=LedgerOut)
def scores_ledger(request: HttpRequest, month: str = "", worker: int | None = None) -> dict[str, Any]:
    """A worker's points of the month (default: mine), each line linked to the incident, visit or patrol."""
    found = selectors.ledger(user=_user(request), worker_id=worker, month=selectors.month_clean(month))
    lines = [{"rule": line.entry.rule, "rule_label": line.rule_label, "points": line.entry.points,
              "quantity": line.entry.quantity, "source_kind": line.entry.source_kind,
              "source_id": line.entry.source_id, "source_label": line.source_label, "source_url": line.link,
              "at": line.entry.at} for line in found.lines]
    return {"worker_id": found.worker.pk, "worker": found.worker.full_name or found.worker.username,
            "month": f"{found.month:%Y-%m}", "total": found.total, "lines": lines}


@scores_router.get("/ranking.xlsx")
def scores_ranking_xlsx(request: HttpRequest, query: Query[RankingQuery]) -> HttpResponse:
    """The ranking as an xlsx sheet (a column per rule)."""
    month = selectors.month_clean(query.month)
    rows = selectors.ranking(user=_user(request), month=month, area=selectors.area_clean(query.area))
    response = HttpResponse(ranking_xlsx(rows, month), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="points-{month:%Y-%m}.xlsx"'
    return response


def indicator_defs() -> list[dict[str, str]]:
    return [{"key": key, "label": selectors.indicator_label(key), "formula": spec["formula"],
             "formula_text": selectors.formula_text(spec["formula"]), "unit": str(spec.get("unit", ""))}
            for key, spec in settings.GRID_INDICATORS.items()]


def _row(row: selectors.IndicatorRow) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "counts": row.counts, "values": row.values}


@indicators_router.get("", response=IndicatorsOut)
def indicators_list(request: HttpRequest, query: Query[IndicatorQuery]) -> dict[str, Any]:
    """The month's indicators per ``level`` (grid, village, town) of my scope, and in total; the formulas
    are those of ``settings.GRID_INDICATORS``."""
    month, level = selectors.month_clean(query.month), selectors.level_clean(query.level)
    rows, total = selectors.indicators(user=_user(request), month=month, level=level,
                                       area=selectors.area_clean(query.area))
    return {"month": f"{month:%Y-%m}", "level": level, "indicators": indicator_defs(),
            "rows": [_row(r) for r in rows], "total": _row(total)}
