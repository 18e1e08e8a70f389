"""社会救助 §4: the calculation for 10,000 households (target ≤ 5 s), on the harness's SQLite database.

Written first (not timed): one town, 10,000 households in assistance across the five categories, 2–5 residents each
with member profiles, 1–2 incomes and 0–3 rigid expenditures, and the seed rule set. Measured: reading every file's
inputs (``calc_inputs_many``, five queries) and ``calculate`` for each, with the whole breakdown as JSON, as a
recomputation does. Baseline in the same run: reading the same rows (residents, profiles, incomes, expenditures)
with plain ``values_list`` and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal
from typing import Any

from benchmarks.harness import Report, timed

HOUSEHOLDS = 10_000
TARGET_S = 5.0
TOWN = "321181302"


def _build() -> None:
    from django.core.management import call_command

    from zhenwu.areas.choices import AreaLevel
    from zhenwu.areas.models import Area
    from zhenwu.areas.services import area_create
    from zhenwu.assistance.models import AssistanceFile, Expenditure, Income, MemberProfile
    from zhenwu.assistance.services.rules import rules_seed
    from zhenwu.casework.services import attachment_store
    from zhenwu.registry.models import Household, Resident
    from zhenwu.testing import PNG, square

    call_command("migrate", verbosity=0)
    if AssistanceFile.objects.filter(area_code__startswith=TOWN).count() == HOUSEHOLDS:
        return
    box = square(119.1, 31.1, 119.2, 31.2)
    county = Area.objects.filter(code="321181").first() or area_create(
        code="321181", name="基准县", level=AreaLevel.COUNTY, parent=None, geometry=square(119.0, 31.0, 120.0, 32.0))
    town = area_create(code=TOWN, name="基准镇", level=AreaLevel.TOWN, parent=county, geometry=box)
    village = area_create(code=f"{TOWN}201", name="基准村", level=AreaLevel.VILLAGE, parent=town, geometry=box)
    grid1 = area_create(code=f"{TOWN}201001", name="基准网格", level=AreaLevel.GRID1, parent=village, geometry=box)
    grid = area_create(code=f"{TOWN}201001001", name="基准二级网格", level=AreaLevel.GRID2, parent=grid1,
                       geometry=box)
    rules_seed(town_code=TOWN, effective_from=dt.date(2026, 1, 1))
    rng = random.Random(13)
    homes = Household.objects.bulk_create([Household(number=f"B{i:06d}", address=f"基准村{i}号", kind="registered",
                                                     grid=grid, area_code=grid.code) for i in range(HOUSEHOLDS)])
    statuses = ["dibao", "tekun", "edge", "expenditure", "temporary"]
    files = AssistanceFile.objects.bulk_create([AssistanceFile(household=h, area_code=grid.code,
                                                               status=statuses[i % 5])
                                                for i, h in enumerate(homes)])
    people, n = [], 0
    for h in homes:
        for _ in range(rng.randint(2, 5)):
            n += 1
            people.append(Resident(id_number=f"B{n:017d}", name=f"成员{n}", birth_date=dt.date(1980, 1, 1), sex="M",
                                   household=h, status="registered", grid=grid, area_code=grid.code))
    people = Resident.objects.bulk_create(people, batch_size=5000)
    file_of: dict[Any, Any] = {f.household_id: f for f in files}
    MemberProfile.objects.bulk_create([MemberProfile(file=file_of[p.household_id], resident=p,
                                                     disability_grade=rng.choice([0, 0, 0, 1, 3]),
                                                     work_capacity=rng.choice(["full", "partial", "none"]),
                                                     schooling=rng.choice(["", "none", "compulsory"]),
                                                     health=rng.choice(["healthy", "chronic", "serious"]))
                                       for p in people], batch_size=5000)
    Income.objects.bulk_create([Income(file=f, source="工资", monthly_amount=Decimal(rng.randint(0, 4000)))
                                for f in files for _ in range(rng.randint(1, 2))], batch_size=5000)
    evidence = attachment_store(actor=None, data=PNG)  # every expenditure has its evidence (one receipt here)
    Expenditure.objects.bulk_create([Expenditure(file=f, kind=rng.choice(["medical", "education", "care"]),
                                                 yearly_amount=Decimal(rng.randint(1000, 200_000)), year=2026,
                                                 evidence=evidence)
                                     for f in files for _ in range(rng.randint(0, 3))], batch_size=5000)


def run(report: Report) -> None:
    from zhenwu.assistance.calc import calc_inputs_many, calculate
    from zhenwu.assistance.models import AssistanceFile, Expenditure, Income, MemberProfile, RuleSet
    from zhenwu.assistance.services.rules import rules_of
    from zhenwu.registry.models import Resident

    t0 = time.perf_counter()
    _build()
    built = time.perf_counter() - t0
    rules = rules_of(RuleSet.objects.get(town_code=TOWN, version=1))
    amounts: list[Decimal] = []

    def compute() -> None:
        amounts.clear()
        for inputs in calc_inputs_many(AssistanceFile.objects.filter(area_code__startswith=TOWN), year=2026).values():
            result = calculate(inputs, rules)
            result.breakdown(inputs, rules)
            amounts.append(result.amount)

    def read_rows() -> None:
        town = AssistanceFile.objects.filter(area_code__startswith=TOWN)
        list(town.values_list("pk", "household_id", "household__number", "status"))
        list(Resident.objects.filter(household_id__in=town.values("household_id")).values_list("pk", "name",
                                                                                               "household_id"))
        list(MemberProfile.objects.filter(file_id__in=town.values("pk")).values_list(
            "file_id", "resident_id", "disability_grade", "work_capacity", "schooling", "health"))
        list(Income.objects.filter(file_id__in=town.values("pk")).values_list("file_id", "source", "monthly_amount"))
        list(Expenditure.objects.filter(file_id__in=town.values("pk"), year=2026).values_list(
            "file_id", "kind", "yearly_amount", "year"))

    measured = timed(compute, repeat=2)
    baseline = timed(read_rows, repeat=2)
    assert len(amounts) == HOUSEHOLDS and any(a > 0 for a in amounts)
    report.row(f"assistance: calculation with breakdown for {HOUSEHOLDS:,} households (SQLite)", measured, "s",
               baseline_name="reading the same rows only", baseline_value=baseline, target=f"≤ {TARGET_S:.0f} s",
               met=measured <= TARGET_S)
    report.note(f"assistance calc: building the {HOUSEHOLDS:,} households took {built:.1f} s (not timed); "
                f"{sum(1 for a in amounts if a > 0):,} households get an amount, total "
                f"{sum(amounts):,.2f} yuan a month")
