"""积分排名 as xlsx: the month's ranking of the scope, one row per worker, a column per rule."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from zhenwu.errors import gettext as _
from zhenwu.grid.choices_points import PointRule
from zhenwu.grid.selectors_scoring import RankRow
from zhenwu.sheets import safe_row


def ranking_xlsx(rows: list[RankRow], month: dt.date) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Points ranking") + f" {month:%Y-%m}")
    sheet.append(safe_row(sheet, [_("Town"), _("Rank in town"), _("Grid"), _("Rank in grid"), _("Grid worker"),
                                  _("Points"), *[label for _key, label in PointRule.choices]]))
    for r in rows:
        sheet.append(safe_row(sheet, [r.town_name, r.town_rank, r.grid_name or r.grid_code, r.grid_rank, r.name,
                                      r.total, *[r.by_rule.get(key, 0) for key in PointRule.values]]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
