"""Personas and helpers of the dispute and visit tests: the grid's, the village's and the town's."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.registry.tests import factories
from zhenwu.testing import GRID_A, TestTown, make_staff

RESPONDENT_ID = "320682198001011237"


@dataclass
class Mediators:
    grid_worker: User
    grid_worker_b: User
    village_staff: User
    dispatcher: User
    leader: User
    clerk: User


def build_mediators(town: TestTown, personas: Any) -> Mediators:
    return Mediators(grid_worker=personas.grid_worker_a, grid_worker_b=personas.grid_worker_b,
                     village_staff=make_staff("cun_a", roles=[Role.VILLAGE_STAFF], scope=town.village_a,
                                              full_name="村调解员周平", mobile="13800000001"),
                     dispatcher=make_staff("diaodu", roles=[Role.DISPATCHER], scope=town.town,
                                           full_name="镇调度员孙丽", mobile="13800000002"),
                     leader=make_staff("lingdao", roles=[Role.LEADER], scope=town.town, full_name="镇领导钱明"),
                     clerk=personas.town_staff)


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def new_dispute(town: TestTown, **over: Any) -> dict[str, Any]:
    applicant = factories.resident(town.grid_a, name="张三")
    body: dict[str, Any] = {
        "grid_code": GRID_A, "kind": "neighbour", "risk": "medium", "description": "两户因宅基地边界的围墙发生争执。",
        "parties": [{"role": "applicant", "resident_id": applicant.pk},
                    {"role": "respondent", "name": "李四", "id_number": RESPONDENT_ID, "mobile": "13900001111",
                     "address": "东山村8号"}]}
    return {**body, **over}


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, body, content_type="application/json")


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    """Files under a temporary media root, a cache of the test's own (upload quotas)."""
    settings.MEDIA_ROOT = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": str(tmp_path)}}


@pytest.fixture
def mediators(town: TestTown, personas: Any) -> Mediators:
    return build_mediators(town, personas)
