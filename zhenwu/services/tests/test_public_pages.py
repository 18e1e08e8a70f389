"""办事指南 pages, without login (办件查询: test_tracking.py)."""

from __future__ import annotations

from typing import Any

import pytest

from zhenwu.services.tests.factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db: None) -> None:
    make_item()
    make_item("320000-GA-0002", name="临时身份证", department="公安户政", promised_limit_days=0, online=False,
              chain=[])


def test_guide_lists_and_searches_by_name(client: Any, catalogue: None) -> None:
    page = client.get("/public/guide/").content.decode()
    assert "老年人优待证" in page and "临时身份证" in page
    page = client.get("/public/guide/", {"q": "临时"}).content.decode()
    assert "临时身份证" in page and "老年人优待证" not in page


@pytest.mark.parametrize(("params", "shown", "hidden"), [
    ({"department": "公安户政"}, "临时身份证", "老年人优待证"),
    ({"timing": "instant"}, "临时身份证", "老年人优待证"),
    ({"timing": "promised"}, "老年人优待证", "临时身份证"),
    ({"online": "1"}, "老年人优待证", "临时身份证"),
    ({"kind": "public_service", "q": "老年"}, "老年人优待证", "临时身份证"),
])
def test_guide_filters(client: Any, catalogue: None, params: dict[str, str], shown: str, hidden: str) -> None:
    page = client.get("/public/guide/", params).content.decode()
    assert shown in page and hidden not in page


def test_item_page_shows_every_element_and_a_qr_code(client: Any, catalogue: None) -> None:
    response = client.get("/public/guide/320000-MZ-0001/")
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("年满60周岁", "老年人权益保障法", "不收费", "身份证样例", "户口簿", "20", "3"):
        assert text in page
    assert "<svg" in page and "http://testserver/public/guide/320000-MZ-0001/" in page
    assert 'href="/portal/apply/320000-MZ-0001/"' in page
    assert "320000-MZ-0001 · 第 1 版" in page and "(v1)" not in page  # the version as people say it


def test_item_page_without_online_has_no_apply_button(client: Any, catalogue: None) -> None:
    page = client.get("/public/guide/320000-GA-0002/").content.decode()
    assert "/portal/apply/" not in page


def test_unknown_item_is_404(client: Any, catalogue: None) -> None:
    assert client.get("/public/guide/NOPE/").status_code == 404
