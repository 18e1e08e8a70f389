"""The staff pages of 一队执法: the case list, the forms, the case page's steps, the queues, officers, powers."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.casework.models import Case
from zhenwu.enforcement.models import ConflictDeclaration, PenaltyCase, PenaltyPower
from zhenwu.enforcement.services.cases import Party, case_act, general_open, summary_decide
from zhenwu.enforcement.tests import factories as f
from zhenwu.testing import GRID_A, VALID_USCC, make_staff

pytestmark = pytest.mark.django_db
ID = "11010519491231002X"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def summary(team: Any, fine: str = "50", name: str = "李明") -> PenaltyCase:
    return summary_decide(actor=team.a.user, power_code=team.power.code, party=Party(name, id_number=ID),
                          area_code=GRID_A, facts="占道经营", penalty_kind="fine", fine=fine)


def general(team: Any) -> PenaltyCase:
    return general_open(actor=team.a.user, power_code=team.power.code,
                        party=Party("丹阳市东山机械有限公司", uscc=VALID_USCC), area_code=GRID_A, facts="占用消防通道",
                        investigators=[team.a.pk, team.b.pk])


def status(number: str) -> str:
    return Case.objects.get(number=number).status


# ---------------------------------------------------------------- the list

def test_the_empty_list_says_so_and_offers_both_forms(team):
    page = login(team.a.user).get("/enforcement/cases/")
    text = page.content.decode()
    assert page.status_code == 200 and 'id="empty"' in text
    assert "/enforcement/cases/new/summary/" in text and "/enforcement/cases/new/general/" in text


def test_the_list_has_tabs_filters_and_the_clock(team):
    s = summary(team)
    g = general(team)
    case_act(actor=team.leader, number=g.case.number, action="approve_filing", fields={"opinion": "同意"})
    client = login(team.a.user)
    text = client.get("/enforcement/cases/").content.decode()
    assert s.case.number in text and g.case.number in text
    assert 'data-tab="investigating"' in text and "剩余 90 天" in text or "剩余 89 天" in text
    only_general = client.get("/enforcement/cases/?procedure=general").content.decode()
    assert g.case.number in only_general and s.case.number not in only_general
    by_status = client.get("/enforcement/cases/?status=investigating").content.decode()
    assert g.case.number in by_status and s.case.number not in by_status
    by_party = client.get("/enforcement/cases/?q=东山").content.decode()
    assert g.case.number in by_party and s.case.number not in by_party
    by_power = client.get(f"/enforcement/cases/?power={team.power.code}").content.decode()
    assert g.case.number in by_power
    assert s.case.number not in client.get("/enforcement/cases/?power=nosuch").content.decode()
    running = client.get("/enforcement/cases/?status=open").content.decode()
    assert g.case.number in running and s.case.number in running  # a summary case waits to be filed
    assert client.get("/enforcement/cases/?status=nosuch&procedure=bad").status_code == 200


def test_the_list_pages_by_25(team):
    for i in range(27):
        summary(team, name=f"当事人{i}")
    client = login(team.a.user)
    first = client.get("/enforcement/cases/").content.decode()
    assert first.count('data-number="') == 25 and "第 1 页，共 2 页" in first
    assert client.get("/enforcement/cases/?page=2").content.decode().count('data-number="') == 2


def test_tab_counts_stop_at_the_cap_and_say_so(team, monkeypatch):
    from zhenwu.enforcement import views_staff

    monkeypatch.setattr(views_staff, "COUNT_CAP", 2)
    for i in range(4):
        summary(team, name=f"当事人{i}")
    text = login(team.a.user).get("/enforcement/cases/").content.decode()
    assert '<span class="count">2+</span>' in text and "超过 2 件" in text
    assert text.count('data-number="') == 2  # pages reach as far as the counts: search to go further


def test_the_export_holds_every_row_of_the_filter(team):
    from openpyxl import load_workbook

    summary(team)
    general(team)
    response = login(team.a.user).get("/enforcement/cases/export.xlsx?procedure=summary")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert response.status_code == 200 and len(rows) == 2 and rows[0][0] == "案件编号"
    assert rows[1][1] == "简易程序"


def test_another_towns_officer_sees_nothing_and_the_case_is_404(team, town):
    from zhenwu.areas.models import Area

    s = summary(team)
    other = f.officer("zf_far", Area.objects.get(code="321181102202"))  # village B
    client = login(other.user)
    assert s.case.number not in client.get("/enforcement/cases/").content.decode()
    assert client.get(f"/enforcement/cases/{s.case.number}/").status_code == 404


def test_staff_without_a_case_role_get_403_and_citizens_404(team, personas):
    assert login(personas.town_staff).get("/enforcement/cases/").status_code == 403
    assert login(personas.citizen).get("/enforcement/cases/").status_code == 404


# ---------------------------------------------------------------- the forms

def form(team: Any, **extra: Any) -> dict[str, Any]:
    return {"power": team.power.code, "party_name": "李明", "id_number": ID, "uscc": "", "area_code": GRID_A,
            "facts": "占道经营", "source": "patrol", "penalty_kind": "fine", "fine": "50", **extra}


def test_a_summary_fine_above_the_limit_is_refused_on_its_field(team):
    page = login(team.a.user).post("/enforcement/cases/new/summary/", form(team, fine="201"))
    text = page.content.decode()
    assert page.status_code == 400 and "200" in text and "简易程序" in text
    assert 'value="201"' in text and not PenaltyCase.objects.exists()


@pytest.mark.parametrize(("extra", "field_text"), [
    ({"id_number": "123"}, "身份证"), ({"fine": "-5"}, "罚款"), ({"fine": "abc"}, "罚款"),
    ({"power": "nosuch"}, "处罚事项"), ({"party_name": ""}, "当事人"), ({"uscc": VALID_USCC}, "统一社会信用代码"),
])
def test_bad_summary_input_is_refused_in_chinese(team, extra, field_text):
    page = login(team.a.user).post("/enforcement/cases/new/summary/", form(team, **extra))
    assert page.status_code == 400 and 'class="errorlist' in page.content.decode()
    assert not PenaltyCase.objects.exists()


def test_a_summary_decision_goes_to_its_page_with_the_pdf(team):
    client = login(team.a.user)
    page = client.post("/enforcement/cases/new/summary/", form(team), follow=True)
    row = PenaltyCase.objects.get()
    text = page.content.decode()
    assert page.status_code == 200 and row.fine == Decimal("50") and f"/cases/{row.case.number}/decision.pdf" in text
    assert client.get(f"/api/v1/enforcement/cases/{row.case.number}/decision.pdf").status_code == 200


def test_the_general_form_offers_only_valid_officers_and_needs_two(team):
    client = login(team.a.user)
    page = client.get("/enforcement/cases/new/general/").content.decode()
    assert f'value="{team.expired.pk}" disabled' in page and f'value="{team.b.pk}"' in page
    one = client.post("/enforcement/cases/new/general/", {**form(team), "investigators": [team.a.pk]})
    assert one.status_code == 400 and "至少" in one.content.decode() and not PenaltyCase.objects.exists()
    expired = client.post("/enforcement/cases/new/general/", {**form(team), "investigators": [team.a.pk,
                                                                                              team.expired.pk]})
    assert expired.status_code == 400 and not PenaltyCase.objects.exists()
    ok = client.post("/enforcement/cases/new/general/", {**form(team), "investigators": [team.a.pk, team.b.pk]})
    row = PenaltyCase.objects.get()
    assert ok.status_code == 302 and status(row.case.number) == "registered"


def test_a_recused_investigator_is_refused_on_the_form(team):
    ConflictDeclaration.objects.create(officer=team.b, kind="relative", id_number=ID, party_name="李明")
    page = login(team.a.user).post("/enforcement/cases/new/general/",
                                   {**form(team), "investigators": [team.a.pk, team.b.pk]})
    assert page.status_code == 400 and "回避" in page.content.decode() and not PenaltyCase.objects.exists()


def test_only_officers_open_the_forms(team):
    assert login(team.leader).get("/enforcement/cases/new/summary/").status_code == 403
    assert login(team.legal).get("/enforcement/cases/new/general/").status_code == 403


# ---------------------------------------------------------------- the case page

def actions_on(client: Client, number: str) -> list[str]:
    import re

    return re.findall(r'data-action="([a-z_]+)"', client.get(f"/enforcement/cases/{number}/").content.decode())


def test_each_role_sees_only_its_steps(team):
    row = general(team)
    n = row.case.number
    assert actions_on(login(team.a.user), n) == []
    assert actions_on(login(team.leader), n) == ["approve_filing"]
    case_act(actor=team.leader, number=n, action="approve_filing", fields={"opinion": "同意"})
    assert set(actions_on(login(team.a.user), n)) == {"finish_investigation", "test", "publish"}
    assert set(actions_on(login(team.leader), n)) == {"extend", "drop"}
    assert actions_on(login(team.legal), n) == []


def test_a_step_with_a_missing_field_is_shown_again_with_the_message(team):
    row = general(team)
    page = login(team.leader).post(f"/enforcement/cases/{row.case.number}/act/approve_filing/", {"opinion": ""})
    assert page.status_code == 400 and "此项为必填项" in page.content.decode() or "必填" in page.content.decode()
    assert status(row.case.number) == "registered"


def test_a_step_not_offered_is_403_and_changes_nothing(team):
    row = general(team)
    page = login(team.a.user).post(f"/enforcement/cases/{row.case.number}/act/approve_filing/", {"opinion": "同意"})
    assert page.status_code == 403 and status(row.case.number) == "registered"


def test_a_stale_version_is_409(team):
    row = general(team)
    page = login(team.leader).post(f"/enforcement/cases/{row.case.number}/act/approve_filing/",
                                   {"opinion": "同意", "expected_version": "99"})
    assert page.status_code == 409 and status(row.case.number) == "registered"


def test_a_decision_before_the_statement_period_is_refused_on_its_field(team):
    row = general(team)
    n = row.case.number
    case_act(actor=team.leader, number=n, action="approve_filing", fields={"opinion": "同意"})
    case_act(actor=team.a.user, number=n, action="finish_investigation", fields={"report": "终结"})
    client = login(team.a.user)
    bad = client.post(f"/enforcement/cases/{n}/act/notify/", {"penalty": "fine", "fine": "-3", "band": "ordinary"})
    assert bad.status_code == 400 and status(n) == "reviewing"
    client.post(f"/enforcement/cases/{n}/act/notify/", {"penalty": "fine", "fine": "150", "band": "ordinary"})
    assert status(n) == "notice"
    leader = login(team.leader)
    early = leader.post(f"/enforcement/cases/{n}/act/decide/", {"penalty": "fine", "fine": "150", "band": "ordinary"})
    assert early.status_code == 400 and "陈述申辩" in early.content.decode() and status(n) == "notice"
    higher = leader.post(f"/enforcement/cases/{n}/act/decide/", {"penalty": "fine", "fine": "180", "band": "ordinary",
                                                                 "defence_waived": "1"})
    assert higher.status_code == 400 and status(n) == "notice"
    ok = leader.post(f"/enforcement/cases/{n}/act/decide/", {"penalty": "fine", "fine": "150", "band": "ordinary",
                                                             "defence_waived": "1"})
    assert ok.status_code == 302 and status(n) == "decided"


def test_the_extension_moves_the_clock(team):
    row = general(team)
    n = row.case.number
    case_act(actor=team.leader, number=n, action="approve_filing", fields={"opinion": "同意"})
    before = Case.objects.get(number=n).deadline_due_at
    page = login(team.leader).post(f"/enforcement/cases/{n}/act/extend/", {"days": "30", "reason": "案情复杂"})
    after = Case.objects.get(number=n).deadline_due_at
    assert page.status_code == 302 and before and after and (after - before).days == 30


def test_evidence_is_uploaded_and_listed_with_its_place(team, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = general(team)
    client = login(team.a.user)
    page = client.post(f"/enforcement/cases/{row.case.number}/evidence/",
                       {"file": SimpleUploadedFile("现场.png", f.PNG), "place": "东山村3组"}, follow=True)
    text = page.content.decode()
    assert "现场.png" in text and "东山村3组" in text
    refused = login(team.leader).post(f"/enforcement/cases/{row.case.number}/evidence/",
                                      {"file": SimpleUploadedFile("x.png", f.PNG)}, follow=True)
    assert "x.png" not in refused.content.decode().split('id="evidence"')[1].split("</table>")[0]


def test_the_timeline_names_each_step(team):
    row = general(team)
    case_act(actor=team.leader, number=row.case.number, action="approve_filing", fields={"opinion": "同意立案"})
    text = login(team.legal).get(f"/enforcement/cases/{row.case.number}/").content.decode()
    assert "立案审批" in text and "同意立案" in text and "→ 调查" in text


# ---------------------------------------------------------------- queues, officers, powers

def reviewed_case(team: Any) -> PenaltyCase:
    row = general(team)
    case_act(actor=team.leader, number=row.case.number, action="approve_filing", fields={"opinion": "同意"})
    case_act(actor=team.a.user, number=row.case.number, action="finish_investigation", fields={"report": "终结"})
    return row


def test_the_review_queue_holds_cases_awaiting_legal_review(team):
    row = reviewed_case(team)
    client = login(team.legal)
    assert row.case.number in client.get("/enforcement/review/").content.decode()
    case_act(actor=team.legal, number=row.case.number, action="legal_review", fields={"opinion": "合法"})
    assert 'id="empty"' in client.get("/enforcement/review/").content.decode()


def test_the_approval_queue_holds_filing_and_decisions(team):
    row = general(team)
    text = login(team.leader).get("/enforcement/approvals/").content.decode()
    assert 'id="section-registered"' in text and row.case.number in text


def test_officers_page_marks_expired_and_expiring_certificates(team, town):
    soon = f.officer("zf_soon", town.town, valid_until=datetime.date.today() + datetime.timedelta(days=10))
    ConflictDeclaration.objects.create(officer=team.a, kind="relative", id_number=ID, party_name="李明")
    text = login(team.leader).get("/enforcement/officers/").content.decode()
    assert f'data-officer="{team.expired.pk}"' in text and 'data-cert="expired"' in text
    assert f'data-officer="{soon.pk}"' in text and 'data-cert="expiring"' in text and "李明" in text
    assert ID not in text  # masked


def test_an_officer_declares_their_own_conflict_from_the_page(team):
    client = login(team.a.user)
    client.post("/enforcement/officers/conflicts/", {"officer": team.a.pk, "kind": "relative", "party_name": "李明",
                                                     "id_number": ID})
    assert ConflictDeclaration.objects.filter(officer=team.a).count() == 1
    client.post("/enforcement/officers/conflicts/", {"officer": team.b.pk, "kind": "relative", "party_name": "李明",
                                                     "id_number": ID})
    assert not ConflictDeclaration.objects.filter(officer=team.b).exists()  # not theirs: refused


def test_the_squads_page_lists_squads_of_the_scope(team, town):
    from zhenwu.enforcement.services.officers import squad_save

    admin = make_staff("zf_admin", roles=[Role.ADMIN], scope=town.town)
    squad_save(actor=admin, name="第一中队", area_code=town.town.code, grid_codes=[GRID_A])
    assert "第一中队" in login(team.a.user).get("/enforcement/squads/").content.decode()


def test_the_power_list_shows_versions(team):
    from zhenwu.enforcement.services.powers import power_write

    power_write(draft=f.draft(team.power.code, name="擅自占道摆摊"), created_by=team.legal)
    client = login(team.a.user)
    assert "擅自占道摆摊" in client.get("/enforcement/powers/?q=摆摊").content.decode()
    page = client.get(f"/enforcement/powers/{team.power.code}/").content.decode()
    assert 'id="version-2"' in page and 'id="version-1"' in page
    assert client.get("/enforcement/powers/nosuch/").status_code == 404


def test_the_import_checks_first_and_lists_every_bad_row(team):
    client = login(team.legal)
    bad = f.sheet([f.row(lo=300, hi=100), f.row("320000-CG-010", law="")])
    page = client.post("/enforcement/powers/import/", {"file": SimpleUploadedFile("p.xlsx", bad), "dry_run": "1"})
    text = page.content.decode()
    assert page.status_code == 400 and text.split('id="import-errors"')[1].count("<tr><td") >= 2
    good = f.sheet([f.row()])
    checked = client.post("/enforcement/powers/import/", {"file": SimpleUploadedFile("p.xlsx", good), "dry_run": "1"})
    assert checked.status_code == 200 and not PenaltyPower.objects.filter(code="320000-CG-009").exists()
    client.post("/enforcement/powers/import/", {"file": SimpleUploadedFile("p.xlsx", good)})
    assert PenaltyPower.objects.filter(code="320000-CG-009").exists()
    assert login(team.a.user).get("/enforcement/powers/import/").status_code == 403
