"""Factories of the enforcement tests: a power, an officer, a sheet."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from zhenwu.accounts.choices import Role
from zhenwu.areas.models import Area
from zhenwu.enforcement.choices import BandLevel, OriginDepartment, Parties
from zhenwu.enforcement.models import Officer, PenaltyPower
from zhenwu.enforcement.services.io import COLUMNS
from zhenwu.enforcement.services.powers import BandDraft, PowerDraft, power_write
from zhenwu.testing import PNG as PNG  # the tests use factories.PNG
from zhenwu.testing import make_staff


def draft(code: str = "320000-CG-001", **extra: Any) -> PowerDraft:
    bands = extra.pop("bands", None) or [
        BandDraft(BandLevel.MINOR, "初次违法，及时改正", Decimal(0), Decimal(50), "警告"),
        BandDraft(BandLevel.ORDINARY, "情节一般", Decimal(50), Decimal(200)),
        BandDraft(BandLevel.SERIOUS, "逾期不改正", Decimal(200), Decimal(1000)),
        BandDraft(BandLevel.GRAVE, "多次违法", Decimal(1000), Decimal(2000))]
    values: dict[str, Any] = {"name": "擅自占用城市道路摆摊设点", "department": OriginDepartment.URBAN,
                              "law": "城市道路管理条例", "article": "第四十二条", "clause": "第一款",
                              "parties": Parties.BOTH, "bands": bands,
                              "responsibilities": [("调查责任", "未依法回避的")]}
    values.update(extra)
    return PowerDraft(code, **values)


def power(code: str = "320000-CG-001", **extra: Any) -> PenaltyPower:
    p, _changed = power_write(draft=draft(code, **extra), created_by=None)
    return p


def officer(username: str, area: Area, *, valid_until: datetime.date | None = None,
            roles: list[str] | None = None) -> Officer:
    user = make_staff(username, roles=roles or [Role.ENFORCEMENT_OFFICER], scope=area, full_name=username)
    return Officer.objects.create(user=user, certificate_number=f"32000{user.pk:06d}",
                                  certificate_valid_from=datetime.date(2024, 1, 1),
                                  certificate_valid_until=valid_until or datetime.date(2030, 12, 31),
                                  area_code=area.code)


def sheet(rows: list[list[Any]], *, title: str | None = "徐霞客镇权责清单（2026年）") -> bytes:
    book = Workbook()
    ws = book.active
    if title:
        ws.append([title])
    ws.append([c.header for c in COLUMNS])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(code: str = "320000-CG-009", level: str = "一般", lo: Any = 50, hi: Any = 200, **extra: Any) -> list[Any]:
    values = {"name": "在城市道路上乱倒垃圾", "department": "城管", "law": "城市市容和环境卫生管理条例",
              "article": "第三十四条", "clause": "", "parties": "公民、法人和其他组织", "conditions": "情节一般",
              "other": "", "duty": "", "acc": ""}
    values.update(extra)
    return [code, values["name"], values["department"], values["law"], values["article"], values["clause"],
            values["parties"], level, values["conditions"], lo, hi, values["other"], values["duty"], values["acc"]]


def penalty_case(town: Any, *, area_code: str = "321181102201001001") -> Any:
    """A general-procedure case asking for 立案 in ``area_code``, by two fresh officers of the town."""
    from zhenwu.enforcement.services.cases import Party, general_open
    from zhenwu.testing import VALID_USCC

    a, b = officer("zf_world_a", town.town), officer("zf_world_b", town.town)
    p = PenaltyPower.objects.filter(code="320000-CG-001").first() or power()
    return general_open(actor=a.user, power_code=p.code, party=Party("丹阳市东山机械有限公司", uscc=VALID_USCC),
                        area_code=area_code, facts="占道经营", investigators=[a.pk, b.pk])




def decision_published(penalty: Any) -> Any:
    """``penalty`` as if decided and published (the row written directly: the flow has its own tests)."""
    from django.utils import timezone

    from zhenwu.enforcement.models import DecisionPublication

    return DecisionPublication.objects.create(
        penalty=penalty, area_code=penalty.case.area_code, status="published", due_on=datetime.date(2025, 1, 10),
        decided_on=datetime.date(2025, 1, 1), decision_number=f"{penalty.case.number}-决",
        party_shown="丹阳市东山机械有限公司",
        power_code=penalty.power_version.power.code, power_name=penalty.power_version.name,
        basis=penalty.power_version.basis, penalty_kind="fine", fine=Decimal(150), published_at=timezone.now())


def published_and_followup(penalty: Any, case: Any) -> tuple[Any, Any]:
    """For the scope matrix: ``penalty`` as if decided and published, and a 审管联动 task on ``case`` routed to
    its first investigator (rows written directly: the flows have their own tests)."""
    from zhenwu.enforcement.models import SupervisionFollowUp

    officer = penalty.investigators.order_by("pk").first()
    return (decision_published(penalty),
            SupervisionFollowUp.objects.create(case=case, officer=officer, party_name="丹阳市东山机械有限公司"))


def inspection_plan(town: Any, *, status: str = "published") -> Any:
    """A random-inspection plan of the town in ``status`` (its frozen inputs minimal but well-formed)."""
    from zhenwu.enforcement import draw
    from zhenwu.enforcement.models_inspection import InspectionPlan

    inputs = {"format": draw.FORMAT, "plan": {"number": "SJ-321181102-2025-900", "items": [], "filter": {},
                                              "ratio": "5.00", "flagged_ratio": "10.00", "inspectors_per_target": 2},
              "candidates": {"flagged": [], "ordinary": [1]}, "inspectors": [1, 2], "recusals": [],
              "draw_date": "2025-10-09", "beacon_source": "福彩双色球"}
    plan = InspectionPlan.objects.create(
        number="SJ-321181102-2025-900", title="门前三包双随机抽查", area_code=town.town.code, ratio=5,
        flagged_ratio=10, status=status, draw_inputs=inputs, announcement_hash=draw.announcement_hash(inputs),
        draw_date=datetime.date(2025, 10, 9), beacon_source="福彩双色球", beacon_value="1", seed="00")
    plan.targets.create(position=1, enterprise_key=1, name="丹湖机械有限公司", uscc="91350100M000100Y43",
                        area_code=town.grid_a.code, inspector_ids=[1, 2])
    return plan
