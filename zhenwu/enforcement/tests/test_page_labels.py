"""What an officer reads on the case list and a case's page: one 处罚事项 filter (a box matching a power's code
or name, ?power=<code> still working), certificate numbers named as 执法证号, and the evidence place laid out as
the other fields are (its label above its box)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from zhenwu.enforcement.services.cases import Party, case_act, general_open, summary_decide
from zhenwu.enforcement.tests import factories as f
from zhenwu.testing import GRID_A, VALID_USCC

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def filters(html: str) -> str:
    return html.split('<form class="queue-filters"', 1)[1].split("</form>", 1)[0]


def test_the_power_filter_is_one_box_matching_code_or_name(team):
    other = f.power("320000-CG-0010", name="未按规定分类投放生活垃圾")
    road = summary_decide(actor=team.a.user, power_code=team.power.code, party=Party("李明", id_number=ID),
                          area_code=GRID_A, facts="占道经营", penalty_kind="fine", fine="50")
    rubbish = summary_decide(actor=team.a.user, power_code=other.code, party=Party("王芳", id_number=ID),
                             area_code=GRID_A, facts="乱扔垃圾", penalty_kind="warning")
    client = login(team.a.user)
    form = filters(client.get("/enforcement/cases/").content.decode())
    assert len(re.findall(r'name="power"', form)) == 1 and "<select name=\"power\"" not in form
    assert re.search(r'<input type="search" name="power"[^>]*list="power-choices"', form)

    def shown(query: str) -> set[str]:
        text = client.get(f"/enforcement/cases/?{query}").content.decode()
        return {n for n in (road.case.number, rubbish.case.number) if n in text}

    # a whole code is that power alone, though it is the start of another's code
    assert shown(f"power={team.power.code}") == {road.case.number}
    assert shown("power=分类投放") == {rubbish.case.number}
    assert shown("power=CG-001") == {road.case.number, rubbish.case.number}
    assert shown("power=nosuch") == set()
    kept = filters(client.get("/enforcement/cases/?power=分类投放").content.decode())
    assert 'value="分类投放"' in kept


def test_investigators_show_their_certificate_as_such_and_the_evidence_place_is_a_field(team):
    row = general_open(actor=team.a.user, power_code=team.power.code,
                       party=Party("丹阳市东山机械有限公司", uscc=VALID_USCC), area_code=GRID_A, facts="占用消防通道",
                       investigators=[team.a.pk, team.b.pk])
    case_act(actor=team.leader, number=row.case.number, action="approve_filing", fields={"opinion": "同意"})
    html = login(team.a.user).get(f"/enforcement/cases/{row.case.number}/").content.decode()
    names = html.split('id="investigator-names">', 1)[1].split("</dd>", 1)[0]
    for officer in (team.a, team.b):
        assert f"执法证号 {officer.certificate_number}" in names
    place = html.split('id="evidence-form"', 1)[1].split("</form>", 1)[0]
    assert re.search(r'<div class="field field-place"><label for="evidence-place">取证地点</label>\s*'
                     r'<input type="text" id="evidence-place"', place)
    css = login(team.a.user).get("/static/enforcement/staff.css")
    body = b"".join(css.streaming_content if css.streaming else [css.content]).decode()  # type: ignore[attr-defined]
    assert ".evidence-form .field > label { display: block;" in body
