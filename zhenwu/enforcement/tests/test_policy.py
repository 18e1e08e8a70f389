"""The actions a case lists for a user are exactly those the service does not refuse for their role."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from zhenwu.enforcement import selectors
from zhenwu.enforcement.services.cases import Party, case_act, general_open
from zhenwu.errors import Forbidden
from zhenwu.testing import GRID_A, VALID_USCC

FIELDS: dict[str, dict[str, Any]] = {
    "test": {"reason": "送检"}, "publish": {"reason": "公告送达"}, "finish_investigation": {"report": "终结"},
    "drop": {"reason": "证据不足"}, "extend": {"days": 30, "reason": "案情复杂"}, "approve_filing": {"opinion": "同意"}}


class Undo(Exception):
    pass


def refused_for_role(user, number: str, action: str) -> bool:
    try:
        with transaction.atomic():
            case_act(actor=user, number=number, action=action, fields=FIELDS[action])
            raise Undo
    except Forbidden:
        return True
    except Undo:
        return False


@pytest.mark.parametrize("state", ["registered", "investigating"])
def test_listed_actions_are_exactly_the_allowed_ones(team, state):
    row = general_open(actor=team.a.user, power_code=team.power.code, party=Party("东山机械", uscc=VALID_USCC),
                       area_code=GRID_A, facts="占道", investigators=[team.a.pk, team.b.pk])
    if state == "investigating":
        case_act(actor=team.leader, number=row.case.number, action="approve_filing", fields={"opinion": "同意"})
    actions = [a for a in FIELDS if a != "approve_filing"] if state == "investigating" else ["approve_filing"]
    for user in (team.leader, team.a.user, team.legal):
        row.refresh_from_db()
        listed = set(selectors.case_actions(user=user, row=row))
        for action in actions:
            assert (action in listed) == (not refused_for_role(user, row.case.number, action)), (user, action)
