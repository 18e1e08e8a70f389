"""QR codes for the 办事指南 pages (inline SVG) and the PDF notices (PNG), made with segno."""

from __future__ import annotations

import io

import segno

# Level M survives a smudged or partly folded printout while keeping the symbol small for a short URL.
ERROR_LEVEL = "m"


def _make(url: str) -> segno.QRCode:
    if not url:
        raise ValueError("a QR code needs a non-empty URL")
    # micro=False: Micro QR codes are not read by most phone cameras.
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, scale: int = 4, title: str = "") -> str:
    """Inline ``<svg>`` element (no XML declaration) encoding ``url``, for embedding in HTML pages.

    ``title`` becomes the SVG's accessible name; segno escapes it.
    """
    return str(_make(url).svg_inline(scale=scale, title=title or None))


def qr_png(url: str, scale: int = 4) -> bytes:
    """PNG image encoding ``url``; ``scale`` is the size of one module in pixels."""
    out = io.BytesIO()
    _make(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
