"""QR codes for the guide pages (SVG) and the notices (PNG)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from zhenwu.services.qr import qr_png, qr_svg

URL = "https://zhenwu.example/track/SQ-321181102-20261121-0007"


def test_it_makes_an_inline_svg_without_xml_declaration():
    svg = qr_svg(URL)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<?xml" not in svg


def test_it_escapes_the_svg_title():
    assert "<title>a&lt;b&gt;</title>" in qr_svg(URL, title="a<b>")


def test_it_makes_a_png_that_grows_with_the_scale():
    small, large = (Image.open(io.BytesIO(qr_png(URL, scale))) for scale in (2, 6))
    assert small.format == "PNG"
    assert large.size[0] == 3 * small.size[0]


def test_it_rejects_an_empty_url():
    with pytest.raises(ValueError):
        qr_png("", 4)
