"""Grid staffing at full scale: 12 grid leaders, 61 grid workers, 183 information officers per town.

The rule (DOMAIN.md gives 61 / 183 for 49 level-2 grids):

- every level-1 grid has a grid leader (网格长): 12;
- every level-2 grid has a grid worker (网格员): 49; the 10 level-2 grids with the most households
  get a second one: 10; each special grid (school, hospital) has a 专属网格员: 2 — 61 in all;
- every grid worker has 3 information officers (信息员) in the same grid: 183.

Leaders and first workers are the accounts `people.write_grid_staff` makes (``gl…``/``gw…`` and the
``gridleader``/``gridworker`` logins); this module adds ``gw<grid>-2`` second workers,
``sw<special grid>`` special grid workers and ``io<grid>-<n>`` information officers (the ``info``
login is officer 1 of its grid), then records every duty as a `GridAssignment` row. About one
information officer in ten also has an earlier, ended assignment in a neighbouring grid (history).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, replace

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.areas.choices import AreaLevel
from zhenwu.demo import people
from zhenwu.demo.people import AccountWriter
from zhenwu.demo.population import HouseholdRow
from zhenwu.demo.tree import TownPlan
from zhenwu.registry.choices import GridDuty
from zhenwu.registry.models import GridAssignment

SECOND_WORKERS = 10
OFFICERS_PER_WORKER = 3
FIRST_DAY = datetime.date(2021, 3, 1)  # the grid reform starts; assignments begin after it
HISTORY_SHARE = 0.1
STAFF_PATTERN_PREFIXES = ("gl", "gw", "sw", "io")


@dataclass(frozen=True)
class Duty:
    """One staff member's duty in one grid."""

    username: str
    grid_code: str
    duty: str
    role: str
    ordinal: int  # fixes the mobile number (see identity.mobile)


def _ordinal(code: str) -> tuple[int, int]:
    """(village 1–12, grid 1–5, or 8/9 for the school / hospital special grid)."""
    village, tail = int(code[9:12]) - 200, code[12:]
    return village, (7 + int(tail[-1]) if tail.startswith("9") else int(tail[-3:] or 0))


def plan_duties(plan: TownPlan, households: list[HouseholdRow]) -> list[Duty]:
    """Every duty of the town, leaders first, with the username that holds it.

    `ordinal` is 0 for accounts `people.write_grid_staff` and the role logins already made.
    """
    prefix, seat = people.username_prefix(plan), plan.seat_village
    duties = [Duty(f"{prefix}gridleader" if g.code == f"{seat}001" else f"gl{g.code}", g.code, GridDuty.LEADER,
                   Role.GRID_LEADER, 0) for g in plan.of_level(AreaLevel.GRID1)]
    busiest = Counter(h.grid_code for h in households)
    grids2 = [g.code for g in plan.of_level(AreaLevel.GRID2)]
    second = set(sorted(grids2, key=lambda c: (-busiest[c], c))[:SECOND_WORKERS])
    workers: list[tuple[str, str, int, str, int]] = []  # username, grid, slot, duty, ordinal base
    for code in grids2:
        workers.append((f"{prefix}gridworker" if code == f"{seat}001001" else f"gw{code}", code, 1, GridDuty.WORKER, 0))
        if code in second:
            workers.append((f"gw{code}-2", code, 2, GridDuty.WORKER, 20_000))
    workers += [(f"sw{a.code}", a.code, 1, GridDuty.SPECIAL, 40_000) for a in plan.of_level(AreaLevel.SPECIAL)]
    for username, code, slot, duty, base in workers:
        village, grid = _ordinal(code)
        duties.append(Duty(username, code, duty, Role.GRID_WORKER, base and base + village * 100 + grid * 10 + slot))
        for k in range(1, OFFICERS_PER_WORKER + 1):
            n = (slot - 1) * OFFICERS_PER_WORKER + k
            login = (code, n) == (f"{seat}001001", 1)
            duties.append(Duty(f"{prefix}info" if login else f"io{code}-{n}", code, GridDuty.INFO_OFFICER,
                               Role.INFO_OFFICER, 0 if login else 50_000 + village * 100 + grid * 10 + n))
    return duties


@dataclass(frozen=True)
class Term:
    """One GridAssignment row to write."""

    duty: Duty
    grid_code: str
    started_on: datetime.date
    ended_on: datetime.date | None = None


def plan_terms(plan: TownPlan, duties: list[Duty], seed: int) -> list[Term]:
    """The current term of every duty, and for about one officer in ten an earlier ended one."""
    rng = staff_rng(seed, plan.index)
    terms: list[Term] = []
    for d in duties:
        started = FIRST_DAY + datetime.timedelta(days=rng.randint(0, 900))
        terms.append(Term(d, d.grid_code, started))
        siblings = [a.code for a in plan.of_level(AreaLevel.GRID2) if a.code[:15] == d.grid_code[:15]
                    and a.code != d.grid_code and len(d.grid_code) == 18]
        if d.duty == GridDuty.INFO_OFFICER and siblings and rng.random() < HISTORY_SHARE:
            terms.append(Term(d, rng.choice(siblings), FIRST_DAY, started - datetime.timedelta(days=1)))
    return terms


def staff_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"zhenwu-demo/{seed}/staff-{index}")


def write_staffing(writer: AccountWriter, terms: list[Term], seed: int) -> dict[str, int]:
    """Add the second, special and information-officer accounts, drop stale ones, record the terms.

    The town's assignments must already be deleted (GridAssignment protects its user).
    """
    own = replace(writer, rng=random.Random(f"zhenwu-demo/{seed}/staff-names-{writer.plan.index}"))
    duties = list({t.duty.username: t.duty for t in terms}.values())
    users = {u.username: u for u in User.objects.filter(username__in=[d.username for d in duties if not d.ordinal])}
    for d in (d for d in duties if d.ordinal):
        users[d.username] = own.staff(d.username, ordinal=d.ordinal, roles=[d.role], scope=writer.areas[d.grid_code],
                                      department=writer.departments[people.COMMAND_CENTRE])
    stale = _drop_stale(writer, set(users))
    GridAssignment.objects.bulk_create([
        GridAssignment(grid=writer.areas[t.grid_code], user=users[t.duty.username], duty=t.duty.duty,
                       started_on=t.started_on, ended_on=t.ended_on) for t in terms])
    counts = Counter(d.duty for d in duties)
    return {"leaders": counts[GridDuty.LEADER], "workers": counts[GridDuty.WORKER] + counts[GridDuty.SPECIAL],
            "officers": counts[GridDuty.INFO_OFFICER], "assignments": len(terms), "stale": stale}


def _drop_stale(writer: AccountWriter, keep: set[str]) -> int:
    """Delete this town's demo grid-staff accounts that the plan no longer has (another seed)."""
    town = User.objects.filter(scope_area__code__startswith=writer.plan.code,
                               email__endswith=f"@{people.DEMO_EMAIL_DOMAIN}")
    stale = [u for u in town.values_list("username", flat=True)
             if u.startswith(STAFF_PATTERN_PREFIXES) and u not in keep]
    return User.objects.filter(username__in=stale).delete()[0] if stale else 0
