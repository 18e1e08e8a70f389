"""简易程序: Art. 51's limits (201 yuan on a citizen is refused), Art. 68's cash limit, the officer's certificate
and recusal, a numbered decision, filing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from zhenwu.casework.models import Case
from zhenwu.enforcement.models import ConflictDeclaration, PenaltyCase
from zhenwu.enforcement.services.cases import Party, case_act, summary_decide
from zhenwu.errors import FieldError
from zhenwu.testing import GRID_A, VALID_ID, VALID_USCC

CITIZEN = Party("李明", id_number=VALID_ID)
SHOP = Party("丹阳市东山机械有限公司", uscc=VALID_USCC)


def decide(team, *, party=CITIZEN, officer=None, **extra):
    values: dict[str, Any] = {"penalty_kind": "fine", "fine": "200", "facts": "占道摆摊"}
    values.update(extra)
    return summary_decide(actor=(officer or team.a).user, power_code=team.power.code, party=party,
                          area_code=GRID_A, **values)


def test_a_fine_of_200_on_a_citizen_is_decided_numbered_and_filed(team):
    row = decide(team)
    assert row.decision_number.startswith("ZF-") and row.case.status == "decided"
    case_act(actor=team.a.user, number=row.case.number, action="file")
    assert Case.objects.get(pk=row.case.pk).status == "filed"


@pytest.mark.parametrize(("party", "fine", "ok"), [(CITIZEN, "201", False), (SHOP, "3000", True),
                                                   (SHOP, "3000.01", False)])
def test_article_51_limits(team, party, fine, ok):
    if ok:
        assert decide(team, party=party, fine=fine).fine == float(fine)
        return
    with pytest.raises(FieldError) as exc:
        decide(team, party=party, fine=fine)
    assert exc.value.field == "fine" and not Case.objects.exists()


def test_the_api_answers_400_on_the_fine_above_article_51(team, client: Client):
    client.force_login(team.a.user)
    body = {"power": team.power.code, "party": {"name": "李明", "id_number": VALID_ID}, "area_code": GRID_A,
            "facts": "占道摆摊", "penalty_kind": "fine", "fine": "201"}
    response = client.post("/api/v1/enforcement/cases/summary", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "fine"
    body["fine"] = "-3"
    assert client.post("/api/v1/enforcement/cases/summary", body,
                       content_type="application/json").json()["errors"][0]["field"] == "fine"


def test_cash_on_the_spot_only_up_to_100(team):
    assert decide(team, fine="100", cash_on_spot=True).cash_on_spot
    with pytest.raises(FieldError) as exc:
        decide(team, fine="150", cash_on_spot=True)
    assert exc.value.field == "cash_on_spot"


def test_only_a_warning_or_a_fine(team):
    with pytest.raises(FieldError) as exc:
        decide(team, penalty_kind="revocation", fine=None)
    assert exc.value.field == "penalty"


def test_an_officer_with_an_expired_certificate_cannot_act(team):
    with pytest.raises(FieldError) as exc:
        decide(team, officer=team.expired)
    assert exc.value.field == "actor" and not PenaltyCase.objects.exists()


def test_a_recused_officer_cannot_act(team):
    ConflictDeclaration.objects.create(officer=team.a, kind="relative", id_number=VALID_ID, party_name="李明")
    with pytest.raises(FieldError) as exc:
        decide(team)
    assert exc.value.field == "actor"
    assert decide(team, officer=team.b).party_id_number == VALID_ID


def test_an_invalid_id_number_is_refused(team):
    with pytest.raises(FieldError) as exc:
        decide(team, party=Party("李明", id_number="110105194912310021"))
    assert exc.value.field == "party.id_number"


def test_the_numbered_decision_form_is_a_chinese_pdf(team, client: Client):
    row = decide(team, fine="100", cash_on_spot=True)
    client.force_login(team.a.user)
    response = client.get(f"/api/v1/enforcement/cases/{row.case.number}/decision.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"STSong-Light" in response.content


def test_the_source_is_kept_and_an_unknown_one_refused(team):
    assert decide(team, source="hotline").source == "hotline"
    with pytest.raises(FieldError) as exc:
        decide(team, source="rumour")
    assert exc.value.field == "source"
