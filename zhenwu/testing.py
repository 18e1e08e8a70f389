"""Test helpers: a small two-village town and role personas, shared by every app's tests.

Personas (see STYLE.md): grid worker of grid A, grid worker of grid B, town staff, county staff,
administrator, citizen. Anonymous is simply no login.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import StaffRole, User
from zhenwu.areas.choices import AreaLevel, SpecialKind
from zhenwu.areas.models import Area

COUNTY = "321181"
TOWN = "321181102"
VILLAGE_A = "321181102201"
VILLAGE_B = "321181102202"
GRID1_A = "321181102201001"
GRID1_B = "321181102202001"
GRID_A = "321181102201001001"
GRID_B = "321181102202001001"
SCHOOL = "321181102201900"
PASSWORD = "Zhenwu#2026"
VALID_ID = "11010519491231002X"
VALID_USCC = "91350100M000100Y43"
# Kinds the kernel's own tests (and the benchmark) file cases under; pillars register the real ones.
# A one-pixel PNG: the smallest photo or evidence file the attachment store accepts.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
TEST_KIND = "TK"
OTHER_TEST_KIND = "TJ"


def register_test_kinds() -> None:
    """Register the kernel's test kinds (once per process): model-less, no page, generic endpoint allowed."""
    from zhenwu.casework.kinds import kind_get, kind_register

    for code in (TEST_KIND, OTHER_TEST_KIND):
        if kind_get(code) is None:
            kind_register(code=code, label=f"Test kind {code}", process_prefix=f"{code.lower()}:")


def square(lng0: float, lat0: float, lng1: float, lat1: float) -> dict[str, Any]:
    return {"type": "Polygon",
            "coordinates": [[[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]]}


@dataclass
class TestTown:
    __test__ = False  # a fixture's value, not a test class (pytest collects names starting with Test)

    county: Area
    town: Area
    village_a: Area
    village_b: Area
    grid_a: Area
    grid_b: Area
    school: Area


def build_test_town() -> TestTown:
    """County ⊃ town ⊃ villages A (west) and B (east), each with one L1 and one L2 grid; a school."""
    from zhenwu.areas.services import area_create

    county = area_create(code=COUNTY, name="测试县", level=AreaLevel.COUNTY, parent=None,
                         geometry=square(119.40, 31.80, 119.80, 32.20))
    town = area_create(code=TOWN, name="测试镇", level=AreaLevel.TOWN, parent=county,
                       geometry=square(119.50, 31.90, 119.60, 32.00))
    va = area_create(code=VILLAGE_A, name="东山村", level=AreaLevel.VILLAGE, parent=town,
                     geometry=square(119.50, 31.90, 119.55, 32.00))
    vb = area_create(code=VILLAGE_B, name="西河村", level=AreaLevel.VILLAGE, parent=town,
                     geometry=square(119.55, 31.90, 119.60, 32.00))
    g1a = area_create(code=GRID1_A, name="东山村网格", level=AreaLevel.GRID1, parent=va,
                      geometry=square(119.50, 31.90, 119.55, 32.00))
    g1b = area_create(code=GRID1_B, name="西河村网格", level=AreaLevel.GRID1, parent=vb,
                      geometry=square(119.55, 31.90, 119.60, 32.00))
    ga = area_create(code=GRID_A, name="东山村第一网格", level=AreaLevel.GRID2, parent=g1a,
                     geometry=square(119.50, 31.90, 119.55, 32.00))
    gb = area_create(code=GRID_B, name="西河村第一网格", level=AreaLevel.GRID2, parent=g1b,
                     geometry=square(119.55, 31.90, 119.60, 32.00))
    school = area_create(code=SCHOOL, name="东山小学专属网格", level=AreaLevel.SPECIAL, parent=va,
                         special_kind=SpecialKind.SCHOOL, geometry=square(119.52, 31.94, 119.53, 31.95))
    return TestTown(county, town, va, vb, ga, gb, school)


def make_staff(username: str, *, roles: list[str], scope: Area | None, **extra: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, kind=UserKind.STAFF,
                                    full_name=extra.pop("full_name", username), scope_area=scope, **extra)
    StaffRole.objects.bulk_create([StaffRole(user=user, role=r) for r in roles])
    return user


def make_citizen(username: str = "citizen", *, mobile: str = "13512342210",
                 id_number: str = VALID_ID) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, kind=UserKind.CITIZEN,
                                    full_name="李明", mobile=mobile, id_number=id_number)


@dataclass
class Personas:
    grid_worker_a: User
    grid_worker_b: User
    town_staff: User
    county_staff: User
    admin: User
    citizen: User


def build_personas(town: TestTown) -> Personas:
    return Personas(
        grid_worker_a=make_staff("gw_a", roles=[Role.GRID_WORKER], scope=town.grid_a),
        grid_worker_b=make_staff("gw_b", roles=[Role.GRID_WORKER], scope=town.grid_b),
        town_staff=make_staff("clerk", roles=[Role.WINDOW_CLERK, Role.REVIEWER], scope=town.town),
        county_staff=make_staff("county", roles=[Role.SUPERVISOR], scope=town.county),
        admin=make_staff("admin", roles=[Role.ADMIN], scope=town.county, is_staff=True, is_superuser=True),
        citizen=make_citizen(),
    )


class Clock:
    """Pins django.utils.timezone.now to a moment the test moves (the `clock` fixture installs it)."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware datetime in the site's time zone (Asia/Shanghai)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class SmsRecorder:
    """An ``SmsSend`` for service tests: keeps (mobile, text with the secret filled in)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def __call__(self, mobile: str, text: str, *, secret: str = "", **_extra: Any) -> None:
        from zhenwu.accounts.masking import SECRET_MARK

        self.sent.append((mobile, text.replace(SECRET_MARK, secret, 1) if secret else text))

    def code(self) -> str:
        import re

        found = re.search(r"\b(\d{6})\b", self.sent[-1][1])
        assert found, self.sent[-1]
        return found.group(1)


def sms_delivered_to(mobile: str, *, at: dt.datetime | None = None) -> list[str]:
    """Deliver every due outbox message through the fake gateway (at ``at``, by default a day from now:
    every back-off has passed, but a code with a lifetime is then too old to send); the texts ``mobile``
    received, in order."""
    from zhenwu.casework.services import outbox_deliver_due
    from zhenwu.casework.sms import FAKE_GATEWAY

    outbox_deliver_due(now=at or timezone.now() + dt.timedelta(days=1))
    return [sms.text for sms in FAKE_GATEWAY.to(mobile)]


def sms_code_for(mobile: str) -> str:
    """The code of the last SMS ``mobile`` received through the outbox (delivered now if still queued)."""
    import re

    texts = sms_delivered_to(mobile)
    found = re.search(r"\b(\d{6})\b", texts[-1]) if texts else None
    assert found, texts
    return found.group(1)
def message_problem(message: Any) -> str | None:
    """Why an error message cannot answer in both languages, or None.

    ``message_en`` must hold no Chinese and ``message`` must be translated: the message must be a
    lazy string or a ``zhenwu.errors.Text`` (an eager ``gettext`` is stuck in the request's language)
    whose msgid is English with a zh-hans translation. A ``Text`` is judged by its msgid, so data in
    its parameters (a Chinese name, a column header) may be Chinese; a lazy string is judged by its
    two renderings, which must differ when either holds Chinese.
    """
    from django.utils.functional import Promise

    from zhenwu.errors import CJK, Text, Translated, render

    if isinstance(message, Text) and not isinstance(message, Translated):
        message = Text(message.msgid)
    elif not isinstance(message, Promise | Translated):
        return f"not translatable again (an eager gettext or plain text): {str(message)[:80]!r}"
    en, zh = render(message, "en"), render(message, "zh-hans")
    if en == zh and CJK.search(en):
        return f"English rendering holds Chinese: {en[:80]!r}"
    if en == zh and re.search(r"[A-Za-z]{3}", re.sub(r"%\(\w+\)\w", "", en)):
        return f"no zh-hans translation: {en[:80]!r}"
    return None


@contextmanager
def shared_world(blocker: Any, root: Path, **more_settings: Any) -> Iterator[None]:
    """Data built once for a module of tests (a module-scoped fixture yields inside this): its own files under
    ``root``, a cheap hasher, and a transaction rolled back at the end. Each test still runs in its own savepoint,
    so what a test changes is undone before the next one. ``blocker`` is pytest-django's ``django_db_blocker``."""
    from django.db import transaction
    from django.test import override_settings

    with override_settings(DATA_DIR=root, MEDIA_ROOT=root / "media",
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                           AUDIT_KEY_FILE=root / "audit" / "checkpoint-key.pem",
                           AUDIT_CHECKPOINT_FILE=root / "audit" / "checkpoints.jsonl", AUDIT_KEY_AUTOCREATE=True,
                           **more_settings), blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
