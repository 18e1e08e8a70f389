"""PDF notices: valid PDFs with the Chinese title, case number, applicant, materials and a QR image."""

from __future__ import annotations

import io
import re
from dataclasses import FrozenInstanceError
from datetime import date
from typing import Any

import pytest
from django.utils import translation
from pypdf import PdfReader

from zhenwu.services import documents as d

CASE = "SQ-321181102-20261121-0007"
COMMON: dict[str, Any] = {"case_number": CASE, "issuer": "如皋市某某镇人民政府", "issued_on": date(2026, 11, 21),
                          "tracking_url": f"https://zhenwu.example/track/{CASE}", "applicant_name": "王小明",
                          "item_name": "最低生活保障审核确认"}
MISSING = (d.MissingMaterial("居民户口簿", "both", 1, "首页及本人页"),
           d.MissingMaterial("家庭成员收入证明", "original", 2))


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    # Lines are broken wherever the text wraps; compare without the breaks.
    return reader, re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _acceptance(**over) -> bytes:
    fields = {**COMMON, "accepted_on": date(2026, 11, 21), "promised_days": 20, "due_on": date(2026, 12, 21),
              "clerk_name": "陈静", "clerk_phone": "0513-87650000", "materials_received": ("居民身份证",)}
    return d.acceptance_notice(d.AcceptanceNoticeData(**{**fields, **over}))


def _rejection(**over) -> bytes:
    fields = {**COMMON, "submitted_on": date(2026, 11, 20), "reason": "申请事项不属于本机关职权范围",
              "legal_basis": "《社会救助暂行办法》第十一条", "review_authority": "如皋市人民政府",
              "court": "如皋市人民法院"}
    return d.rejection_notice(d.RejectionNoticeData(**{**fields, **over}))


def _supplement(missing=MISSING) -> bytes:
    return d.supplement_notice(d.SupplementNoticeData(**COMMON, submitted_on=date(2026, 11, 20), missing=missing,
                                                      clerk_name="陈静", supply_by=date(2026, 12, 4)))


def _completion(**over) -> bytes:
    fields = {**COMMON, "completed_on": date(2026, 12, 1), "approved": True, "delivery": "express",
              "result": "准予享受最低生活保障", "tracking_number": "SF1234567890"}
    return d.completion_notice(d.CompletionNoticeData(**{**fields, **over}))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(("render", "title"), [(_acceptance, "受理通知书"), (_rejection, "不予受理通知书"),
                                               (_supplement, "一次性补正告知书"), (_completion, "办结通知书")])
def test_each_notice_is_a_pdf_with_title_number_and_applicant(render, title):
    pdf = render()
    assert pdf.startswith(b"%PDF-")
    reader, text = _read(pdf)
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4
    assert title in text and f"（2026）第{CASE}号" in text
    assert "王小明" in text and "如皋市某某镇人民政府" in text and "2026年11月21日" in text


@pytest.mark.parametrize("render", [_acceptance, _rejection, _supplement, _completion])
def test_each_notice_carries_an_image_on_page_one(render):
    reader, _ = _read(render())
    resources: Any = reader.pages[0]["/Resources"]
    xobjects = resources["/XObject"]
    assert any(xobjects[name].get_object()["/Subtype"] == "/Image" for name in xobjects)


def test_the_acceptance_notice_gives_the_promise_and_the_contact():
    _, text = _read(_acceptance())
    assert "20个工作日" in text and "2026年12月21日" in text and "陈静" in text and "0513-87650000" in text


def test_an_on_the_spot_acceptance_says_so():
    _, text = _read(_acceptance(promised_days=0, due_on=date(2026, 11, 21)))
    assert "即办件" in text and "工作日内办结" not in text


def test_the_rejection_notice_gives_reason_basis_and_remedies():
    _, text = _read(_rejection())
    assert "申请事项不属于本机关职权范围" in text and "《社会救助暂行办法》第十一条" in text
    assert "60日内向如皋市人民政府申请行政复议" in text and "6个月内向如皋市人民法院提起行政诉讼" in text


def test_the_supplement_notice_lists_every_material_with_form_and_count_and_the_pause():
    _, text = _read(_supplement())
    assert "居民户口簿" in text and "家庭成员收入证明" in text and "首页及本人页" in text
    assert "共2项" in text and "暂停计算" in text and "恢复计算" in text and "2026年12月4日" in text


def test_a_long_supplement_list_continues_on_a_second_page():
    missing = tuple(d.MissingMaterial(f"补正材料第{i:02d}号（{'说明' * 8}）", "copy", i % 3 + 1) for i in range(40))
    reader, text = _read(_supplement(missing))
    assert len(reader.pages) > 1
    assert all(_squash(m.name) in text for m in missing)
    assert "第2页" in text


def test_long_text_wraps_inside_the_page_instead_of_running_off():
    reason = "经核查，申请人家庭共同生活成员名下登记有机动车辆且家庭财产状况不符合规定" * 12
    reader, text = _read(_rejection(reason=reason))
    assert _squash(reason) in text
    first_page_lines = reader.pages[0].extract_text().splitlines()
    assert sum("家庭财产状况" in line for line in first_page_lines) >= 4


def test_the_completion_notice_gives_result_and_delivery():
    _, text = _read(_completion())
    assert "准予享受最低生活保障" in text and "SF1234567890" in text


def test_a_denial_gives_its_reason_and_the_remedies():
    _, text = _read(_completion(approved=False, reason="家庭人均收入高于当地最低生活保障标准", delivery="window"))
    assert "不予批准" in text and "家庭人均收入高于当地最低生活保障标准" in text and "行政复议" in text


def test_markup_in_applicant_text_is_printed_not_interpreted():
    _, text = _read(_rejection(reason="<b>加粗</b> & <font>"))
    assert "<b>加粗</b>&<font>" in text


def test_it_refuses_a_denial_without_reason_and_an_empty_supplement():
    with pytest.raises(ValueError):
        _completion(approved=False, reason="")
    with pytest.raises(ValueError):
        _supplement(missing=())


def test_the_notice_data_is_frozen():
    data = d.MissingMaterial("居民身份证", "copy")
    with pytest.raises(FrozenInstanceError):
        data.name = "户口簿"  # type: ignore[misc]
