"""The first things on each role's home page: its to-do counts (each a link to the filtered list) and the
charts of its work.

Counts come from the pillars' scoped selectors (the service hall's queues and lights, rectification
and follow-up tasks, the registry's lists), so a tile never counts what its link would not show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.areas.models import Area
from zhenwu.charts import Chart, Series
from zhenwu.registry import selectors as registry
from zhenwu.registry.choices import CareTag
from zhenwu.registry.models import Enterprise, Household, ImportJob, ImportStatus, Place, Resident, ResidentTag
from zhenwu.services import charts as hall
from zhenwu.services import selectors as services
from zhenwu.services.models import Application
from zhenwu.services.policy import may_open

HALL_ROLES = (Role.WINDOW_CLERK, Role.REVIEWER, Role.LEADER, Role.SUPERVISOR, Role.ADMIN, Role.VILLAGE_STAFF)
GRID_ROLES = (Role.GRID_LEADER, Role.GRID_WORKER, Role.INFO_OFFICER)
TREND_DAYS = 30
RATE_DAYS = 90


@dataclass(frozen=True)
class Tile:
    """One to-do count: what it is, how many, where the list is; ``tone`` colours urgent ones."""

    label: str
    count: int
    url: str
    tone: str = ""  # "", "yellow", "red"
    hint: str = ""


def _queue(**params: str) -> str:
    return reverse("services:queue") + "?" + urlencode(params)


def _n(qs: QuerySet[Any]) -> int:
    return qs.count()


# ---------------------------------------------------------------- to-do tiles per role

def _hall_tiles(user: User) -> list[Tile]:
    def count(**filters: str) -> int:
        return _n(services.application_list(user=user, **filters))

    counts = services.application_counts(user=user)
    queues, lights = counts["queues"], counts["lights"]
    tiles: list[Tile] = []
    if user.has_role(Role.WINDOW_CLERK):
        tiles += [Tile(_("To accept"), queues["accept"], _queue(tab="accept")),
                  Tile(_("Waiting for supplements"), queues["supplement"], _queue(tab="all", status="supplement")),
                  Tile(_("To hand out"), queues["hand_out"], _queue(tab="hand_out"))]
    if user.has_role(Role.REVIEWER):
        tiles.append(Tile(_("To review"), queues["review"], _queue(tab="review")))
    if user.has_role(Role.LEADER):
        tiles.append(Tile(_("To approve"), queues["approve"], _queue(tab="approve")))
    if user.has_role(Role.VILLAGE_STAFF) and not user.has_role(*services.HALL_ROLES):
        tiles += [Tile(_("Village cases running"), sum(queues.values()) - queues["hand_out"],
                       _queue(tab="village")),
                  Tile(_("Waiting for supplements"), queues["supplement"], _queue(tab="village", status="supplement"))]
    tab = "review" if user.has_role(Role.REVIEWER) and not user.has_role(Role.WINDOW_CLERK, Role.LEADER,
                                                                           Role.SUPERVISOR, Role.ADMIN) else "all"
    if tab == "review":
        due_soon, overdue = count(queue="review", light="yellow"), count(queue="review", light="red")
    else:
        due_soon, overdue = lights["yellow"], lights["red"]
    tab = "village" if user.has_role(Role.VILLAGE_STAFF) and not user.has_role(*services.HALL_ROLES) else tab
    tiles += [Tile(_("Due soon"), due_soon, _queue(tab=tab, light="yellow"), "yellow"),
              Tile(_("Overdue"), overdue, _queue(tab=tab, light="red"), "red")]
    return tiles


def _task_tiles(user: User) -> list[Tile]:
    tiles = []
    if user.has_role(Role.WINDOW_CLERK, Role.LEADER, Role.SUPERVISOR, Role.ADMIN):
        tiles.append(Tile(_("Bad ratings to rectify"), _n(services.rectification_list(user=user, status="open")),
                          reverse("services:rectifications") + "?status=open", "red"))
    if may_open(user, "supervision_tasks"):  # the page's own rule: a tile never leads to a 403
        tiles.append(Tile(_("Approvals to follow up"), _n(services.supervision_list(user=user, status="open")),
                          reverse("services:supervision_tasks")))
    return tiles


def _incidents(**params: str) -> str:
    return reverse("grid:incidents") + "?" + urlencode(params)


def _incident_tiles(user: User) -> list[Tile]:
    """一网治理 to-dos: the dispatcher's reports to register and extensions to decide, the grid's handled
    incidents to verify, and the running ones near or past their time limit (the counts of the queue's tabs)."""
    from zhenwu.grid import selectors as grid

    scope = grid.incident_scope(user=user)
    states, lights = grid.incident_status_counts(scope), grid.incident_light_counts(scope)
    tiles = []
    if user.has_role(Role.DISPATCHER):
        tiles += [Tile(_("Reports to register"), states.get("reported", 0), _incidents(status="reported"), "yellow"),
                  Tile(_("Extensions to decide"), states.get("extension_requested", 0),
                       _incidents(status="extension_requested"))]
    if user.has_role(Role.GRID_WORKER, Role.GRID_LEADER):
        tiles.append(Tile(_("Handled incidents to verify"), states.get("fed_back", 0), _incidents(status="fed_back"),
                          "yellow"))
    return [*tiles, Tile(_("Incidents due soon"), lights.get("yellow", 0), _incidents(light="yellow"), "yellow"),
            Tile(_("Incidents overdue"), lights.get("red", 0), _incidents(light="red"), "red")]


def _registry_url(slug: str, **params: str) -> str:
    url = reverse("registry:list", kwargs={"slug": slug})
    return url + ("?" + urlencode(params) if params else "")


def _grid_tiles(user: User) -> list[Tile]:
    waiting = ImportJob.objects.filter(created_by=user, status=ImportStatus.VALIDATED, choice="").count()
    cared = registry.scoped(Resident, user).filter(tags__isnull=False).distinct().count()
    return [Tile(_("Imports waiting for your choice"), waiting, reverse("registry:import"), "yellow"),
            Tile(_("Households"), _n(registry.scoped(Household, user)), _registry_url("households")),
            Tile(_("Residents"), _n(registry.scoped(Resident, user)), _registry_url("residents")),
            Tile(_("Residents cared for"), cared, "#care",  # the chart by group, each bar its list
                 hint=_("elderly living alone, disability, allowances …"))]


def _base_tiles(user: User) -> list[Tile]:
    return [Tile(_("Households"), _n(registry.scoped(Household, user)), _registry_url("households")),
            Tile(_("Residents"), _n(registry.scoped(Resident, user)), _registry_url("residents")),
            Tile(_("Enterprises"), _n(registry.scoped(Enterprise, user)), _registry_url("enterprises")),
            Tile(_("Places"), _n(registry.scoped(Place, user)), _registry_url("places"))]


def todo_tiles(user: User) -> list[Tile]:
    """The role's to-do counts, most urgent work first; each links to exactly the list it counts."""
    tiles: list[Tile] = []
    if user.has_role(*HALL_ROLES):
        tiles += _hall_tiles(user)
    tiles += _task_tiles(user)
    if user.has_role(Role.DISPATCHER, Role.GRID_LEADER, Role.GRID_WORKER):
        tiles += _incident_tiles(user)
    if user.has_role(*GRID_ROLES):
        tiles += _grid_tiles(user)
    if not tiles:
        tiles = _base_tiles(user)
    unique: dict[str, Tile] = {}
    for tile in tiles:  # a clerk who also reviews sees "overdue" once
        unique.setdefault(tile.url, tile)
    return list(unique.values())


def citizen_tiles(user: User) -> list[Tile]:
    """An applicant's own applications: what needs them first (补正, a rating), then the rest."""
    from zhenwu.services.services.ratings import RATEABLE

    mine = services.application_scope(user=user)
    portal = reverse("portal:index")
    running = [s for key, states in services.QUEUES.items() if key != "hand_out" for s in states]
    return [Tile(_("Materials to supply"), _n(mine.filter(case__status="supplement")), portal, "red"),
            Tile(_("To rate"), _n(mine.filter(case__status__in=RATEABLE, rating__isnull=True)), portal, "yellow"),
            Tile(_("Being handled"), _n(mine.filter(case__status__in=running)), portal),
            Tile(_("Finished"), _n(mine.filter(case__status__in=RATEABLE)), portal)]


# ---------------------------------------------------------------- charts per role

def _running(user: User) -> QuerySet[Application]:
    states = [s for states in services.QUEUES.values() for s in states]
    return services.application_scope(user=user).filter(case__status__in=states)


def hall_charts(user: User, today: dt.date | None = None) -> list[Chart]:
    """Trend of the last 30 days, lights, on-time and satisfaction rates (90 days), longest overdue."""
    today = today or timezone.localdate()
    start = today - dt.timedelta(days=TREND_DAYS - 1)
    scope = services.application_scope(user=user)
    since = timezone.now() - dt.timedelta(days=RATE_DAYS)
    by_department = hall.rate_rows(scope, "department", since)
    by_item = hall.rate_rows(scope, "item", since)
    labels = hall.group_labels()
    return [
        hall.lights_chart(services.application_counts(user=user)["lights"]),
        hall.trend_chart(hall.daily_live(scope, start, today), start, today),
        hall.overdue_chart(hall.overdue_first(_running(user)), today),
        hall.on_time_chart(by_department, group_label=labels["department"], key="on-time-department"),
        hall.satisfaction_chart(by_item, group_label=labels["item"], key="satisfaction-item"),
    ]


def _children(user: User) -> list[Area]:
    """The areas one level below the user's scope (villages of a town, grids of a village)."""
    scope = user.scope_area
    if scope is None:
        return []
    return list(Area.objects.filter(parent=scope).order_by("code"))


def residents_by_area_chart(user: User) -> Chart | None:
    """Residents per village or grid under the user's scope; a bar opens that area's residents."""
    areas = _children(user)
    if not areas:
        return None
    rows = registry.scoped(Resident, user).order_by().values("grid__code").annotate(n=Count("pk"))
    counts = {a.code: 0 for a in areas}
    for r in rows:
        for code in counts:
            if (r["grid__code"] or "").startswith(code):
                counts[code] += r["n"]
    return Chart("residents-area", _("Residents by area"), "hbar", [a.name for a in areas],
                 [Series(_("Residents"), [counts[a.code] for a in areas], "#1565c0")],
                 links=[_registry_url("residents", grid=a.code) for a in areas])


def care_chart(user: User) -> Chart:
    """Residents the town cares for, per group; a bar opens that group's list."""
    rows = (ResidentTag.objects.filter(resident__in=registry.scoped(Resident, user)).order_by()
            .values("tag").annotate(n=Count("pk")))
    counts = {r["tag"]: r["n"] for r in rows}
    tags = [t for t in CareTag if counts.get(t.value)]
    return Chart("care", _("Residents cared for, by group"), "hbar", [str(t.label) for t in tags],
                 [Series(_("Residents"), [counts[t.value] for t in tags], "#6a1b9a")],
                 links=[_registry_url("residents", tag=t.value) for t in tags])


def home_charts(user: User) -> list[Chart]:
    if user.has_role(*HALL_ROLES):
        return hall_charts(user)
    charts = [residents_by_area_chart(user), care_chart(user)]
    return [c for c in charts if c is not None]

