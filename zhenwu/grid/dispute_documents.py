"""人民调解协议书: the agreement of a dispute mediated successfully, as an A4 PDF.

Built from a plain frozen dataclass (no models), so the service decides where the values come from.
Chinese is set in the CID font ``STSong-Light`` that every PDF viewer supplies (nothing embedded), as the
service hall's notices are; text from the parties and mediators is escaped, never read as markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import partial
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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
MARGIN = 22 * mm
BODY = 11.5


@dataclass(frozen=True)
class AgreementParty:
    role: str  # the role's label (申请人 / 被申请人)
    name: str
    id_number: str = ""
    mobile: str = ""
    address: str = ""


@dataclass(frozen=True)
class AgreementData:
    """What a 人民调解协议书 states: who mediated, between whom, about what, and what was agreed."""

    case_number: str
    committee: str  # the mediating body, e.g. 东山村人民调解委员会
    kind: str  # the dispute type's label
    parties: tuple[AgreementParty, ...]
    facts: str
    terms: str
    mediators: tuple[str, ...]
    signed_on: date

    def __post_init__(self) -> None:
        if not self.parties or not self.terms.strip():
            raise ValueError("an agreement needs its parties and its terms")


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)


_register_font()


def _p(text: str, *, size: float = BODY, align: int = 0, indent: bool = True) -> Paragraph:
    style = ParagraphStyle(f"jf{size}-{align}-{indent}", fontName=FONT, fontSize=size, leading=size * 1.7,
                           alignment=align, firstLineIndent=2 * size if indent else 0, wordWrap="CJK")
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _parties(parties: tuple[AgreementParty, ...]) -> Table:
    header = [_("Party"), _("Name"), _("ID number or USCC"), _("Mobile"), _("Address")]
    rows = [[_p(h, size=10, align=TA_CENTER, indent=False) for h in header]]
    rows += [[_p(v, size=10, indent=False) for v in (p.role, p.name, p.id_number, p.mobile, p.address)]
             for p in parties]
    width = A4[0] - 2 * MARGIN
    table = Table(rows, colWidths=[w * width for w in (0.13, 0.17, 0.27, 0.17, 0.26)], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _signatures(data: AgreementData) -> list[Flowable]:
    lines = [_p(_("Signature of the %(role)s: ____________") % {"role": p.role}, indent=False)
             for p in data.parties]
    lines.append(_p(_("Mediators: %(names)s") % {"names": "、".join(data.mediators) or "—"}, indent=False))
    return [Spacer(1, 8 * mm), *lines, Spacer(1, 8 * mm),
            _p(data.committee, align=TA_RIGHT, indent=False), _p(_("(Seal)"), align=TA_RIGHT, indent=False),
            _p(str(date_format(data.signed_on)), align=TA_RIGHT, indent=False)]


def _footer(canvas: Canvas, doc: SimpleDocTemplate, case_number: str) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8.5)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"{case_number}    " + _("Page %(page)s") % {"page": doc.page})
    canvas.restoreState()


def agreement_pdf(data: AgreementData) -> bytes:
    """人民调解协议书 as PDF bytes."""
    title = _("People's mediation agreement")
    number = _("(%(year)s) No. %(number)s") % {"year": data.signed_on.year, "number": data.case_number}
    story: list[Flowable] = [
        _p(data.committee, size=13, align=TA_CENTER, indent=False), Spacer(1, 3 * mm),
        _p(title, size=20, align=TA_CENTER, indent=False), Spacer(1, 2 * mm),
        _p(number, size=10.5, align=TA_CENTER, indent=False), Spacer(1, 6 * mm),
        _p(_("Dispute type: %(kind)s") % {"kind": data.kind}, indent=False), Spacer(1, 2 * mm),
        _parties(data.parties), Spacer(1, 4 * mm),
        _p(_("Facts of the dispute and the main points at issue:"), indent=False), _p(data.facts),
        _p(_("Through mediation the parties have, of their own free will, agreed as follows:"), indent=False),
        _p(data.terms),
        _p(_("Under Article 31 of the People's Mediation Law this agreement is legally binding and the parties "
             "shall perform it as agreed; under Article 33 they may jointly apply to the people's court for "
             "judicial confirmation within 30 days of its taking effect.")),
        _p(_("This agreement takes effect when the parties have signed it, the mediators have signed it and the "
             "committee has sealed it (Article 29); each party keeps one copy and the committee keeps one.")),
        *_signatures(data),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{title} {data.case_number}", author=data.committee)
    footer = partial(_footer, case_number=data.case_number)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
