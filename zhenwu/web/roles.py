"""What each role does, and which of today's pages it uses: the cards of the staff home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role
from zhenwu.enforcement import policy as enforcement_policy
from zhenwu.grid import policy as grid_policy
from zhenwu.services.policy import may_open


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise
    admin_only: bool = False
    slug: str = ""

    @property
    def href(self) -> str:
        return reverse(self.url_name, kwargs={"slug": self.slug} if self.slug else None)


MAP = Link("areas:map", _("Grid map"))
ADMIN = Link("admin:index", _("Administration"), admin_only=True)
TOKENS = Link("accounts:tokens", _("API tokens"))
RESIDENTS = Link("registry:list", _("Residents"), slug="residents")
ENTERPRISES = Link("registry:list", _("Enterprises"), slug="enterprises")
IMPORT = Link("registry:import", _("Import base data"))
QUEUE = Link("services:queue", _("Service hall queues"))
SUPERVISION = Link("services:supervision", _("Electronic supervision"))
RECTIFICATIONS = Link("services:rectifications", _("Rectification of bad ratings"))
FOLLOW_UPS = Link("services:supervision_tasks", _("Follow-up supervision of approvals"))
INCIDENTS = Link("grid:incidents", _("Grid incidents"))

ROLE_DUTIES: dict[str, Promise] = {
    Role.WINDOW_CLERK: _("Takes in applications at the comprehensive window, gives one notice listing "
                         "every missing material, and hands out results."),
    Role.REVIEWER: _("Reviews accepted applications (first and second review) within the promised "
                     "working days."),
    Role.LEADER: _("Approves or denies applications and penalty decisions, and watches the team's "
                   "deadlines."),
    Role.GRID_LEADER: _("Leads a level-1 grid: its grid workers, their patrols and the grid's incidents."),
    Role.GRID_WORKER: _("Patrols a level-2 grid, reports incidents with photos and GPS, closes small "
                        "matters on the spot and verifies handled ones."),
    Role.INFO_OFFICER: _("Helps the grid worker collect information on the households and places of the "
                         "grid."),
    Role.ENFORCEMENT_OFFICER: _("Investigates penalty cases with a second certified officer and inspects "
                                "randomly drawn targets."),
    Role.LEGAL_REVIEWER: _("Reviews the legality of major penalty decisions before they are taken."),
    Role.DISPATCHER: _("Registers reports from every source and dispatches them to the handling "
                       "department."),
    Role.SUPERVISOR: _("Supervises deadlines, urges overdue work and reviews performance figures."),
    Role.VILLAGE_STAFF: _("Takes in applications for villagers at the village service station."),
    Role.CIVIL_AFFAIRS: _("Keeps the assistance files of the town's households, reviews assistance "
                          "applications and follows up early warnings."),
    Role.ADMIN: _("Manages areas, departments, staff, roles and the working-day calendar."),
}

ROLE_LINKS: dict[str, tuple[Link, ...]] = {role: (MAP, RESIDENTS) for role in Role}
ROLE_LINKS.update({
    Role.WINDOW_CLERK: (QUEUE, RECTIFICATIONS, RESIDENTS, MAP),
    Role.REVIEWER: (QUEUE, RESIDENTS, MAP),
    Role.LEADER: (QUEUE, SUPERVISION, RECTIFICATIONS, INCIDENTS, MAP),
    Role.SUPERVISOR: (SUPERVISION, QUEUE, RECTIFICATIONS, INCIDENTS, MAP),  # 审管联动 is not theirs (policy)
    Role.GRID_LEADER: (INCIDENTS, MAP, RESIDENTS, IMPORT),
    Role.GRID_WORKER: (INCIDENTS, MAP, RESIDENTS, IMPORT),
    Role.DISPATCHER: (INCIDENTS, MAP, RESIDENTS),
    Role.INFO_OFFICER: (MAP, RESIDENTS, IMPORT),
    Role.VILLAGE_STAFF: (QUEUE, RESIDENTS, IMPORT, MAP),
    Role.ENFORCEMENT_OFFICER: (FOLLOW_UPS, ENTERPRISES, MAP),
    Role.ADMIN: (ADMIN, SUPERVISION, QUEUE, MAP, RESIDENTS, IMPORT),
})
# 一队执法 staff pages (docs/enforcement.md "Staff pages").
PENALTY_CASES = Link("enforcement:cases", _("Penalty cases"))
LEGAL_REVIEW = Link("enforcement:review_queue", _("Legal review queue"))
PENALTY_APPROVALS = Link("enforcement:approval_queue", _("Penalty approvals"))
ENFORCEMENT_OFFICERS = Link("enforcement:officers", _("Enforcement officers"))
POWER_LIST = Link("enforcement:powers", _("Power list"))
for _role, _extra in ((Role.ENFORCEMENT_OFFICER, (PENALTY_CASES, ENFORCEMENT_OFFICERS, POWER_LIST)),
                      (Role.LEGAL_REVIEWER, (LEGAL_REVIEW, PENALTY_CASES, POWER_LIST)),
                      (Role.LEADER, (PENALTY_APPROVALS, PENALTY_CASES)), (Role.SUPERVISOR, (PENALTY_CASES,)),
                      (Role.ADMIN, (PENALTY_CASES, ENFORCEMENT_OFFICERS, POWER_LIST))):
    ROLE_LINKS[_role] = (*_extra, *ROLE_LINKS[_role]) if _role in (Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER) \
        else (*ROLE_LINKS[_role], *_extra)
# 一网治理 积分 and indicators (docs/grid-scoring.md): a grid worker reads their own ledger, readers of a scope all.
GRID_POINTS = Link("grid_scoring:scores", _("Grid points"))
GRID_INDICATORS = Link("grid_scoring:indicators", _("Grid indicators"))
for _role, _extra in ((Role.GRID_WORKER, (GRID_POINTS,)), (Role.GRID_LEADER, (GRID_POINTS, GRID_INDICATORS)),
                      (Role.DISPATCHER, (GRID_INDICATORS, GRID_POINTS)), (Role.SUPERVISOR, (GRID_INDICATORS,)),
                      (Role.LEADER, (GRID_INDICATORS,)), (Role.ADMIN, (GRID_INDICATORS,))):
    ROLE_LINKS[_role] = (*ROLE_LINKS[_role], *_extra)
# 社会救助 (docs/assistance.md): civil affairs keep the files and review; village staff and grid workers file on the
# family's behalf and see their grid's files.
ASSISTANCE_FILES = Link("assistance:files", _("Household files"))
ASSISTANCE_APPLICATIONS = Link("assistance:applications", _("Assistance applications"))
ROLE_LINKS[Role.CIVIL_AFFAIRS] = (ASSISTANCE_APPLICATIONS, ASSISTANCE_FILES, RESIDENTS, MAP)
for _role in (Role.VILLAGE_STAFF, Role.GRID_WORKER):
    ROLE_LINKS[_role] = (*ROLE_LINKS[_role], ASSISTANCE_APPLICATIONS)
# 巡查记录 (docs/grid-mobile.md "Staff pages"): readers of a scope see its patrols.
GRID_PATROLS = Link("grid_patrols:patrols", _("Patrol records"))
for _role in (Role.GRID_LEADER, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADER):
    ROLE_LINKS[_role] = (*ROLE_LINKS[_role], GRID_PATROLS)
# The phone app a grid worker patrols with (/m/): found from the home page, not only by typing its address.
GRID_APP = Link("mobile:app", _("Grid app"))
ROLE_LINKS[Role.GRID_WORKER] = (GRID_APP, *ROLE_LINKS[Role.GRID_WORKER])


@dataclass(frozen=True)
class RoleCard:
    role: str
    label: str
    duty: Promise
    links: tuple[Link, ...]


def role_cards(roles: frozenset[str], *, is_admin_user: bool) -> list[RoleCard]:
    """One card per role held, in the order of the Role choices."""
    cards = []
    for role in Role:
        if role.value in roles:
            links = tuple(link for link in ROLE_LINKS[role] if is_admin_user or not link.admin_only)
            cards.append(RoleCard(role.value, str(role.label), ROLE_DUTIES[role], links))
    return cards


HOME = Link("web:home", _("Home"))
REPORT_PROBLEM = Link("grid_public:report", _("Report a problem"))
CITIZEN_LINKS = (HOME, Link("portal:index", _("My applications")), Link("public:guide", _("Service guide")),
                 Link("public:track", _("Track an application")), REPORT_PROBLEM)
ANONYMOUS_LINKS = (Link("web:login", _("Log in")), Link("public:guide", _("Service guide")),
                   Link("public:track", _("Track an application")), REPORT_PROBLEM)


def links_for(user: Any) -> list[Link]:
    """Every page this user may open from the menus (home first): what a 403 page offers instead."""
    if not getattr(user, "is_authenticated", False):
        return list(ANONYMOUS_LINKS)
    if getattr(user, "kind", "") != "staff":
        return list(CITIZEN_LINKS)
    links = [HOME]
    for card in role_cards(user.roles, is_admin_user=user.is_staff):
        links.extend(link for link in card.links if link not in links)
    return links


BASE_DATA = Link("registry:list", _("Base data"), slug="residents")
SERVICE_HALL = Link("services:queue", _("One-window service"))
GRID_GOVERNANCE = Link("grid:incidents", _("Grid governance"))
ENFORCEMENT = Link("enforcement:cases", _("Comprehensive enforcement"))
SOCIAL_ASSISTANCE = Link("assistance:applications", _("Social assistance"))
NAV_TOKENS = Link("accounts:tokens", _("API tokens"))
NAV_PASSWORD = Link("accounts:password", _("My password"))
# Roles that have a queue in the service hall (village staff: their village's proxy cases).


def nav_links(user: Any) -> list[Link]:
    """The top menu: only pages this user may open (a clerk is not offered 电子监察 to get a 403)."""
    if not getattr(user, "is_authenticated", False):
        return list(ANONYMOUS_LINKS)  # a visitor on the public guide finds the login, tracking and reporting
    if getattr(user, "kind", "") != "staff":
        return [HOME, *CITIZEN_LINKS[1:3], REPORT_PROBLEM, NAV_TOKENS, NAV_PASSWORD]
    links = [HOME, MAP, BASE_DATA]
    if may_open(user, "queue"):
        links.append(SERVICE_HALL)
    if may_open(user, "supervision"):
        links.append(SUPERVISION)
    if grid_policy.may_read(user):
        links.append(GRID_GOVERNANCE)
    if enforcement_policy.may_open(user, "cases"):
        links.append(ENFORCEMENT)
    if user.has_role(Role.CIVIL_AFFAIRS):  # their daily work: the applications, the files one click further
        links.append(SOCIAL_ASSISTANCE)
    if user.is_staff:
        links.append(ADMIN)
    return [*links, NAV_TOKENS, NAV_PASSWORD]
