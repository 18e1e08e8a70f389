"""Households in assistance for the calculation tests, and the seed rules as plain values."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from zhenwu.areas.models import Area
from zhenwu.assistance.calc import CalcInputs, ExpenditureInput, IncomeInput, MemberInput, Rules
from zhenwu.assistance.choices import IncomeSource
from zhenwu.assistance.models import AssistanceFile, Expenditure, Income, MemberProfile
from zhenwu.assistance.services.rules import rules_validate, seed_data
from zhenwu.casework.models import Attachment
from zhenwu.registry.tests import factories as registry

D = Decimal


def seed_rules(**changes: Any) -> Rules:
    """The seed rule set (settings) as plain values; ``changes`` replace top-level inputs."""
    data = {**seed_data(dt.date(2026, 1, 1)), **changes}
    return rules_validate(data, town_code="321181102")


def inputs(category: str = "dibao", members: int | list[dict[str, Any]] = 3, incomes: tuple[str, ...] = (),
           expenditures: tuple[tuple[str, str], ...] = (), **extra: Any) -> CalcInputs:
    people = [{}] * members if isinstance(members, int) else members
    return CalcInputs(file_id=1, household_number="H1", category=category,
                      members=tuple(MemberInput(i + 1, f"成员{i + 1}", **p) for i, p in enumerate(people)),
                      incomes=tuple(IncomeInput("工资", D(a)) for a in incomes),
                      expenditures=tuple(ExpenditureInput(k, D(a), 2026) for k, a in expenditures),
                      year=2026, **extra)


def assistance_file(grid: Area, *, status: str, members: list[dict[str, Any]], incomes: list[str] = (),  # type: ignore[assignment]
                    expenditures: list[tuple[str, str]] = (), since: dt.date | None = None) -> AssistanceFile:  # type: ignore[assignment]
    home = registry.household(grid)
    file = AssistanceFile.objects.create(household=home, area_code=grid.code, status=status,
                                         status_since=since or dt.date(2025, 12, 1))
    for i, profile in enumerate(members):
        person = registry.resident(grid, household=home, name=f"成员{i + 1}")
        if i == 0:
            home.head = person
            home.save(update_fields=["head"])
        if profile:
            MemberProfile.objects.create(file=file, resident=person, **profile)
    for amount in incomes:
        Income.objects.create(file=file, source=IncomeSource.WAGES, monthly_amount=D(amount))
    for kind, amount in expenditures:
        Expenditure.objects.create(file=file, kind=kind, yearly_amount=D(amount), year=2026,
                                   evidence=_evidence(f"{file.pk}-{kind}-{amount}"))
    return file


def _evidence(label: str) -> Attachment:
    """A stored invoice row (an expenditure always has its evidence; the calculation never reads the file)."""
    sha = hashlib.sha256(label.encode()).hexdigest()
    return Attachment.objects.get_or_create(sha256=sha, defaults={"size": 1, "content_type": "image/png",
                                                                    "storage_name": f"{sha}.png"})[0]
