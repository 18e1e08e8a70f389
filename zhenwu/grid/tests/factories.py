"""Test helpers of 一网治理: categories, a dispatcher and handlers, photos, and an incident reported
through the service (for the other grid helpers' tests too)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from PIL import Image

from zhenwu.accounts.choices import DepartmentKind, Role
from zhenwu.accounts.models import Department, User
from zhenwu.grid.category_data import MAJORS, MINORS
from zhenwu.grid.models import Category, Incident
from zhenwu.grid.services.categories import categories_load
from zhenwu.grid.services.incidents import incident_report
from zhenwu.testing import TestTown, make_staff

# A few categories of each kind: self-closable (E0101 暴露垃圾, 24 h), not (E0106 私搭乱建, 5 working days),
# critical (P0101 井盖缺失破损, 4 h), a component (P0201 路灯不亮, 48 h).
SAMPLE = ("E0101", "E0106", "P0101", "P0201", "E0501")
# Points inside the test town's grids (zhenwu.testing: grid A west of 119.55, grid B east of it).
POINT_A = (119.52, 31.95)
POINT_B = (119.57, 31.95)
OUTSIDE = (119.70, 31.95)  # in the county, outside the town


def make_categories(codes: tuple[str, ...] | None = SAMPLE) -> dict[str, Category]:
    """Load the built-in categories named by ``codes`` (None: all of them); code → minor category."""
    minors = [m for m in MINORS if codes is None or m.code in codes]
    majors = [m for m in MAJORS if any(n.code.startswith(m.code) for n in minors)]
    return {c.code: c for c in categories_load(majors=majors, minors=minors)}


def jpeg(colour: str = "red", size: tuple[int, int] = (32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@dataclass
class GridStaff:
    dispatcher: User  # 指挥中心: the town
    squad: Department  # 城管中队 (a squad of the town)
    department: Department  # 镇环卫所 (the handling department of E0101 in SAMPLE)
    handler: User  # a member of the squad
    village_leader: User  # 东山村 (village A) grid leader


def build_grid_staff(town: TestTown) -> GridStaff:
    squad = Department.objects.create(name="城管一中队", kind=DepartmentKind.SQUAD, area=town.town)
    department = Department.objects.create(name="镇环卫所", kind=DepartmentKind.STATION, area=town.town)
    dispatcher = make_staff("dispatcher", roles=[Role.DISPATCHER], scope=town.town, mobile="13900000001")
    handler = make_staff("handler", roles=[Role.ENFORCEMENT_OFFICER], scope=town.town, department=squad,
                         mobile="13900000002")
    village_leader = make_staff("village_leader", roles=[Role.GRID_LEADER], scope=town.village_a,
                                mobile="13900000003")
    return GridStaff(dispatcher, squad, department, handler, village_leader)


def report(actor: User | None, *, category: str = "E0101", point: tuple[float, float] = POINT_A,
           **extra: Any) -> Incident:
    """An incident reported through ``incident_report`` with one photo (defaults: 暴露垃圾 in grid A)."""
    args: dict[str, Any] = {"actor": actor, "category": category, "lng": point[0], "lat": point[1],
                            "description": "路边有一堆生活垃圾", "source": "patrol", "photos": [("a.jpg", jpeg())]}
    args.update(extra)
    return incident_report(**args)
