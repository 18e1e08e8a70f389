"""PDF notices of 一窗受理: 受理通知书, 不予受理通知书, 一次性补正告知书 and 办结通知书.

Each notice is built from a plain frozen dataclass (no Django models), so the caller decides where the
values come from. The text is in the active language (zh-hans by default); Chinese is set in the
built-in CID font ``STSong-Light``, which every PDF viewer supplies, so no font file is embedded.
Every notice is A4, numbered with the case number, signed by the town and carries a QR code of the
public tracking URL on its first page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
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
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from zhenwu.services.choices import DeliveryMode, MaterialForm
from zhenwu.services.qr import qr_png

FONT = "STSong-Light"
MARGIN = 22 * mm
QR_SIZE = 30 * mm
# Statutory time limits for remedies: 行政复议法 (2023) Art. 20 and 行政诉讼法 Art. 46.
REVIEW_DAYS = 60
LAWSUIT_MONTHS = 6


@dataclass(frozen=True)
class NoticeBase:
    """What every notice carries: who issues it, to whom, about which case, and where to track it."""

    case_number: str
    issuer: str
    issued_on: date
    tracking_url: str
    applicant_name: str
    item_name: str


@dataclass(frozen=True)
class AcceptanceNoticeData(NoticeBase):
    """受理通知书: the application is complete and accepted; ``promised_days`` 0 means 即办件."""

    accepted_on: date
    promised_days: int
    due_on: date
    clerk_name: str
    clerk_phone: str = ""
    materials_received: tuple[str, ...] = ()
    tracking_code: str = ""  # 查询码, printed when the notice is printed at acceptance (only its hash is kept)


@dataclass(frozen=True)
class RejectionNoticeData(NoticeBase):
    """不予受理通知书: why the application is not accepted, on what basis, and the applicant's remedies."""

    submitted_on: date
    reason: str
    legal_basis: str
    review_authority: str
    court: str


@dataclass(frozen=True)
class MissingMaterial:
    """One material a 补正 notice asks for."""

    name: str
    form: str  # a MaterialForm value
    count: int = 1
    note: str = ""


@dataclass(frozen=True)
class SupplementNoticeData(NoticeBase):
    """一次性补正告知书: every missing material at once; the clock pauses until they arrive."""

    submitted_on: date
    missing: tuple[MissingMaterial, ...]
    clerk_name: str
    clerk_phone: str = ""
    supply_by: date | None = None

    def __post_init__(self) -> None:
        if not self.missing:
            raise ValueError("a supplement notice must list at least one missing material")


@dataclass(frozen=True)
class CompletionNoticeData(NoticeBase):
    """办结通知书: the decision (approved, or denied with a reason) and how the result is delivered."""

    completed_on: date
    approved: bool
    delivery: str  # a DeliveryMode value
    result: str = ""
    reason: str = ""
    tracking_number: str = ""
    review_authority: str = ""
    court: str = ""

    def __post_init__(self) -> None:
        if not self.approved and not self.reason:
            raise ValueError("a denial needs its reason")


# ---------------------------------------------------------------- layout primitives


def _register_font() -> None:
    # Paragraphs resolve their font when they are constructed, so this runs once at import.
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        # Paragraph markup looks fonts up by family; there is no bold CID face, so all four map to one.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)


_register_font()


def _style(size: float = 11.5, *, align: int = 0, indent: float = 0, leading: float | None = None) -> ParagraphStyle:
    # wordWrap="CJK" breaks lines between any two characters by their width, as Chinese typesetting does.
    return ParagraphStyle(f"s{size}-{align}-{indent}", fontName=FONT, fontSize=size,
                          leading=leading or size * 1.7, alignment=align, firstLineIndent=indent, wordWrap="CJK")


BODY = 11.5


def _p(text: str, *, size: float = BODY, align: int = 0, indent: bool = True) -> Paragraph:
    """A paragraph of plain text (escaped: applicant-supplied text must not be read as markup)."""
    return Paragraph(escape(text), _style(size, align=align, indent=2 * size if indent else 0))


def _d(day: date) -> str:
    return str(date_format(day))


def _header(data: NoticeBase, title: str) -> Table:
    """Issuer, title and notice number on the left, the tracking QR code on the right (page 1 only)."""
    number = _("(%(year)s) No. %(number)s") % {"year": data.issued_on.year, "number": data.case_number}
    left = [_p(data.issuer, size=13, align=TA_CENTER, indent=False), Spacer(1, 3 * mm),
            _p(title, size=20, align=TA_CENTER, indent=False), Spacer(1, 3 * mm),
            _p(number, size=10.5, align=TA_CENTER, indent=False)]
    qr = Image(io.BytesIO(qr_png(data.tracking_url, scale=6)), width=QR_SIZE, height=QR_SIZE)
    right = [qr, _p(_("Scan to track this case"), size=8, align=TA_CENTER, indent=False)]
    width = A4[0] - 2 * MARGIN
    table = Table([[left, right]], colWidths=[width - QR_SIZE - 4 * mm, QR_SIZE + 4 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _salutation(data: NoticeBase) -> Paragraph:
    return _p(_("%(name)s:") % {"name": data.applicant_name}, indent=False)


def _signature(data: NoticeBase) -> list[Flowable]:
    return [Spacer(1, 10 * mm), _p(data.issuer, align=TA_RIGHT, indent=False),
            _p(_("(Seal)"), align=TA_RIGHT, indent=False), _p(_d(data.issued_on), align=TA_RIGHT, indent=False)]


def _tracking(data: NoticeBase) -> Paragraph:
    return _p(_("Track this case online: %(url)s") % {"url": data.tracking_url}, size=9.5, indent=False)


def _contact(name: str, phone: str) -> Paragraph:
    text = _("Contact clerk: %(name)s") % {"name": name}
    if phone:
        text += "    " + _("Telephone: %(phone)s") % {"phone": phone}
    return _p(text)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """A ruled table whose header row repeats when it continues on the next page."""
    cells = [[_p(h, size=10, align=TA_CENTER, indent=False) for h in header]]
    cells += [[_p(c, size=10, indent=False) for c in row] for row in rows]
    total = A4[0] - 2 * MARGIN
    table = Table(cells, colWidths=[w * total for w in widths], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _remedies(review_authority: str, court: str) -> Paragraph:
    return _p(_("If you disagree with this decision, you may apply for administrative reconsideration to "
                "%(authority)s within %(days)s days of receiving this notice, or bring an administrative "
                "lawsuit before %(court)s within %(months)s months of receiving it.")
              % {"authority": review_authority or _("the people's government at the next level up"),
                 "court": court or _("the people's court with jurisdiction"),
                 "days": REVIEW_DAYS, "months": LAWSUIT_MONTHS})


def _footer(canvas: Canvas, doc: SimpleDocTemplate, case_number: str) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8.5)
    text = f"{case_number}    " + _("Page %(page)s") % {"page": doc.page}
    canvas.drawCentredString(A4[0] / 2, 12 * mm, text)
    canvas.restoreState()


def _render(data: NoticeBase, title: str, body: list[Flowable]) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=f"{title} {data.case_number}", author=data.issuer,
                            subject=data.item_name)
    story = [_header(data, title), Spacer(1, 8 * mm), _salutation(data), *body, *_signature(data),
             Spacer(1, 6 * mm), _tracking(data)]
    footer = partial(_footer, case_number=data.case_number)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


# ---------------------------------------------------------------- the four notices


def acceptance_notice(data: AcceptanceNoticeData) -> bytes:
    """受理通知书 as PDF bytes."""
    args = {"item": data.item_name, "date": _d(data.accepted_on)}
    body: list[Flowable] = [_p(_("Your application for %(item)s is complete and in the required form; "
                                 "it was accepted on %(date)s.") % args)]
    if data.promised_days == 0:
        body.append(_p(_("This is an on-the-spot item: it is finished at the time of acceptance.")))
    else:
        body.append(_p(_("We promise to finish it within %(days)s working days, that is by %(due)s. Time spent "
                         "on supplementary materials or a special procedure is not counted.")
                       % {"days": data.promised_days, "due": _d(data.due_on)}))
    if data.materials_received:
        rows = [[str(i), name] for i, name in enumerate(data.materials_received, start=1)]
        body += [Spacer(1, 3 * mm), _table([_("No."), _("Materials received")], rows, [0.1, 0.9]), Spacer(1, 3 * mm)]
    body += [_p(_("%(name)s, the clerk who accepted your application, stays your contact until it is "
                  "finished.") % {"name": data.clerk_name}), _contact(data.clerk_name, data.clerk_phone)]
    if data.tracking_code:
        body.append(_p(_("Tracking code: %(code)s. With the case number it lets you follow the case on the "
                         "tracking page and rate our service; keep it safe.") % {"code": data.tracking_code}))
    else:
        body.append(_p(_("The tracking code was sent to the applicant's mobile by SMS.")))
    return _render(data, _("Acceptance notice"), body)


def rejection_notice(data: RejectionNoticeData) -> bytes:
    """不予受理通知书 as PDF bytes, with the reason, the legal basis and the remedies."""
    args = {"item": data.item_name, "date": _d(data.submitted_on)}
    body: list[Flowable] = [
        _p(_("Having examined your application for %(item)s submitted on %(date)s, we have decided not to "
             "accept it.") % args),
        _p(_("Reason: %(reason)s") % {"reason": data.reason}),
        _p(_("Legal basis: %(basis)s") % {"basis": data.legal_basis}),
        _remedies(data.review_authority, data.court),
    ]
    return _render(data, _("Notice of non-acceptance"), body)


def _material_rows(missing: Sequence[MissingMaterial]) -> list[list[str]]:
    return [[str(i), m.name, str(MaterialForm(m.form).label), str(m.count), m.note]
            for i, m in enumerate(missing, start=1)]


def supplement_notice(data: SupplementNoticeData) -> bytes:
    """一次性补正告知书 as PDF bytes: every missing material with its form and count, and the clock pause."""
    args = {"item": data.item_name, "date": _d(data.submitted_on), "count": len(data.missing)}
    header = [_("No."), _("Material name"), _("Original or copy"), _("Copies"), _("Notes")]
    body: list[Flowable] = [
        _p(_("Your application for %(item)s submitted on %(date)s is incomplete or not in the required form. "
             "Below, all at once, are the %(count)s materials you still need to provide:") % args),
        Spacer(1, 3 * mm), _table(header, _material_rows(data.missing), [0.08, 0.42, 0.16, 0.1, 0.24]),
        Spacer(1, 3 * mm),
        _p(_("The handling time limit is paused from the day you receive this notice and resumes on the day "
             "all of the materials above have been received.")),
        _p(_("Bring the materials to any comprehensive window, or upload them online through the tracking "
             "page.")),
    ]
    if data.supply_by:
        body.append(_p(_("Please supply them by %(date)s; otherwise the application is treated as withdrawn.")
                       % {"date": _d(data.supply_by)}))
    body.append(_contact(data.clerk_name, data.clerk_phone))
    return _render(data, _("One-time notice of materials to supplement"), body)


def _delivery_paragraphs(data: CompletionNoticeData) -> list[Flowable]:
    mode = str(DeliveryMode(data.delivery).label)
    out: list[Flowable] = [_p(_("Delivery of the result: %(mode)s") % {"mode": mode})]
    if data.delivery == DeliveryMode.EXPRESS and data.tracking_number:
        out.append(_p(_("Express tracking number: %(number)s") % {"number": data.tracking_number}))
    if data.delivery == DeliveryMode.ELECTRONIC:
        out.append(_p(_("The electronic result can be downloaded from the tracking page.")))
    if data.delivery == DeliveryMode.WINDOW:
        out.append(_p(_("Please collect the result at the comprehensive window with your identity document.")))
    return out


def completion_notice(data: CompletionNoticeData) -> bytes:
    """办结通知书 as PDF bytes: approved, or denied with the reason and remedies; how the result is delivered."""
    args = {"item": data.item_name, "date": _d(data.completed_on)}
    body: list[Flowable] = [_p(_("Your application for %(item)s was finished on %(date)s.") % args)]
    if data.approved:
        body.append(_p(_("Decision: approved.")))
        if data.result:
            body.append(_p(_("Result: %(result)s") % {"result": data.result}))
        body += _delivery_paragraphs(data)
    else:
        body += [_p(_("Decision: not approved.")), _p(_("Reason: %(reason)s") % {"reason": data.reason}),
                 _remedies(data.review_authority, data.court)]
    body.append(_p(_("You are welcome to rate our service (very satisfied to very dissatisfied): by the link in "
                     "the SMS sent when the result is handed out, on the rating pad at the window, in the online "
                     "portal, or on the tracking page with your tracking code and a code sent to your mobile.")))
    return _render(data, _("Completion notice"), body)
