"""人民调解协议书: a valid A4 PDF in Chinese with the committee, the parties, the terms and the law; text from
the parties is printed as text, never read as markup; an agreement needs parties and terms."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from zhenwu.grid.dispute_documents import AgreementData, AgreementParty, agreement_pdf
from zhenwu.grid.tests.dispute_fixtures import pdf_text

PARTIES = (AgreementParty("申请人", "张三", "320682198001011237", "13900001111", "东山村8号"),
           AgreementParty("被申请人", "某某建材有限公司", "91350100M000100Y43"))


def _data(**over) -> AgreementData:
    fields = {"case_number": "JF-321181102-20260105-0001", "committee": "东山村人民调解委员会", "kind": "邻里纠纷",
              "parties": PARTIES, "facts": "围墙越界约半米。", "terms": "一、被申请人于十日内拆除越界围墙。",
              "mediators": ("周平", "孙丽"), "signed_on": date(2026, 1, 5), **over}
    return AgreementData(**fields)


def test_the_agreement_reads_back_in_chinese():
    with translation.override("zh-hans"):
        pdf = agreement_pdf(_data())
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "人民调解协议书 JF-321181102-20260105-0001"
    text = pdf_text(pdf)
    for expected in ("东山村人民调解委员会", "人民调解协议书", "（2026）第JF-321181102-20260105-0001号",
                     "纠纷类型：邻里纠纷",
                     "张三", "320682198001011237", "某某建材有限公司", "被申请人于十日内拆除越界围墙",
                     "人民调解法", "第三十一条", "司法确认", "调解员：周平、孙丽", "2026年1月5日", "（盖章）"):
        assert expected in text, expected


def test_party_text_is_printed_not_interpreted():
    with translation.override("zh-hans"):
        text = pdf_text(agreement_pdf(_data(terms="<b>加粗</b> & <font size=40>大字</font>")))
    assert "<b>加粗</b>&<fontsize=40>大字</font>" in text


def test_a_long_agreement_runs_onto_more_pages_with_the_number_on_each():
    with translation.override("zh-hans"):
        pdf = agreement_pdf(_data(terms="双方约定分期付款。" * 400))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 1
    assert all("JF-321181102-20260105-0001" in p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("over", [{"parties": ()}, {"terms": "  "}])
def test_an_agreement_needs_parties_and_terms(over):
    with pytest.raises(ValueError):
        _data(**over)
