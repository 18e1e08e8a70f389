"""PDF documents of a penalty case: the numbered 当场行政处罚决定书 (summary procedure, Art. 52) and the
documents of the general procedure (立案审批表, 询问笔录, 现场检查笔录, 集体讨论记录, 事先告知书, 听证通知书,
行政处罚决定书, 送达回证, 催告书, 强制执行申请书, 结案报告) and the archive's index (卷内目录).

Built from plain dataclasses (no models), in the active language (zh-hans by default), Chinese set in
the built-in CID font ``STSong-Light`` (nothing embedded), A4, each page carrying the document number.
Rendered ``invariant`` (no creation time or random id inside): the same data gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
MARGIN = 22 * mm


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
           % {"days": settings.ENFORCEMENT_REVIEW_DAYS, "months": settings.ENFORCEMENT_LAWSUIT_MONTHS}),
        _p(_("Enforcement officers: %(names)s") % {"names": data.officers}),
        Spacer(1, 10 * mm), _p(data.issuer, align=TA_RIGHT), _p(str(date_format(data.decided_on)), align=TA_RIGHT),
    ]
    doc.build(story)
    return out.getvalue()


# --- the general procedure's documents --------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One numbered document: its lines are (label, text) — a label "" is a paragraph of its own."""

    issuer: str
    title: str
    number: str
    lines: tuple[tuple[str, str], ...]
    signatures: tuple[str, ...] = ()
    dated: date | None = None


def _numbered(number: str) -> object:
    def on_page(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(FONT, 8.5)  # type: ignore[attr-defined]
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, f"{number} · {canvas.getPageNumber()}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    return on_page


def _template(out: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                             bottomMargin=MARGIN, title=title, invariant=True)


def document_pdf(data: Document) -> bytes:
    """A general-procedure document: issuer, title, number, its lines, the signature lines, the date."""
    out = io.BytesIO()
    doc = _template(out, f"{data.title} {data.number}")
    story: list[object] = [_p(data.issuer, 13, TA_CENTER), Spacer(1, 3 * mm), _p(data.title, 20, TA_CENTER),
                           _p(data.number, 10.5, TA_CENTER), Spacer(1, 8 * mm)]
    for label, text in data.lines:
        story.append(_p(f"{label}：{text}" if label else text))
    if data.signatures:
        story.append(Spacer(1, 8 * mm))
        story.extend(_p(line) for line in data.signatures)
    if data.dated:
        story += [Spacer(1, 8 * mm), _p(data.issuer, align=TA_RIGHT),
                  _p(str(date_format(data.dated)), align=TA_RIGHT)]
    on_page = _numbered(data.number)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)  # type: ignore[arg-type]
    return out.getvalue()


@dataclass(frozen=True)
class IndexItem:
    name: str
    title: str
    sha256: str
    size: int


def index_pdf(*, issuer: str, case_number: str, decision_number: str, party: str, items: list[IndexItem],
              note: str) -> bytes:
    """卷内目录: every item of the archive in order, with its size and SHA-256."""
    out = io.BytesIO()
    title = _("Archive index")
    doc = _template(out, f"{title} {case_number}")
    small = _style(7.5)
    rows = [[_p(_("No."), 8), _p(_("Item"), 8), _p(_("Size (bytes)"), 8), _p("SHA-256", 8)]]
    rows += [[_p(str(n), 8), Paragraph(escape(f"{i.title}（{i.name}）"), small), _p(str(i.size), 8),
              Paragraph(escape(i.sha256), small)] for n, i in enumerate(items, start=1)]
    table = Table(rows, colWidths=[10 * mm, 70 * mm, 20 * mm, 66 * mm], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, "#777777"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [_p(issuer, 13, TA_CENTER), _p(title, 20, TA_CENTER), Spacer(1, 4 * mm),
             _p(_("Case: %(number)s") % {"number": case_number}),
             _p(_("Decision: %(number)s") % {"number": decision_number or "—"}),
             _p(_("Party: %(name)s") % {"name": party}), _p(note, 9), Spacer(1, 4 * mm), table]
    on_page = _numbered(case_number)
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)  # type: ignore[arg-type]
    return out.getvalue()
