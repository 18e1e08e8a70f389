"""What a clerk reads on a file's and an application's page: Chinese labels (never the stored codes), each
column's control under its own header, amount headers that say what the amount is, and an application's steps
laid out so the next one is the primary button and the ones that end the case stand apart with their reason."""

from __future__ import annotations

import re

import pytest

from zhenwu.assistance.services.files import file_for_household, file_status_change, income_add
from zhenwu.registry.tests.factories import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(people, family):
    row = file_for_household(household=family.home, actor=None)
    file_status_change(actor=people.civil, file_id=row.pk, status="dibao", reason="镇民政办审核确认")
    income_add(actor=people.civil, file_id=row.pk, source="wages", monthly_amount="370", member_id=family.head.pk)
    return row


def section(html: str, ident: str) -> str:
    return html.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def test_the_status_history_names_the_categories_in_chinese(people, file):
    history = section(client_for(people.civil).get(f"/assistance/files/{file.pk}/").content.decode(), "history")
    assert "未纳入救助 → 最低生活保障" in history and "镇民政办审核确认" in history
    assert "none" not in history and "dibao" not in history


def test_each_member_control_sits_in_its_own_column_under_its_header(people, file):
    members = section(client_for(people.civil).get(f"/assistance/files/{file.pk}/").content.decode(), "members")
    headers = re.findall(r"<th>(.*?)</th>", members)
    assert headers[:7] == ["姓名", "身份证号", "与户主关系", "残疾等级", "劳动能力", "就学", "健康状况"]
    row = members.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert "colspan" not in row and row.count("<td") == len(headers)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    for cell, name in zip(cells[3:7], ["disability_grade", "work_capacity", "schooling", "health"], strict=True):
        assert f'name="{name}"' in cell
    found = re.search(r'<form [^>]*id="(member-\d+)"', cells[7])  # the save button's own cell
    assert found is not None
    form_id = found.group(1)
    assert members.count(f'form="{form_id}"') == 4


def test_without_the_edit_right_the_members_read_in_chinese(people, file, monkeypatch):
    from zhenwu.assistance import policy

    may = policy.may
    monkeypatch.setattr(policy, "may", lambda user, action, **kw: action != "file_edit" and may(user, action, **kw))
    page = client_for(people.civil).get(f"/assistance/files/{file.pk}/")
    assert page.status_code == 200
    members = section(page.content.decode(), "members")
    assert "<select" not in members
    assert "有劳动能力" in members and "未在学" in members and "健康" in members
    for code in (">full<", ">none<", ">healthy<"):
        assert code not in members


def test_the_income_table_heads_its_amount_as_income_not_assistance(people, file):
    html = client_for(people.civil).get(f"/assistance/files/{file.pk}/").content.decode()
    incomes = section(html, "incomes")
    assert "月收入金额（元）" in incomes and "月救助金额" not in incomes
    assert "财产价值（元）" in section(html, "assets") and "年支出金额（元）" in section(html, "expenditures")


def test_the_application_page_makes_accepting_primary_and_sets_the_refusals_apart(people, family, file):
    filed = client_for(people.worker_a).post("/api/v1/assistance/applications", {
        "kind": "temporary", "applicant_id": family.head.pk, "reason": "大额医疗费用", "channel": "proxy",
        "consent_method": "signed", "consent_by": "张建国"}, content_type="application/json")
    number = filed.json()["number"]
    html = client_for(people.civil).get(f"/assistance/applications/{number}/").content.decode()
    actions = section(html, "actions")
    forms = {m.group(1): m.group(0) for m in re.finditer(
        r'<form [^>]*data-action="(\w+)".*?</form>', actions, re.S)}
    assert set(forms) == {"accept", "reject", "withdraw"}
    assert '<button type="submit" class="primary">受理</button>' in forms["accept"]
    assert "f_reason" not in forms["accept"]  # the reason belongs to 不予受理 and 撤回申请, inside their own forms
    for key, label in (("reject", "不予受理"), ("withdraw", "撤回申请")):
        assert 'name="f_reason"' in forms[key] and f'class="danger" data-destructive>{label}</button>' in forms[key]
    zone = actions.split('<details class="danger-zone"', 1)[1]
    assert 'data-action="reject"' in zone and 'data-action="withdraw"' in zone and 'data-action="accept"' not in zone
    assert "终止办件（不予受理、撤回申请）" in zone
