"""What each role does, and which of today's pages it uses: the cards of the staff home page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role


@dataclass(frozen=True)
class Link:
    url_name: str
    label: Promise
    admin_only: bool = False
    slug: str = ""


MAP = Link("areas:map", _("Grid map"))
ADMIN = Link("admin:index", _("Administration"), admin_only=True)
TOKENS = Link("accounts:tokens", _("API tokens"))
RESIDENTS = Link("registry:list", _("Residents"), slug="residents")
ENTERPRISES = Link("registry:list", _("Enterprises"), slug="enterprises")
IMPORT = Link("registry:import", _("Import base data"))

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
    Role.ADMIN: _("Manages areas, departments, staff, roles and the working-day calendar."),
}

ROLE_LINKS: dict[str, tuple[Link, ...]] = {role: (MAP, RESIDENTS) for role in Role}
ROLE_LINKS.update({
    Role.GRID_LEADER: (MAP, RESIDENTS, IMPORT),
    Role.GRID_WORKER: (MAP, RESIDENTS, IMPORT),
    Role.INFO_OFFICER: (MAP, RESIDENTS, IMPORT),
    Role.VILLAGE_STAFF: (RESIDENTS, IMPORT, MAP),
    Role.ENFORCEMENT_OFFICER: (ENTERPRISES, MAP),
    Role.ADMIN: (ADMIN, MAP, RESIDENTS, IMPORT),
})


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
