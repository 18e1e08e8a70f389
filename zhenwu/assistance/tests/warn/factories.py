"""Factories of the early-warning and mutual-aid tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count
from typing import Any

from zhenwu.assistance.choices import AssistanceStatus
from zhenwu.assistance.choices_warnings import ImportKind, ImportSource
from zhenwu.assistance.models import AssistanceFile, Settlement, SettlementImport
from zhenwu.registry.tests import factories

_seq = count(1)
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def person(grid: Any, status: str | None = AssistanceStatus.DIBAO, **extra: Any) -> Any:
    """A resident in a household of ``grid`` whose file has ``status`` (no file when None)."""
    home = factories.household(grid)
    resident = factories.resident(grid, household=home, **extra)
    if status is not None:
        AssistanceFile.objects.create(household=home, area_code=grid.code, status=status)
    return resident


def settle(resident: Any, day: dt.date, out_of_pocket: object, total: object = None) -> Settlement:
    batch = SettlementImport.objects.create(kind=ImportKind.SETTLEMENTS, source=ImportSource.API, area_code="")
    oop = Decimal(str(out_of_pocket))
    return Settlement.objects.create(number=f"T{next(_seq):08d}", person=resident, date=day, out_of_pocket=oop,
                                     total=Decimal(str(total)) if total is not None else oop * 2, batch=batch)
