"""Helpers of the case-file tests: a general case moved to a step, records, PDF text."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.test import Client
from pypdf import PdfReader

from zhenwu.casework.models import Case
from zhenwu.enforcement.models import PenaltyCase
from zhenwu.enforcement.services.cases import Party, case_act, general_open
from zhenwu.enforcement.services.records import DiscussionInput, RecordInput, discussion_add
from zhenwu.testing import GRID_A, VALID_USCC

SHOP = Party("丹阳市东山机械有限公司", uscc=VALID_USCC)


def open_case(team: Any, investigators: list[Any] | None = None) -> PenaltyCase:
    ids = [o.pk for o in (investigators or [team.a, team.b])]
    return general_open(actor=team.a.user, power_code=team.power.code, party=SHOP, area_code=GRID_A,
                        facts="占用消防通道堆放物料", investigators=ids)


def act(user: Any, row: PenaltyCase, action: str, **fields: Any) -> PenaltyCase:
    return case_act(actor=user, number=row.case.number, action=action, fields=fields)


def status(row: PenaltyCase) -> str:
    return Case.objects.get(pk=row.case.pk).status


def fresh(row: PenaltyCase) -> PenaltyCase:
    return PenaltyCase.objects.select_related("case", "power_version").get(pk=row.pk)


def investigating(team: Any) -> PenaltyCase:
    row = open_case(team)
    act(team.leader, row, "approve_filing", opinion="同意立案")
    return row


def decided(team: Any, clock: Any, fine: str = "150") -> PenaltyCase:
    """A case decided with a fine of ``fine`` yuan in the ordinary band (not major), the notice waived."""
    row = investigating(team)
    act(team.a.user, row, "finish_investigation", report="事实清楚")
    act(team.a.user, row, "notify", penalty="fine", fine=fine, band="ordinary")
    return act(team.leader, row, "decide", penalty="fine", fine=fine, band="ordinary", defence_waived=True)


def served(team: Any, clock: Any, fine: str = "150") -> PenaltyCase:
    row = decided(team, clock, fine)
    return act(team.a.user, row, "serve", method="direct", served_on=clock.now.date().isoformat())


def record_input(team: Any, **extra: Any) -> RecordInput:
    values: dict[str, Any] = {"started_at": "2025-09-30T08:00", "ended_at": "2025-09-30T08:40",
                              "place": "东山村文化路1号", "person_name": "王强", "person_role": "representative",
                              "officers": [team.a.pk, team.b.pk], "officers_signed_on": "2025-09-30",
                              "person_signed_on": "2025-09-30"}
    values.update(extra)
    return RecordInput(**values)


def discuss(team: Any, row: PenaltyCase) -> None:
    discussion_add(actor=team.leader, number=row.case.number, data=DiscussionInput(
        held_at="2025-09-30T09:00", place="队部会议室", chair="zf_leader", participants=["甲", "乙", "丙"],
        opinions="同意处罚", conclusion="按事先告知处罚"))


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join((page.extract_text() or "") for page in reader.pages).replace(" ", "").replace("\n", "")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def noticed_major(team: Any, clock: Any) -> PenaltyCase:
    """A major case (1,500 yuan with the tests' threshold of 1,000): reviewed by the legal reviewer, noticed,
    the statement period over."""
    row = investigating(team)
    act(team.a.user, row, "finish_investigation", report="事实清楚")
    act(team.legal, row, "legal_review", opinion="同意")
    act(team.a.user, row, "notify", penalty="fine", fine="1500", band="grave")
    clock.advance(days=20)  # past the 3 working days (the National Day week)
    return row


def on_instalments(team: Any, row: Any, today: datetime.date, first: int, second: int) -> tuple[datetime.date,
                                                                                             datetime.date]:
    """分期缴纳 requested and approved: 100 yuan due ``first`` days from ``today``, 50 yuan ``second`` days."""
    days = today + datetime.timedelta(days=first), today + datetime.timedelta(days=second)
    act(team.a.user, row, "request_payment_plan", kind="instalments", reason="经营困难",
        instalments=[{"due_on": days[0].isoformat(), "amount": "100"}, {"due_on": days[1].isoformat(), "amount": "50"}])
    act(team.leader, row, "approve_payment_plan", opinion="同意分两期")
    return days
