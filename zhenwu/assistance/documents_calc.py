"""The assistance decision (救助金额核定决定书) as PDF: the household, the period, the rule set and the whole
calculation, one line per step with its figure, caps marked, then the monthly amount.

Same approach as the enforcement decision form: reportlab, the built-in CID font ``STSong-Light`` (nothing
embedded), A4, text escaped (names and sources are never markup), in the active language (zh-hans by default).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhenwu.assistance.calc import step_text

FONT = "STSong-Light"
MARGIN = 20 * mm


@dataclass(frozen=True)
class DecisionData:
    issuer: str
    grant_id: int
    household_number: str
    head_name: str  # masked as the page shows it
    village: str
    kind_label: str
    category_label: str
    period: str
    rule_version: str  # "321181102 v2 (2027-01-01)"
    members: list[str]
    steps: list[dict[str, Any]]
    amount: str
    decided_on: date


def _style(size: float, align: int = 0) -> ParagraphStyle:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return ParagraphStyle(f"jz{size}-{align}", fontName=FONT, fontSize=size, leading=size * 1.6, alignment=align,
                          wordWrap="CJK")


def _p(text: str, size: float = 10.5, align: int = 0) -> Paragraph:
    return Paragraph(escape(text), _style(size, align))


def _steps_table(steps: list[dict[str, Any]]) -> Table:
    rows = [[_p(_("Step"), 9.5), _p(_("Rule and inputs"), 9.5), _p(_("Figure (yuan)"), 9.5, TA_RIGHT)]]
    marked = []
    for i, step in enumerate(steps, start=1):
        text = step_text(step) + (f" [{_('cap applied')}]" if step.get("capped") else "")
        rows.append([_p(str(i), 9.5), _p(text, 9.5), _p(str(step.get("value", "")), 9.5, TA_RIGHT)])
        if step.get("capped"):
            marked.append(i)
    table = Table(rows, colWidths=[12 * mm, 120 * mm, 32 * mm], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]
    style += [("BACKGROUND", (0, i), (-1, i), colors.Color(1, 0.95, 0.85)) for i in marked]
    table.setStyle(TableStyle(style))
    return table


def decision_pdf(data: DecisionData) -> bytes:
    """The decision with the calculation's every step (inputs, rules, caps) and the monthly amount."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{_('Assistance amount decision')} {data.grant_id}")
    story: list[Any] = [
        _p(data.issuer, 13, TA_CENTER), Spacer(1, 2 * mm), _p(_("Assistance amount decision"), 18, TA_CENTER),
        _p(_("No. %(number)s") % {"number": data.grant_id}, 10, TA_CENTER), Spacer(1, 6 * mm),
        _p(_("Household: %(number)s, %(head)s, %(village)s")
           % {"number": data.household_number, "head": data.head_name, "village": data.village}),
        _p(_("Members: %(names)s") % {"names": "、".join(data.members)}),
        _p(_("Assistance: %(kind)s; category: %(category)s; period: %(period)s")
           % {"kind": data.kind_label, "category": data.category_label, "period": data.period}),
        _p(_("Rules applied: published rule set %(version)s") % {"version": data.rule_version}),
        Spacer(1, 3 * mm), _steps_table(data.steps), Spacer(1, 4 * mm),
        _p(_("Monthly amount granted: %(amount)s yuan") % {"amount": data.amount}, 12),
        _p(_("If you disagree with this decision, you may apply for administrative reconsideration within 60 days "
             "of receiving it, or bring an administrative lawsuit within 6 months.")),
        Spacer(1, 8 * mm), _p(data.issuer, align=TA_RIGHT), _p(str(date_format(data.decided_on)), align=TA_RIGHT),
    ]
    doc.build(story)
    return out.getvalue()
