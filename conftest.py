"""Shared fixtures: the test town, role personas, and the switches for PostgreSQL and browser tests."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from zhenwu.testing import (
    PASSWORD,
    Clock,
    Personas,
    TestTown,
    build_personas,
    build_test_town,
    local,
    register_test_kinds,
)

CHROMIUM = "/usr/bin/chromium"


def pytest_report_header(config: pytest.Config) -> list[str]:
    db = os.environ.get("DATABASE_URL", "")
    lines = [f"database: {'PostgreSQL (' + db + ')' if db.startswith('postgres') else 'SQLite'}"]
    if not db.startswith("postgres"):
        lines.append("PostgreSQL-only tests: SKIPPED (set DATABASE_URL=postgres://… to run them)")
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        lines.append("browser tests: SKIPPED (no /usr/bin/chromium; apt-get install chromium)")
    return lines


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    has_chromium = os.path.exists(CHROMIUM)
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(pytest.mark.skip(reason="needs Debian chromium at /usr/bin/chromium"))
    _xdist_groups(items)


def _xdist_groups(items: list[pytest.Item]) -> None:
    """Tests marked ``xdist_group(name)`` run on one worker (``--dist loadgroup``): their node ids end in
    ``@name``, which is what the scheduler groups by. pytest-xdist 3.8's own worker hook writes ``_nodeid``, which
    pytest 9 no longer reads (the id is ``_id``), so the worker does it here: a module that builds the demo once
    then builds it on one worker only."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid:
            grouped = f"{item.nodeid}@{'_'.join(names)}"
            if hasattr(item, "_id"):
                from _pytest.nodeid import coerce_node_id

                item._id = coerce_node_id(grouped)
            else:
                vars(item)["_nodeid"] = grouped  # pytest before 9


@pytest.fixture(autouse=True, scope="session")
def _test_kinds() -> None:
    # The kernel's tests file cases under kinds of their own (TK, TJ), registered like a pillar's.
    register_test_kinds()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    # PBKDF2's deliberate slowness is for production; six personas per test would cost seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _audit_key_and_checkpoints_per_test(settings: Any, tmp_path: Any) -> None:
    # Each test signs with its own key and writes its own checkpoint file, never the developer's var/.
    settings.AUDIT_KEY_FILE = tmp_path / "audit" / "checkpoint-key.pem"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit" / "checkpoints.jsonl"
    settings.AUDIT_KEY_AUTOCREATE = True


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    # The working-day index is cached per process; a test that imports a year must not leak it.
    from zhenwu.casework.workcal import calendar_invalidate

    calendar_invalidate()
    yield
    calendar_invalidate()


@pytest.fixture(autouse=True)
def _errors_answer_in_both_languages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every FieldError raised in any test must render in Chinese and in English (issue 7: message_en)."""
    from zhenwu.errors import FieldError
    from zhenwu.testing import message_problem

    raised: list[FieldError] = []
    original = FieldError.__init__

    def record(self: FieldError, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        frame = sys._getframe(1)
        while frame.f_back is not None and frame.f_code.co_filename.endswith(os.path.join("zhenwu", "errors.py")):
            frame = frame.f_back
        if f"{os.sep}tests{os.sep}" not in frame.f_code.co_filename:  # a test's own stub may say anything
            raised.append(self)

    monkeypatch.setattr(FieldError, "__init__", record)
    yield
    problems = {f"{type(e).__name__}({field!r}): {p}" for e in raised for field, m in e.errors
                if (p := message_problem(m))}
    assert not problems, "error messages that cannot answer in both languages:\n" + "\n".join(sorted(problems))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """timezone.now pinned to Tuesday 2025-09-30 10:00, the eve of the National Day holiday."""
    from django.utils import timezone

    c = Clock(local(2025, 9, 30, 10, 0))
    monkeypatch.setattr(timezone, "now", c)
    return c


@pytest.fixture(autouse=True)
def _empty_fake_sms_gateway() -> None:
    # settings_test sends SMS to the in-memory fake gateway; each test starts with it empty.
    from zhenwu.casework.sms import FAKE_GATEWAY

    FAKE_GATEWAY.clear()
    FAKE_GATEWAY.fail = False


@pytest.fixture(autouse=True)
def _fresh_process_cache() -> None:
    # A test's rolled-back ProcessDefinitionRecord fires no signal; never let the next test see it.
    # Likewise a definition a resolver built from rows that were rolled back (an item's version).
    from zhenwu.casework.process import process_cache_clear, process_forget_resolved

    process_cache_clear()
    process_forget_resolved()


@pytest.fixture
def browser_login(live_server: Any) -> Iterator[Callable[[Any], Any]]:
    """Log a user in through the real login page of the live server in Debian chromium; returns the page.

    Browser tests also need ``@pytest.mark.browser`` and ``@pytest.mark.django_db(transaction=True)``.
    """
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])

        def login(user: Any) -> Any:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(live_server.url + "/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/login/" not in url)
            return page

        yield login
        browser.close()


PHONE: Any = {"width": 390, "height": 844}
PHONE_AT = (119.52, 31.95)  # (lng, lat) inside grid A of the test town (zhenwu.testing)


@pytest.fixture
def phone(live_server: Any) -> Iterator[Any]:
    """A Chromium phone context: 390×844, touch, Chinese, geolocation granted at ``PHONE_AT`` in grid A."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    lng, lat = PHONE_AT
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                      locale="zh-CN", permissions=["geolocation"],
                                      geolocation={"latitude": lat, "longitude": lng, "accuracy": 8})
        yield context
        browser.close()


@pytest.fixture
def town(db: None) -> TestTown:
    return build_test_town()


@pytest.fixture
def personas(town: TestTown) -> Personas:
    return build_personas(town)
