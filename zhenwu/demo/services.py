"""The demo generator's writes: build a county of demo towns, or delete everything it built.

Steps per town (each its own module, so the full-scale generator can add steps):
geometry and names (`tree.plan_town`) → areas (`tree.write_areas`) → departments and
accounts (`people`). Every step is an upsert keyed by code / (area, name) / username, so running
again updates in place instead of duplicating.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _

from zhenwu.accounts.demo import demo_logins_save
from zhenwu.accounts.models import Department, User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.geometry import to_shape
from zhenwu.areas.models import Area
from zhenwu.areas.services import area_delete
from zhenwu.demo import geometry as geo
from zhenwu.demo import names, people
from zhenwu.demo.people import DemoLogin
from zhenwu.demo.tree import AreaSpec, TownPlan, plan_town, write_areas
from zhenwu.errors import Conflict, FieldError

Log = Callable[[str], None]


def _quiet(message: str) -> None:
    """Default progress sink: say nothing."""


@dataclass
class DemoResult:
    """What a build produced: the town plans, the printed logins and where they were written."""

    towns: list[TownPlan] = field(default_factory=list)
    logins: list[DemoLogin] = field(default_factory=list)
    logins_path: Path | None = None


@transaction.atomic
def build_county(*, seed: int = 1, towns: int = 1, log: Log = _quiet) -> DemoResult:
    """Build (or bring up to date) the demo county with `towns` towns; write demo_logins.json.

    All or nothing: a failure (e.g. a username held by a real account) leaves the database as it was.

    The logins table holds the first town's role accounts plus the citizen and the enterprise;
    further towns get the same roles with usernames prefixed `t<town number>_`.
    """
    if not 1 <= towns <= names.MAX_TOWNS:
        raise FieldError("towns", _("The number of towns must be between 1 and %(max)d.")
                         % {"max": names.MAX_TOWNS})
    total = Progress(log)
    plans = [_plan(seed, i, Progress(log)) for i in range(towns)]
    _write_county(plans)
    password_hash = people.password_hash()
    result = DemoResult(towns=plans)
    for plan in plans:
        logins = build_town(plan=plan, seed=seed, password_hash=password_hash, log=log)
        if plan.index == 0:
            result.logins = logins
    result.logins_path = write_logins(result.logins)
    total(_("Demo built in %(seconds).1f s."))
    return result


class Progress:
    """Reports a step with the seconds it took since the previous report."""

    def __init__(self, log: Log) -> None:
        self.log, self.started = log, time.perf_counter()

    def __call__(self, message: str, **params: object) -> None:
        now = time.perf_counter()
        self.log(message % {**params, "seconds": now - self.started})
        self.started = now


def _plan(seed: int, index: int, progress: Progress) -> TownPlan:
    plan = plan_town(seed=seed, index=index)
    progress(_("Town %(code)s %(name)s: geometry of %(l1)d level-1, %(l2)d level-2 and %(special)d "
               "special grids (%(seconds).1f s)"), code=plan.code, name=plan.name,
             l1=len(plan.of_level(AreaLevel.GRID1)), l2=len(plan.of_level(AreaLevel.GRID2)),
             special=len(plan.of_level(AreaLevel.SPECIAL)))
    return plan


@transaction.atomic
def _write_county(plans: list[TownPlan]) -> Area:
    """The county outline contains the towns being built and any town already under it."""
    existing = Area.objects.filter(parent__code=names.COUNTY_CODE).exclude(
        code__in=[p.code for p in plans]).exclude(geometry=None)
    shapes = [p.get(p.code).shape for p in plans] + [to_shape(a.geometry) for a in existing if a.geometry]
    spec = AreaSpec(names.COUNTY_CODE, names.COUNTY_NAME, AreaLevel.COUNTY, None, geo.county_polygon(shapes))
    county = write_areas([spec])[names.COUNTY_CODE]
    people.write_county_departments(county)
    return county


@transaction.atomic
def build_town(*, plan: TownPlan, seed: int, password_hash: str, log: Log = _quiet) -> list[DemoLogin]:
    """Write one planned town (its county must exist): areas, departments, role accounts and grid
    staff, then drop areas a run with another seed left behind; returns the town's logins."""
    progress = Progress(log)
    areas = write_areas(plan.areas)
    departments = people.write_town_departments(plan, areas)
    progress(_("Town %(code)s: %(areas)d areas and %(departments)d departments written (%(seconds).1f s)"),
             code=plan.code, areas=len(areas), departments=len(departments))
    rng = random.Random(f"zhenwu-demo/{seed}/people-{plan.index}")
    writer = people.AccountWriter(plan, areas, departments, rng, password_hash)
    logins = people.write_role_accounts(writer)
    grid_staff = people.write_grid_staff(writer)
    if plan.index == 0:
        logins += people.write_public_accounts(writer)
    _prune_town(plan)
    progress(_("Town %(code)s: %(logins)d demo logins and %(staff)d grid staff accounts written "
               "(%(seconds).1f s)"), code=plan.code, logins=len(logins), staff=grid_staff)
    return logins


def write_logins(logins: list[DemoLogin]) -> Path:
    """demo_logins.json in DATA_DIR: what the login page lists in demo mode."""
    return demo_logins_save([lg.as_json() for lg in logins])


@transaction.atomic
def demo_reset(*, log: Log = _quiet) -> None:
    """Delete the demo accounts, then the departments and areas of the demo county.

    Order matters because of PROTECT foreign keys: users point at areas (scope), departments
    point at areas, areas point at their parent; so accounts first, then departments, then
    areas from the deepest level up. Anything else still pointing at demo accounts or areas
    (data of other apps, a real account scoped there) stops the reset with a Conflict naming it.
    """
    with _protected_as_conflict():
        _rows, by_model = User.objects.filter(email__endswith=f"@{people.DEMO_EMAIL_DOMAIN}").delete()
        counts = _delete_areas(Area.objects.filter(code__startswith=names.COUNTY_CODE))
    log(_("Demo data deleted: %(users)d accounts, %(departments)d departments, %(areas)d areas.") % {
        "users": by_model.get(User._meta.label, 0), **counts})


def _prune_town(plan: TownPlan) -> int:
    """Delete areas under the town that the plan no longer has (left by a run with another seed)."""
    stale = Area.objects.filter(code__startswith=plan.code).exclude(code__in=[a.code for a in plan.areas])
    if not stale.exists():
        return 0
    with _protected_as_conflict():
        User.objects.filter(scope_area__in=stale, email__endswith=f"@{people.DEMO_EMAIL_DOMAIN}").delete()
        return _delete_areas(stale)["areas"]


def _delete_areas(areas: QuerySet[Area]) -> dict[str, int]:
    """Delete the departments of `areas`, then the areas from the deepest level up."""
    others = list(User.objects.filter(scope_area__in=areas).values_list("username", flat=True)[:5])
    if others:
        raise Conflict(_("Accounts that are not demo accounts are scoped to demo areas (%(users)s); "
                         "delete them or change their scope first.") % {"users": ", ".join(others)})
    departments = Department.objects.filter(area__in=areas).delete()[0]
    doomed = sorted(areas, key=lambda a: (-len(a.code), a.code))
    for area in doomed:
        area_delete(area=area)
    return {"departments": departments, "areas": len(doomed)}


@contextmanager
def _protected_as_conflict() -> Iterator[None]:
    """A PROTECT foreign key from data the demo did not make becomes a Conflict naming that data."""
    try:
        yield
    except ProtectedError as exc:
        blockers = sorted({f"{o._meta.verbose_name} {o}" for o in list(exc.protected_objects)[:5]})
        raise Conflict(_("Other data still refers to the demo accounts or areas (%(objects)s); "
                         "delete it first.") % {"objects": ", ".join(blockers)}) from exc
