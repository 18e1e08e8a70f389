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
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.db.models import Model, ProtectedError, QuerySet
from django.utils import timezone

from zhenwu.accounts.demo import demo_logins_save
from zhenwu.accounts.models import Department, User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.geometry import to_shape
from zhenwu.areas.models import Area
from zhenwu.areas.services import area_delete
from zhenwu.casework.models import Case
from zhenwu.demo import assistance, basedata, cases, enforcement, grid, inspections, names, patrols, people, staffing
from zhenwu.demo import geometry as geo
from zhenwu.demo.models import DemoMarker
from zhenwu.demo.people import DemoLogin
from zhenwu.demo.targets import town_targets
from zhenwu.demo.tree import AreaSpec, TownPlan, plan_town, write_areas
from zhenwu.errors import Conflict, FieldError
from zhenwu.errors import gettext as _
from zhenwu.registry.models import Camera, Enterprise, Household, Place, Resident

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
def build_county(*, seed: int = 1, towns: int = 1, scale: float = 1.0, log: Log = _quiet) -> DemoResult:
    """Build (or bring up to date) the demo county with `towns` towns; write demo_logins.json.

    `scale` (0 < scale ≤ 1) sizes each town's base data: 1 is the full town of DOMAIN.md, 0.02
    a small town for tests (grids and staff are always complete).

    All or nothing: a failure (e.g. a username held by a real account) leaves the database as it was.

    The logins table holds the first town's role accounts plus the citizen and the enterprise;
    further towns get the same roles with usernames prefixed `t<town number>_`.
    """
    if not 1 <= towns <= names.MAX_TOWNS:
        raise FieldError("towns", _("The number of towns must be between 1 and %(max)d.")
                         % {"max": names.MAX_TOWNS})
    if not 0 < scale <= 1:
        raise FieldError("scale", _("The scale must be greater than 0 and at most 1."))
    total = Progress(log)
    plans = [_plan(seed, i, Progress(log)) for i in range(towns)]
    _write_county(plans)
    password_hash = people.password_hash()
    result = DemoResult(towns=plans)
    _load_power_list()  # before the towns: their penalty cases cite the powers
    for plan in plans:
        logins = build_town(plan=plan, seed=seed, password_hash=password_hash, scale=scale, log=log)
        if plan.index == 0:
            result.logins = logins
    inspections.inspections_build(town_code=plans[0].code, prefix=people.username_prefix(plans[0]), seed=seed,
                                  progress=Progress(log))  # 双随机一公开: after the power list and the accounts
    mobiles = dict(User.objects.filter(username__in=[lg.username for lg in result.logins])
                   .values_list("username", "mobile"))
    result.logins = [replace(lg, mobile=mobiles.get(lg.username) or "") for lg in result.logins]
    result.logins_path = write_logins(result.logins)
    DemoMarker.objects.update_or_create(pk=1, defaults={"built_at": timezone.now(), "seed": seed, "towns": towns,
                                                        "scale": scale})
    total(_("Demo built in %(seconds).1f s."))
    return result


def _load_power_list() -> None:
    """一队执法's power list (权责清单) is the county's: loaded once, unchanged powers left as they are."""
    from zhenwu.enforcement import powers_data
    from zhenwu.enforcement.services.powers import powers_load

    powers_load(powers_data.drafts())


class ForeignData(Conflict):
    """The database holds data that the demo did not make: the demo refuses to write into it."""


def demo_database_check(*, force: bool = False) -> None:
    """Refuse (``ForeignData``) a database that holds accounts, areas, cases or base data the demo did not make.

    A database the demo has built carries a ``DemoMarker`` row and is always accepted. Without it (a new
    database, or a real one): anything in it stops the demo, except in a database built by the demo before
    the marker existed (its invented county 「丹溪市」 is there), where only what lies outside the demo's
    county or belongs to accounts without the demo e-mail domain counts. ``force`` skips the check."""
    if force or DemoMarker.objects.exists():
        return
    found = _foreign_counts()
    if any(found.values()):
        raise ForeignData(_(
            "This database already holds data that the demo did not make (%(users)d accounts, %(areas)d areas, "
            "%(cases)d cases, %(rows)d base data rows). The demo would overwrite it or mix with it, so nothing was "
            "changed. Use an empty database (another ZHENWU_DATA_DIR or DATABASE_URL), or add --force if this "
            "database really is a demo.") % found, field="database")


def _foreign_counts() -> dict[str, int]:
    county = names.COUNTY_CODE
    earlier_demo = Area.objects.filter(code=county, name=names.COUNTY_NAME).exists()
    users: QuerySet[User] = User.objects.all()
    areas: QuerySet[Area] = Area.objects.all()
    cases: QuerySet[Case] = Case.objects.all()
    registry: list[QuerySet[Model]] = [m.objects.all() for m in (Resident, Household, Enterprise, Place, Camera)]
    if earlier_demo:
        users = users.exclude(email__endswith=f"@{people.DEMO_EMAIL_DOMAIN}")
        areas = areas.exclude(code__startswith=county)
        cases = cases.exclude(town_code__startswith=county)
        registry = [qs.exclude(area_code__startswith=county) for qs in registry]
    return {"users": users.count(), "areas": areas.count(), "cases": cases.count(),
            "rows": sum(qs.count() for qs in registry)}


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
def build_town(*, plan: TownPlan, seed: int, password_hash: str, scale: float = 1.0,
               log: Log = _quiet) -> list[DemoLogin]:
    """Write one planned town (its county must exist): areas, departments, role accounts, grid
    staff and their assignments, and the base data at `scale`; then drop areas a run with another
    seed left behind; returns the town's logins.

    The base data and assignments are kept when the stored rows match the plan, else replaced
    wholesale (see `basedata`)."""
    progress = Progress(log)
    patrols.patrols_wipe(plan.code)  # they point at grid staff accounts that a new plan may replace
    areas = write_areas(plan.areas)
    departments = people.write_town_departments(plan, areas)
    progress(_("Town %(code)s: %(areas)d areas and %(departments)d departments written (%(seconds).1f s)"),
             code=plan.code, areas=len(areas), departments=len(departments))
    data = basedata.plan_basedata(plan=plan, seed=seed, targets=town_targets(scale))
    terms = staffing.plan_terms(plan, staffing.plan_duties(plan, data.households), seed)
    counts = data.counts()
    progress(_("Town %(code)s: planned %(households)d households, %(residents)d residents, %(enterprises)d "
               "enterprises, %(places)d places and %(cameras)d cameras (%(seconds).1f s)"), code=plan.code, **counts)
    fresh = not basedata.basedata_matches(plan.code, data, len(terms))
    if fresh:
        grid.grid_wipe(plan.code)  # visits point at the households about to be replaced
        assistance.assistance_wipe(plan.code)  # assistance files protect their households
        progress(_("Town %(code)s: %(rows)d old base data rows deleted (%(seconds).1f s)"), code=plan.code,
                 rows=basedata.basedata_wipe(plan.code))
    rng = random.Random(f"zhenwu-demo/{seed}/people-{plan.index}")
    writer = people.AccountWriter(plan, areas, departments, rng, password_hash)
    logins = people.write_role_accounts(writer)
    grid_staff = people.write_grid_staff(writer)
    if plan.index == 0:
        logins += people.write_public_accounts(writer)
    progress(_("Town %(code)s: %(logins)d demo logins and %(staff)d grid staff accounts written "
               "(%(seconds).1f s)"), code=plan.code, logins=len(logins), staff=grid_staff)
    if fresh:
        _write_basedata(plan, writer, data, terms, seed, progress)
    else:
        progress(_("Town %(code)s: base data already built with this seed and scale, kept (%(seconds).1f s)"),
                 code=plan.code)
    cases.cases_build(town_code=plan.code, seed=seed, scale=scale, progress=progress)
    patrols.patrols_build(town_code=plan.code, seed=seed, scale=scale, progress=progress)
    grid.grid_build(plan=plan, seed=seed, scale=scale, password_hash=password_hash, progress=progress)
    enforcement.enforcement_build(plan=plan, writer=writer, seed=seed, scale=scale, progress=progress)
    if plan.index == 0:  # 社会救助: the first town only, after its base data, staff and grid year
        assistance.assistance_build(plan=plan, seed=seed, progress=progress)
    if plan.index == 0:
        logins.insert(len(people.ROLE_ACCOUNTS), grid.handler_login(plan))  # 处置人员, after the role logins
    _prune_town(plan)
    return logins


def _write_basedata(plan: TownPlan, writer: people.AccountWriter, data: basedata.TownData,
                    terms: list[staffing.Term], seed: int, progress: Progress) -> None:
    staff = staffing.write_staffing(writer, terms, seed)
    progress(_("Town %(code)s: %(leaders)d grid leaders, %(workers)d grid workers and %(officers)d information "
               "officers with %(assignments)d grid assignments (%(seconds).1f s)"), code=plan.code, **staff)
    counts = basedata.basedata_write(data=data, areas=writer.areas)
    progress(_("Town %(code)s: %(households)d households, %(residents)d residents (%(tags)d care tags), "
               "%(enterprises)d enterprises, %(places)d places and %(cameras)d cameras written (%(seconds).1f s)"),
             code=plan.code, **counts)


def write_logins(logins: list[DemoLogin]) -> Path:
    """demo_logins.json in DATA_DIR: what the login page lists in demo mode."""
    return demo_logins_save([lg.as_json() for lg in logins])


@transaction.atomic
def demo_reset(*, log: Log = _quiet) -> None:
    """Delete the registry rows of the demo county, the demo accounts, then its departments and areas.

    Order matters because of PROTECT foreign keys: registry rows and grid assignments point at
    areas and users; users point at areas (scope), departments
    point at areas, areas point at their parent; so accounts first, then departments, then
    areas from the deepest level up. Anything else still pointing at demo accounts or areas
    (data of other apps, a real account scoped there) stops the reset with a Conflict naming it.
    """
    with _protected_as_conflict():
        grid.grid_wipe(names.COUNTY_CODE)
        inspections.inspections_wipe(names.COUNTY_CODE)
        enforcement.enforcement_wipe(names.COUNTY_CODE)
        assistance.assistance_wipe(names.COUNTY_CODE)  # before the base data: files protect households
        basedata.basedata_wipe(names.COUNTY_CODE)
        cases.cases_wipe(names.COUNTY_CODE)
        patrols.patrols_wipe(names.COUNTY_CODE)
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
