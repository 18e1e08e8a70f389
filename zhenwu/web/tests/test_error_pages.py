"""The site's own 403/404/500 pages: Chinese, in the layout, saying what the user may do instead."""

from __future__ import annotations

import pytest
from django.test import Client

from zhenwu.testing import Personas

pytestmark = pytest.mark.django_db


def test_it_tells_a_clerk_what_to_open_instead_of_the_supervision_page(client: Client, personas: Personas) -> None:
    client.force_login(personas.town_staff)
    response = client.get("/services/supervision/")
    page = response.content.decode()
    assert response.status_code == 403 and 'class="top"' in page  # the site's header: the layout
    assert "您无权打开此页面" in page and "只有督查人员、领导和管理员可以使用电子监察页面" in page
    assert 'href="/services/"' in page and 'href="/services/supervision/"' not in page.split("您可以")[1]


def test_it_answers_a_missing_page_in_chinese_in_the_layout(client: Client, personas: Personas) -> None:
    client.force_login(personas.citizen)
    response = client.get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404 and "此页面不存在" in page and 'class="top"' in page
    assert "Not Found" not in page and 'href="/portal/"' in page


def test_it_offers_anonymous_visitors_the_login_and_the_public_pages(client: Client, db: None) -> None:
    page = client.get("/no/such/page/").content.decode()
    assert 'href="/login/"' in page and 'href="/public/guide/"' in page


def test_it_explains_an_expired_form_instead_of_djangos_csrf_page(personas: Personas) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.town_staff)
    response = client.post("/accounts/tokens/", {"device": "手机"})
    page = response.content.decode()
    assert response.status_code == 403 and "表单已过期" in page and "CSRF verification failed" not in page


def test_it_shows_the_500_page_with_the_request_reference(personas: Personas, settings, monkeypatch) -> None:
    from zhenwu.web import views

    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "login_attempts_recent", broken)
    client = Client(raise_request_exception=False)
    client.force_login(personas.town_staff)
    response = client.get("/", headers={"X-Request-ID": "req-42"})
    page = response.content.decode()
    assert response.status_code == 500 and "系统出错了" in page and "req-42" in page and 'class="top"' in page
