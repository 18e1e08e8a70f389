"""PDF documents of a penalty case: the numbered 当场行政处罚决定书 (summary procedure, Art. 52).

Built from a plain dataclass (no models), in the active language (zh-hans by default), Chinese set in
the built-in CID font ``STSong-Light`` (nothing embedded), A4, numbered with the decision number.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

FONT = "STSong-Light"
MARGIN = 22 * mm
REVIEW_DAYS, LAWSUIT_MONTHS = 60, 6  # 行政复议法 Art. 20; 行政诉讼法 Art. 46


@dataclass(frozen=True)
class SummaryDecisionData:
    issuer: str
    decision_number: str
    party_name: str
    party_number: str  # ID number (masked) or USCC
    facts: str
    basis: str
    penalty: str
    payment: str
    officers: str
    decided_on: date


def _style(size: float, align: int = 0) -> ParagraphStyle:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return ParagraphStyle(f"zf{size}-{align}", fontName=FONT, fontSize=size, leading=size * 1.7, alignment=align,
                          wordWrap="CJK")


def _p(text: str, size: float = 11.5, align: int = 0) -> Paragraph:
    return Paragraph(escape(text), _style(size, align))  # the party's and officer's text is never markup


def summary_decision(data: SummaryDecisionData) -> bytes:
    """当场行政处罚决定书: party, facts, basis, penalty, how to pay, the remedies, the officers, the date."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{_('On-the-spot penalty decision')} {data.decision_number}")
    story = [
        _p(data.issuer, 13, TA_CENTER), Spacer(1, 3 * mm), _p(_("On-the-spot penalty decision"), 20, TA_CENTER),
        _p(_("No. %(number)s") % {"number": data.decision_number}, 10.5, TA_CENTER), Spacer(1, 8 * mm),
        _p(_("Party: %(name)s (%(number)s)") % {"name": data.party_name, "number": data.party_number}),
        _p(_("Facts: %(facts)s") % {"facts": data.facts}),
        _p(_("Legal basis: %(basis)s") % {"basis": data.basis}),
        _p(_("Penalty: %(penalty)s") % {"penalty": data.penalty}),
        _p(data.payment),
        _p(_("If you disagree with this decision, you may apply for administrative reconsideration within %(days)s "
             "days of receiving it, or bring an administrative lawsuit within %(months)s months.")
           % {"days": REVIEW_DAYS, "months": LAWSUIT_MONTHS}),
        _p(_("Enforcement officers: %(names)s") % {"names": data.officers}),
        Spacer(1, 10 * mm), _p(data.issuer, align=TA_RIGHT), _p(str(date_format(data.decided_on)), align=TA_RIGHT),
    ]
    doc.build(story)
    return out.getvalue()
