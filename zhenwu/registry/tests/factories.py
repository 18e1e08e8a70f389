"""Small factories of base data for tests (valid ID numbers and USCCs computed, not hard-coded)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from stdnum.cn import ric, uscc

from zhenwu.areas.models import Area
from zhenwu.registry.choices import HouseholdKind, PlaceKind, ResidentStatus
from zhenwu.registry.identity import id_birth_date, id_sex
from zhenwu.registry.models import Camera, Enterprise, GridAssignment, Household, Place, Resident, ResidentTag

_seq = itertools.count(1)


def id_number(birth: str = "19900101", serial: int | None = None) -> str:
    """A valid 18-character ID number born on ``birth`` (YYYYMMDD); odd serials are men. Tests that pick a serial
    pick one below 100; the automatic ones run from 100 to 999, so the two never meet (the counter is shared
    by the whole test process: a wrapped automatic serial once equalled a test's own 21)."""
    body = f"321181{birth}{serial if serial is not None else 100 + next(_seq) % 900:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def uscc_code(n: int | None = None) -> str:
    body = f"91321181MA{(n if n is not None else next(_seq)):07d}"
    return body + uscc.calc_check_digit(body)


def mobile(n: int | None = None) -> str:
    return f"139{(n if n is not None else next(_seq)):08d}"


def household(grid: Area, **extra: Any) -> Household:
    n = next(_seq)
    values: dict[str, Any] = {"number": f"H{n:06d}", "address": f"东山村{n}号", "kind": HouseholdKind.REGISTERED,
                              "grid": grid, "area_code": grid.code}
    return Household.objects.create(**{**values, **extra})


def resident(grid: Area, *, tags: tuple[str, ...] = (), **extra: Any) -> Resident:
    ident = extra.pop("id_number", None) or id_number()
    values: dict[str, Any] = {"id_number": ident, "name": "王小明", "birth_date": id_birth_date(ident),
                              "sex": id_sex(ident), "mobile": mobile(), "status": ResidentStatus.REGISTERED,
                              "grid": grid, "area_code": grid.code}
    row = Resident.objects.create(**{**values, **extra})
    ResidentTag.objects.bulk_create([ResidentTag(resident=row, tag=t) for t in tags])
    return row


def enterprise(grid: Area, **extra: Any) -> Enterprise:
    values: dict[str, Any] = {"uscc": uscc_code(), "name": "丹湖机械有限公司", "legal_representative": "赵大海",
                              "address": "工业园1号", "grid": grid, "area_code": grid.code}
    return Enterprise.objects.create(**{**values, **extra})


def place(grid: Area, **extra: Any) -> Place:
    values: dict[str, Any] = {"kind": PlaceKind.SHOP, "name": "便民超市", "address": "东山村商业街2号",
                              "grid": grid, "area_code": grid.code}
    return Place.objects.create(**{**values, **extra})


def camera(grid: Area, **extra: Any) -> Camera:
    n = next(_seq)
    values: dict[str, Any] = {"code": f"CAM{n:05d}", "name": f"村口{n}号", "source_system": "雪亮工程",
                              "grid": grid, "area_code": grid.code}
    return Camera.objects.create(**{**values, **extra})


def assignment(grid: Area, user: Any, duty: str, started_on: datetime.date | None = None,
               ended_on: datetime.date | None = None) -> GridAssignment:
    return GridAssignment.objects.create(grid=grid, user=user, duty=duty,
                                         started_on=started_on or datetime.date(2025, 1, 1), ended_on=ended_on)


def client_for(user: Any) -> Any:
    """A test client logged in as ``user``."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def info_officer(grid: Area) -> Any:
    from zhenwu.accounts.choices import Role
    from zhenwu.testing import make_staff

    return make_staff("info_a", roles=[Role.INFO_OFFICER], scope=grid)
