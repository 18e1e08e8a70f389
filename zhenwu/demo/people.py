"""Demo departments and accounts: one login per role, grid staff for every grid, a citizen, a firm.

Demo accounts carry an e-mail address at DEMO_EMAIL_DOMAIN (a reserved ``.invalid`` name that
can never receive mail); that is how `--reset` and the upsert tell them from real accounts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import translation

from zhenwu.accounts.choices import DepartmentKind, Role, UserKind
from zhenwu.accounts.models import Department, StaffRole, User
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.demo import identity, names
from zhenwu.demo.tree import TownPlan
from zhenwu.errors import Conflict
from zhenwu.errors import gettext as _

DEMO_PASSWORD = "Zhenwu#2026"
DEMO_EMAIL_DOMAIN = "demo.zhenwu.invalid"

OFFICE, SQUAD, STATION = DepartmentKind.OFFICE, DepartmentKind.SQUAD, DepartmentKind.STATION
PARTY_OFFICE = "党政办公室"
SERVICE_CENTRE = "便民服务中心"
SOCIAL_AFFAIRS = "社会事业局"
ENFORCEMENT_BUREAU = "综合执法局"
ENFORCEMENT_SQUAD = "综合行政执法大队"
COMMAND_CENTRE = "社会治理现代化指挥中心"
TOWN_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    (PARTY_OFFICE, OFFICE), (SERVICE_CENTRE, OFFICE), (SOCIAL_AFFAIRS, OFFICE),
    ("经济发展局", OFFICE), ("农业农村局", OFFICE), (ENFORCEMENT_BUREAU, OFFICE),
    (ENFORCEMENT_SQUAD, SQUAD), (COMMAND_CENTRE, OFFICE), ("财政所", STATION),
    ("自然资源和规划所", STATION), ("市场监督管理分局", STATION),
)
COUNTY_DEPARTMENTS = (f"{names.COUNTY_NAME}行政审批局", f"{names.COUNTY_NAME}综合行政执法局")
VILLAGE_STATION = "{village}便民服务站"

# The printed logins: username, role, department, which area is the scope.
ROLE_ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("clerk", Role.WINDOW_CLERK, SERVICE_CENTRE, AreaLevel.TOWN),
    ("reviewer", Role.REVIEWER, SOCIAL_AFFAIRS, AreaLevel.TOWN),
    ("leader", Role.LEADER, PARTY_OFFICE, AreaLevel.TOWN),
    ("gridleader", Role.GRID_LEADER, COMMAND_CENTRE, AreaLevel.GRID1),
    ("gridworker", Role.GRID_WORKER, COMMAND_CENTRE, AreaLevel.GRID2),
    ("info", Role.INFO_OFFICER, COMMAND_CENTRE, AreaLevel.GRID2),
    ("officer", Role.ENFORCEMENT_OFFICER, ENFORCEMENT_SQUAD, AreaLevel.TOWN),
    ("legal", Role.LEGAL_REVIEWER, ENFORCEMENT_BUREAU, AreaLevel.TOWN),
    ("dispatcher", Role.DISPATCHER, COMMAND_CENTRE, AreaLevel.TOWN),
    ("supervisor", Role.SUPERVISOR, COMMAND_CENTRE, AreaLevel.TOWN),
    ("village", Role.VILLAGE_STAFF, VILLAGE_STATION, AreaLevel.VILLAGE),
    ("civil", Role.CIVIL_AFFAIRS, SOCIAL_AFFAIRS, AreaLevel.TOWN),
    ("admin", Role.ADMIN, PARTY_OFFICE, AreaLevel.TOWN),
)


@dataclass(frozen=True)
class DemoLogin:
    """One row of the demo logins table (and of demo_logins.json)."""

    username: str
    password: str
    role: str
    role_label: str
    scope: str
    mobile: str = ""  # the SMS login of citizens and enterprises needs it

    def as_json(self) -> dict[str, str]:
        return {"username": self.username, "password": self.password, "role": self.role,
                "role_label": self.role_label, "scope": self.scope, "mobile": self.mobile}


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def is_demo_user(user: User) -> bool:
    return user.email.endswith(f"@{DEMO_EMAIL_DOMAIN}")


def label_zh(label: Any) -> str:
    with translation.override("zh-hans"):
        return str(label)


def username_prefix(plan: TownPlan) -> str:
    """The first town's logins are plain (`clerk`); further towns' are prefixed (`t103_clerk`)."""
    return "" if plan.index == 0 else f"t{plan.number}_"


# --- departments --------------------------------------------------------------------------------

def department_upsert(*, area: Area, name: str, kind: str) -> Department:
    department, _created = Department.objects.update_or_create(area=area, name=name,
                                                               defaults={"kind": kind})
    return department


def write_county_departments(county: Area) -> list[Department]:
    return [department_upsert(area=county, name=n, kind=DepartmentKind.COUNTY) for n in COUNTY_DEPARTMENTS]


def write_town_departments(plan: TownPlan, areas: dict[str, Area]) -> dict[str, Department]:
    """The town's offices, squad and stations, and a service station in every village."""
    town = areas[plan.code]
    result = {n: department_upsert(area=town, name=n, kind=k) for n, k in TOWN_DEPARTMENTS}
    for village in plan.of_level(AreaLevel.VILLAGE):
        name = VILLAGE_STATION.format(village=village.name)
        result[name] = department_upsert(area=areas[village.code], name=name, kind=STATION)
    return result


# --- accounts -----------------------------------------------------------------------------------

@dataclass
class AccountWriter:
    """Upserts demo accounts of one town, all with one pre-computed password hash.

    Hashing once matters: the default PBKDF2 costs ~0.2 s per call, and a town has ~80 accounts.
    """

    plan: TownPlan
    areas: dict[str, Area]
    departments: dict[str, Department]
    rng: random.Random
    password_hash: str

    def staff(self, username: str, *, ordinal: int, roles: list[str], scope: Area,
              department: Department, **extra: Any) -> User:
        user = self.upsert(username, ordinal=ordinal, kind=UserKind.STAFF, scope_area=scope,
                           department=department, full_name=names.person_name(self.rng), **extra)
        StaffRole.objects.filter(user=user).exclude(role__in=roles).delete()
        have = set(StaffRole.objects.filter(user=user).values_list("role", flat=True))
        StaffRole.objects.bulk_create([StaffRole(user=user, role=r) for r in roles if r not in have])
        return user

    def upsert(self, username: str, *, ordinal: int, **fields: Any) -> User:
        """Create or update a demo account; `ordinal` (unique in the town) fixes its mobile number."""
        fields.setdefault("mobile", identity.mobile(town_number=self.plan.number, ordinal=ordinal))
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, email=demo_email(username))
        elif not is_demo_user(user):
            raise Conflict(_("User %(username)s exists and is not a demo account; rename or delete it "
                             "first.") % {"username": username}, field="username")
        for key, value in {**fields, "password": self.password_hash, "is_active": True}.items():
            setattr(user, key, value)
        user.save()
        return user


def _scope_of(plan: TownPlan, areas: dict[str, Area], level: str) -> Area:
    """The town, the seat village, its level-1 grid or that grid's first level-2 grid."""
    village = plan.seat_village
    codes: dict[str, str] = {AreaLevel.TOWN: plan.code, AreaLevel.VILLAGE: village,
                             AreaLevel.GRID1: f"{village}001", AreaLevel.GRID2: f"{village}001001"}
    return areas[codes[level]]


def write_role_accounts(writer: AccountWriter) -> list[DemoLogin]:
    """One account per staff role, scoped as ROLE_ACCOUNTS says; returns their logins."""
    plan, logins = writer.plan, []
    seat_name = plan.get(plan.seat_village).name
    for ordinal, (base, role, department, level) in enumerate(ROLE_ACCOUNTS, start=1):
        username = username_prefix(plan) + base
        scope = _scope_of(plan, writer.areas, level)
        is_admin = role == Role.ADMIN
        writer.staff(username, ordinal=ordinal, roles=[role], scope=scope, is_staff=is_admin,
                     is_superuser=is_admin,
                     department=writer.departments[department.format(village=seat_name)])
        logins.append(DemoLogin(username, DEMO_PASSWORD, role, label_zh(Role(role).label), scope.name))
    return logins


def write_grid_staff(writer: AccountWriter) -> int:
    """A grid leader for every level-1 grid and a grid worker for every level-2 grid.

    The grids already covered by the `gridleader` / `gridworker` logins are skipped, so each
    grid has exactly one. Usernames carry the grid code: gl321181102201001, gw321181102201001002.
    """
    seat = writer.plan.seat_village
    covered = {f"gl{seat}001", f"gw{seat}001001"}
    # Another seed may have chosen another seat village: drop its now redundant grid staff.
    User.objects.filter(username__in=covered, email__endswith=f"@{DEMO_EMAIL_DOMAIN}").delete()
    department = writer.departments[COMMAND_CENTRE]
    count = 0
    for level, prefix, role in ((AreaLevel.GRID1, "gl", Role.GRID_LEADER),
                                (AreaLevel.GRID2, "gw", Role.GRID_WORKER)):
        for grid in writer.plan.of_level(level):
            username = f"{prefix}{grid.code}"
            if username not in covered:
                writer.staff(username, ordinal=_grid_ordinal(grid.code), roles=[role],
                             scope=writer.areas[grid.code], department=department)
                count += 1
    return count


def _grid_ordinal(code: str) -> int:
    """2010 for the leader of village 201's level-1 grid, 2013 for the worker of its 3rd level-2 grid."""
    village, grid2 = int(code[9:12]), int(code[15:18] or 0)
    return village * 10 + grid2


def write_public_accounts(writer: AccountWriter) -> list[DemoLogin]:
    """One citizen and one enterprise (not town-scoped, so written once, with the first town)."""
    region = names.COUNTY_CODE
    first, rng, public = len(ROLE_ACCOUNTS) + 1, writer.rng, {"scope_area": None, "department": None}
    writer.upsert("citizen", ordinal=first, kind=UserKind.CITIZEN, full_name=names.person_name(rng),
                  id_number=identity.id_number(rng, region=region), **public)
    writer.upsert("enterprise", ordinal=first + 1, kind=UserKind.ENTERPRISE,
                  full_name=names.firm_name(rng, writer.plan.name),
                  uscc=identity.credit_code(rng, region=region), **public)
    return [DemoLogin(u, DEMO_PASSWORD, k, label_zh(UserKind(k).label), "")
            for u, k in (("citizen", UserKind.CITIZEN), ("enterprise", UserKind.ENTERPRISE))]


def password_hash() -> str:
    return make_password(DEMO_PASSWORD)
