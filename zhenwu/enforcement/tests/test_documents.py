"""The numbered documents of a general case (each a PDF whose text carries its number, only once the case has
reached its step) and the archive: one zip with every document and piece of evidence, an index and SHA-256s."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from zhenwu.casework.models import AuditEntry
from zhenwu.enforcement.guards import add_working_days
from zhenwu.enforcement.models import CaseDocument
from zhenwu.enforcement.services.numbering import document_number
from zhenwu.enforcement.services.records import inquiry_add, inspection_add
from zhenwu.enforcement.tests import factories as f
from zhenwu.enforcement.tests.case_file import (
    act,
    client_for,
    discuss,
    fresh,
    investigating,
    pdf_text,
    record_input,
    status,
)

QUESTIONS = [{"q": "物料是谁堆放的？", "a": "公司员工。"}]
SINGLES = ("filing", "notice", "hearing", "decision", "service", "closing")


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ENFORCEMENT_MAJOR_FINE_ORGANISATION = 1000
    settings.ENFORCEMENT_HEARING_FINE_ORGANISATION = 1000


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def closed_case(team, clock, *, stop_at: str = "closed"):
    """A major case with a hearing through every step, every document issued on the way."""
    row = investigating(team)
    number = row.case.number
    client_for(team.a.user).post(f"/api/v1/enforcement/cases/{number}/evidence",
                                 {"file": SimpleUploadedFile("现场.png", f.PNG), "place": "消防通道"})
    inquiry_add(actor=team.a.user, number=number, data=record_input(team, questions=QUESTIONS))
    inspection_add(actor=team.a.user, number=number,
                   data=record_input(team, findings="堆放木托盘", evidence=[hashlib.sha256(f.PNG).hexdigest()]))
    if stop_at == "investigating":
        return row
    act(team.a.user, row, "finish_investigation", report="事实清楚")
    act(team.a.user, row, "notify", penalty="fine", fine="1500", band="grave")
    hearing_at = add_working_days(clock.now.date(), 7)
    act(team.a.user, row, "hold_hearing", requested_on=clock.now.date().isoformat(),
        hearing_at=hearing_at.isoformat(), place="队部听证室")
    clock.advance(days=12)
    act(team.leader, row, "resume")
    act(team.legal, row, "legal_review_after_hearing", opinion="同意")
    discuss(team, row)
    act(team.leader, row, "decide", penalty="fine", fine="1200", band="grave", defence="已申辩")
    act(team.a.user, row, "serve", method="direct", served_on=clock.now.date().isoformat())
    clock.advance(days=3)
    act(team.a.user, row, "pay", paid_on=clock.now.date().isoformat())
    if stop_at == "paid":
        return fresh(row)
    act(team.leader, row, "close", report="罚款已缴清，结案。")
    return fresh(row)


def test_numbers_run_per_kind_and_year_without_gaps():
    assert document_number("decision", 2026, 12) == "综执罚决字〔2026〕第12号"
    assert document_number("filing", 2025, 1) == "综执立字〔2025〕第1号"


def test_every_document_renders_with_its_number(team, clock):
    row = closed_case(team, clock)
    client = client_for(team.a.user)
    base = f"/api/v1/enforcement/cases/{row.case.number}"
    listed = client.get(f"{base}/documents").json()
    kinds = [d["kind"] for d in listed]
    assert sorted(kinds) == sorted([*SINGLES, "inquiry", "inspection", "discussion"])
    assert row.decision_number == "综执罚决字〔2025〕第1号"
    for doc in listed:
        response = client.get(doc["url"].removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", doc
        text = pdf_text(response.content)
        assert doc["number"] in text, (doc["kind"], text[:200])
    decision = pdf_text(client.get(f"{base}/documents/decision.pdf").content)
    for expected in ("行政处罚决定书", "丹阳市东山机械有限公司", "裁量等级：严重", "罚款1200.00元",
                     "负责人集体讨论决定", "60日内申请行政复议", "6个月内依法提起行政诉讼", "2025年10月12日"):
        assert expected in decision, expected
    inquiry = pdf_text(client.get(next(d["url"] for d in listed if d["kind"] == "inquiry")).content)
    assert "物料是谁堆放的？" in inquiry and "公司员工。" in inquiry and "zf_a" in inquiry


def test_a_document_exists_only_once_its_step_is_reached(team, clock):
    row = closed_case(team, clock, stop_at="investigating")
    client = client_for(team.a.user)
    base = f"/api/v1/enforcement/cases/{row.case.number}"
    assert client.get(f"{base}/documents/filing.pdf").status_code == 200
    for kind in ("notice", "hearing", "decision", "service", "closing", "nonsense"):
        assert client.get(f"{base}/documents/{kind}.pdf").status_code == 404, kind
    assert client.get(f"{base}/inquiries/999999.pdf").status_code == 404


def test_the_archive_holds_every_item_with_its_hash_and_is_audited(team, clock):
    row = closed_case(team, clock)
    client = client_for(team.b.user)
    response = client.get(f"/api/v1/enforcement/cases/{row.case.number}/archive.zip")
    assert response.status_code == 200 and response.streaming
    data = body_of(response)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[-2:] == ["00-卷内目录.pdf", "SHA256SUMS"]
    sums = [line.split("  ", 1) for line in archive.read("SHA256SUMS").decode().splitlines()]
    assert [n for _sha, n in sums] == names[:-2]
    for sha, name in sums:
        assert hashlib.sha256(archive.read(name)).hexdigest() == sha, name
    order = [n.split("-", 1)[1].split("-")[0].split(".")[0] for n in names[:-2]]
    assert order == ["立案审批表", "询问笔录", "现场检查笔录", "证据", "集体讨论记录", "行政处罚事先告知书",
                     "听证通知书", "行政处罚决定书", "送达回证", "结案报告", "全过程记录"]
    evidence = next(n for n in names if "证据" in n)
    assert archive.read(evidence) == f.PNG
    for doc in CaseDocument.objects.filter(penalty_case=row):
        assert any(doc.number in n for n in names), doc.number
    record = json.loads(archive.read(names[-3]))
    assert [e["action"] for e in record["entries"]][:2] == ["create", "approve_filing"]
    index = pdf_text(archive.read("00-卷内目录.pdf"))
    assert row.case.number in index and "完整案卷" in index
    entry = AuditEntry.objects.filter(subject=row.case.number, action="archive_download").get()
    assert entry.actor_id == team.b.user.pk and (entry.data or {})["final"] is True


def test_before_closing_only_a_leader_downloads_the_file_in_progress(team, clock):
    row = closed_case(team, clock, stop_at="paid")
    url = f"/api/v1/enforcement/cases/{row.case.number}/archive.zip"
    assert client_for(team.a.user).get(url).status_code == 404
    assert not AuditEntry.objects.filter(action="archive_download").exists()
    response = client_for(team.leader).get(url)
    archive = zipfile.ZipFile(io.BytesIO(body_of(response)))
    assert "办理中" in pdf_text(archive.read("00-卷内目录.pdf"))
    assert not any("结案报告" in n for n in archive.namelist())


def test_a_tampered_evidence_file_is_marked_in_the_index(team, clock, settings):
    from django.core.files.storage import default_storage

    from zhenwu.casework.models import Attachment

    row = closed_case(team, clock)
    stored = Attachment.objects.get(sha256=hashlib.sha256(f.PNG).hexdigest())
    with default_storage.open(stored.storage_name, "wb") as fh:
        fh.write(f.PNG + b"tampered")
    response = client_for(team.leader).get(f"/api/v1/enforcement/cases/{row.case.number}/archive.zip")
    archive = zipfile.ZipFile(io.BytesIO(body_of(response)))
    with translation.override("zh-hans"):
        index = pdf_text(archive.read("00-卷内目录.pdf"))
    assert "不一致" in index


def test_the_summary_case_is_archived_once_filed(team, clock):
    from zhenwu.enforcement.services.cases import Party, case_act, summary_decide
    from zhenwu.testing import GRID_A, VALID_ID

    row = summary_decide(actor=team.a.user, power_code=team.power.code, party=Party("李明", id_number=VALID_ID),
                         area_code=GRID_A, facts="占道摆摊", penalty_kind="fine", fine="50")
    url = f"/api/v1/enforcement/cases/{row.case.number}/archive.zip"
    assert client_for(team.a.user).get(url).status_code == 404
    case_act(actor=team.a.user, number=row.case.number, action="file")
    archive = zipfile.ZipFile(io.BytesIO(body_of(client_for(team.a.user).get(url))))
    assert any(row.decision_number in n for n in archive.namelist()) and status(row) == "filed"
