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
