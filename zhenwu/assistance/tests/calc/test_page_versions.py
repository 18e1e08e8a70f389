"""The rule set's version as a clerk reads it: 第 1 版 (never "v1"), on the rules page, the grants list and a
grant's page; the grants list heads its columns with what they hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from zhenwu.assistance.services.grants import grant_open

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_rules_and_grants_name_the_version_in_chinese(civil, dibao_home):
    grant = grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    c = client(civil.town_officer)
    for url in ("/assistance/rules/", "/assistance/grants/", f"/assistance/grants/{grant.pk}/",
                f"/assistance/rules/{civil.rules.pk}/"):
        html = c.get(url).content.decode()
        assert f"第 {civil.rules.version} 版" in html, url
        assert f">v{civil.rules.version}<" not in html and f" v{civil.rules.version}" not in html, url
    grants = c.get("/assistance/grants/").content.decode().split('id="grants"', 1)[1].split("</thead>", 1)[0]
    assert "<th>救助金编号</th>" in grants and "<th>救助规则</th>" in grants and "积分规则" not in grants


def test_the_check_before_publishing_names_each_grants_kind_in_chinese(civil, dibao_home):
    grant_open(actor=civil.town_officer, file=dibao_home, kind="dibao", start=dt.date(2026, 3, 1))
    c = client(civil.town_officer)
    form = dict(c.get("/assistance/rules/").context["form"])
    check = c.post("/assistance/rules/", {**form, "local_standard": "1300", "action": "check"})
    preview = check.content.decode().split('id="preview"', 1)[1].split("</table>", 1)[0]
    assert dibao_home.household.number in preview
    assert "<td>最低生活保障（低保）</td>" in preview and "<td>dibao</td>" not in preview


def test_an_error_path_reads_as_the_forms_words():
    from zhenwu.assistance.views_calc import error_label

    assert error_label("categories.dibao.tiers[1].upper") == "类别 · 最低生活保障（低保） · 分档 · 第 2 档 · 上限（元）"
    assert "local_standard" not in error_label("local_standard")
    assert "medical" not in error_label("item_caps.medical") and error_label(None) == ""
