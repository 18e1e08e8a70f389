"""No English on any page or export, for any persona (issue 7 §2).

Each persona opens every page of the URL conf (real objects as parameters, the admin's model pages
included), every export (xlsx, csv, PDF) and the error pages it meets (403, 404, form errors); then
the common actions are taken through the pages and the page after each (with its flash message) is
read too. Words in Latin letters outside ``english.ALLOWED`` fail the test, listed by URL.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhenwu.web.tests.crawl import page_urls
from zhenwu.web.tests.crawl_world import PERSONAS, World, build_world
from zhenwu.web.tests.english import english_words, response_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(town: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}
    return build_world(town)


def client_for(world: World, persona: str) -> Client:
    client = Client(raise_request_exception=True)
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def leaks(response: Any) -> list[str]:
    text = response_text(response.get("Content-Type", ""), response.content)
    return sorted(set(english_words(text))) if text else []


def report(found: dict[str, list[str]]) -> str:
    return "English words on these pages:\n" + "\n".join(f"  {url}: {' '.join(words)}"
                                                       for url, words in found.items())


def crawl(client: Client, urls: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in urls:
        response = client.get(url)
        words = leaks(response)
        if words:
            found[f"{url} ({response.status_code})"] = words
    return found


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_no_english_on_any_page(world: World, persona: str) -> None:
    found = crawl(client_for(world, persona), page_urls(world))
    assert not found, report(found)


def _post(client: Client, url: str, data: dict[str, Any]) -> dict[str, list[str]]:
    response = client.post(url, data, follow=True)
    words = leaks(response)
    return {f"POST {url} ({response.status_code})": words} if words else {}


def test_it_shows_no_english_after_the_hall_actions(world: World) -> None:
    """Flash messages and form errors: filing, accepting, an empty review, a wrong rating, a token."""
    clerk, citizen = client_for(world, "window_clerk"), client_for(world, "citizen")
    reviewer = client_for(world, "reviewer")
    submitted, review = world.apps["submitted"].case.number, world.apps["review"].case.number
    found: dict[str, list[str]] = {}
    found |= _post(clerk, "/services/applications/new/", {"item_code": "320000-MZ-0001", "channel": "window"})
    found |= _post(clerk, "/services/applications/new/", {
        "item_code": "320000-MZ-0001", "channel": "window", "applicant_kind": "person", "applicant_name": "王芳",
        "id_number": "11010519491231002X", "mobile": "13512342210", "materials": ["身份证", "照片"]})
    found |= _post(clerk, f"/services/applications/{submitted}/act/precheck/", {})
    found |= _post(clerk, f"/services/applications/{submitted}/act/accept/", {})
    found |= _post(reviewer, f"/services/applications/{review}/act/review/", {"opinion": "", "approve": "1"})
    found |= _post(reviewer, f"/services/applications/{review}/act/review/", {"opinion": "同意", "approve": "1"})
    found |= _post(citizen, f"/portal/applications/{world.apps['finished'].case.number}/rate/", {"level": "x"})
    found |= _post(citizen, f"/portal/applications/{submitted}/withdraw/", {"reason": "不办了"})
    found |= _post(citizen, "/accounts/tokens/", {"device": ""})
    found |= _post(citizen, "/accounts/tokens/", {"device": "我的手机"})
    assert not found, report(found)


@pytest.mark.parametrize("persona", ["window_clerk", "grid_worker", "citizen", "anonymous"])
def test_it_shows_no_english_on_forms_sent_empty(world: World, persona: str) -> None:
    """Every page that takes a POST, sent with nothing: the error page or message is Chinese too."""
    client = client_for(world, persona)
    found: dict[str, list[str]] = {}
    for url in page_urls(world, with_admin=False):
        if "?" in url or url.endswith((".pdf", ".xlsx")) or url in ("/logout/",):
            continue
        found |= _post(client, url, {})
    assert not found, report(found)
