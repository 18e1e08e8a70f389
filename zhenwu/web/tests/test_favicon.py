"""The site's icon: linked from every page as SVG, and /favicon.ico answers for browsers that ask for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


def test_favicon_ico_answers_an_icon(client: Client) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header, not an HTML page


@pytest.mark.django_db
def test_pages_link_the_svg_icon(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert 'rel="icon"' in page and "zhenwu/favicon" in page and ".svg" in page
    found = finders.find("zhenwu/favicon.svg")
    assert found and "<svg" in Path(str(found)).read_text(encoding="utf-8")
