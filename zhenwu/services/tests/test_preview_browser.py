"""The case page still previews materials under the attachments' sandboxing headers (issue 8): the image
thumbnail loads and the PDF opens in Chromium's viewer inside the page's <object>."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.urls import reverse
from PIL import Image

from zhenwu.casework.services import attachment_store
from zhenwu.services.tests.factories import Hall, make_item, window_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def picture(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def test_the_case_page_previews_an_image_and_a_pdf(hall: Hall, browser_login: Any, live_server: Any) -> None:
    make_item()
    image = attachment_store(actor=hall.clerk, data=picture("PNG")).sha256
    pdf = attachment_store(actor=hall.clerk, data=picture("PDF")).sha256
    app = window_app(hall, materials=[{"name": "身份证", "attachments": [image]},
                                      {"name": "照片", "attachments": [pdf]}])
    page = browser_login(hall.clerk)
    page.goto(live_server.url + reverse("services:case", kwargs={"number": app.case.number}))
    page.wait_for_function("() => { const i = document.querySelector('img.thumb');"
                           " return i && i.complete && i.naturalWidth > 0; }", timeout=10_000)
    deadline = time.monotonic() + 10
    while not any(f.url.startswith("chrome-extension://") for f in page.frames) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    frames = [f.url for f in page.frames]
    assert any(u.startswith("chrome-extension://") for u in frames), frames  # the PDF viewer is up
    assert any(u.endswith(f"/attachments/{pdf}") for u in frames), frames
