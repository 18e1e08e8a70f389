"""催告书 (issued by ``demand``) and 强制执行申请书 (issued by ``apply_court``): numbered per kind and year without
gaps, drawn with the amounts owed on their day, listed, downloadable and filed in the archive in order."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from zhenwu.enforcement.models import CaseDocument, DocumentCounter
from zhenwu.enforcement.services.payments import court_window
from zhenwu.enforcement.tests.case_file import act, client_for, fresh, pdf_text, served, status
from zhenwu.errors import FieldError


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def demanded(team, clock, fine: str = "150"):
    """Served on 30 September 2025 (due 15 October), demanded on 20 October: 5 days late."""
    row = served(team, clock, fine=fine)
    clock.advance(days=20)
    return act(team.a.user, row, "demand", served_on=clock.now.date().isoformat())


def to_court(team, clock, row):
    first, _last = court_window(fresh(row))
    clock.now = clock.now + datetime.timedelta(days=(first - clock.now.date()).days)
    return act(team.leader, row, "apply_court", court="江阴市人民法院")


def test_the_demand_is_a_numbered_document_with_the_late_fee_to_its_day(team, clock):
    row = demanded(team, clock)
    doc = CaseDocument.objects.get(penalty_case=row, kind="demand")
    assert doc.number == "综执催字〔2025〕第1号"
    client = client_for(team.a.user)
    base = f"/api/v1/enforcement/cases/{row.case.number}"
    listed = {d["kind"]: d for d in client.get(f"{base}/documents").json()}
    assert listed["demand"]["number"] == doc.number and listed["demand"]["url"].endswith("/documents/demand.pdf")
    assert listed["demand"]["kind_label"] == "催告书"
    response = client.get(f"{base}/documents/demand.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    decision = fresh(row).decision_number
    for expected in ("催告书", doc.number, "丹阳市东山机械有限公司", decision, "2025-09-30", "罚款150.00元",
                     "2025-10-15", "未缴金额：150.00元", "截至2025-10-20为22.50元", "应缴合计：172.50元",
                     "10日内（2025-10-30前）", "第五十四条", "陈述和申辩"):
        assert expected in text, expected
    assert "不计算天数" not in text  # no reconsideration or lawsuit
    assert client.get(f"{base}/documents/court.pdf").status_code == 404  # not applied yet


def test_the_application_to_the_court_names_the_court_the_decision_the_demand_and_the_unpaid(team, clock):
    row = demanded(team, clock)
    row = to_court(team, clock, row)
    assert status(row) == "enforcing"
    doc = CaseDocument.objects.get(penalty_case=row, kind="court")
    assert doc.number == "综执执申字〔2026〕第1号"  # applied on 31 March 2026: the year's own sequence
    client = client_for(team.leader)
    base = f"/api/v1/enforcement/cases/{row.case.number}"
    assert "court" in [d["kind"] for d in client.get(f"{base}/documents").json()]
    text = pdf_text(client.get(f"{base}/documents/court.pdf").content)
    demand_number = CaseDocument.objects.get(penalty_case=row, kind="demand").number
    for expected in ("强制执行申请书", doc.number, "人民法院：江阴市人民法院", "被申请人：丹阳市东山机械有限公司",
                     fresh(row).decision_number, "2025-09-30", "未申请行政复议", "2025-10-20", demand_number,
                     "2025-10-30届满", "未缴金额：150.00元", "截至2026-03-31为150.00元", "应缴合计：300.00元",
                     "第五十三条至第五十五条", "行政机关负责人（签名）"):
        assert expected in text, expected


def test_numbers_of_the_two_kinds_run_per_kind_without_gaps(team, clock):
    first = demanded(team, clock)
    second = served(team, clock)  # served on 20 October: its demand may come only after 4 November
    with pytest.raises(FieldError):
        act(team.a.user, second, "demand", served_on=clock.now.date().isoformat())
    assert status(second) == "served" and not CaseDocument.objects.filter(penalty_case=second).filter(
        kind="demand").exists()
    clock.advance(days=16)
    act(team.a.user, second, "demand", served_on=clock.now.date().isoformat())
    numbers = list(CaseDocument.objects.filter(kind="demand").order_by("seq").values_list("seq", "penalty_case"))
    assert numbers == [(1, first.pk), (2, second.pk)]
    assert DocumentCounter.objects.get(kind="demand", year=2025).last == 2


def test_the_archive_files_the_demand_and_the_application_in_order(team, clock):
    row = to_court(team, clock, demanded(team, clock))
    act(team.leader, row, "close", report="法院裁定准予执行，已执行完毕")
    response = client_for(team.a.user).get(f"/api/v1/enforcement/cases/{row.case.number}/archive.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    names = [n for n in archive.namelist() if n[:2].isdigit() and not n.startswith("00-")]
    titles = [n[3:].split("-")[0] for n in names]
    assert titles == ["立案审批表", "行政处罚事先告知书", "行政处罚决定书", "送达回证", "催告书", "强制执行申请书",
                      "结案报告", "全过程记录.json"], titles
    demand = next(n for n in names if "催告书" in n)
    assert "应缴合计：172.50元" in pdf_text(archive.read(demand))
    index = pdf_text(archive.read("00-卷内目录.pdf"))
    assert index.index("催告书") < index.index("强制执行申请书") < index.index("结案报告")
