"""Officers, squads and declared conflicts: who may record them, and what is checked."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.enforcement.models import ConflictDeclaration
from zhenwu.enforcement.services.officers import officer_register, squad_save
from zhenwu.errors import FieldError, Forbidden
from zhenwu.testing import GRID_A, GRID_B, VALID_ID, VALID_USCC, VILLAGE_A, make_staff


def test_a_leader_registers_an_officer_in_a_squad(team, town):
    squad = squad_save(actor=team.leader, name="东山中队", area_code=VILLAGE_A, grid_codes=[GRID_A])
    user = make_staff("new_officer", roles=[], scope=town.town)
    officer = officer_register(actor=team.leader, user=user, certificate_number="32000199",
                               valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2028, 1, 1), squad=squad)
    assert officer.area_code == VILLAGE_A and user.has_role(Role.ENFORCEMENT_OFFICER)
    with pytest.raises(FieldError) as exc:
        squad_save(actor=team.leader, name="东山中队", area_code=VILLAGE_A, grid_codes=[GRID_B])
    assert exc.value.field == "grids"


def test_an_officer_cannot_register_officers(team, town):
    with pytest.raises(Forbidden):
        officer_register(actor=team.a.user, user=team.b.user, certificate_number="1",
                         valid_from=datetime.date(2025, 1, 1), valid_until=datetime.date(2028, 1, 1))


def test_an_officer_declares_a_conflict_checked_by_stdnum(team):
    client = Client()
    client.force_login(team.a.user)
    url = f"/api/v1/enforcement/officers/{team.a.pk}/conflicts"
    bad = client.post(url, {"kind": "relative", "party_name": "李明", "id_number": "110105194912310021"},
                      content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "id_number"
    ok = client.post(url, {"kind": "shareholding", "party_name": "东山机械", "uscc": VALID_USCC},
                     content_type="application/json")
    assert ok.status_code == 201
    other = client.post(f"/api/v1/enforcement/officers/{team.b.pk}/conflicts",
                        {"kind": "relative", "party_name": "李明", "id_number": VALID_ID},
                        content_type="application/json")
    assert other.status_code == 403 and ConflictDeclaration.objects.count() == 1
