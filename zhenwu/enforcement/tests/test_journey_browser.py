"""In Chromium: a general-procedure penalty case through the staff pages, each step by its persona — the
officer asks for 立案 with a second investigator, the leader approves it, the officer adds evidence and ends
the investigation, the legal reviewer reviews it from the review queue, the officer serves the prior notice,
the leader decides (the party waived the statement period in writing), the officer records service and
payment and the leader closes it. Screenshots at 1366 px and 390 px of the officer's and the legal reviewer's
pages are written to ``$ZHENWU_SCREENSHOTS`` (else the test's temporary directory)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Any

import pytest

from zhenwu.casework.models import Case
from zhenwu.enforcement.models import PenaltyCase
from zhenwu.enforcement.services.cases import Party, summary_decide
from zhenwu.enforcement.tests import factories as f
from zhenwu.testing import GRID_A, VALID_USCC

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(page: Any, folder: Path, name: str) -> None:
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
        if width == 390:  # nothing wider than the phone
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
    page.set_viewport_size({"width": 1280, "height": 900})


def _step(page: Any, action: str, status: str, **fields: str) -> None:
    form = f'form[data-action="{action}"]'
    if page.locator(f"details:has({form})").count():
        page.locator(f"details:has({form}) > summary").click()
    for name, value in fields.items():
        field = page.locator(f"{form} [name={name}]")
        tag = field.evaluate("e => e.tagName + (e.type || '')")
        if tag.startswith("SELECT"):
            field.select_option(value)
        elif tag == "INPUTcheckbox":
            field.check()
        else:
            field.fill(value)
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector(f'#case-status[data-status="{status}"]')


def test_a_general_case_from_filing_to_closing(team: Any, browser_login: Any, live_server: Any, tmp_path: Path,
                                              settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    folder = Path(os.environ.get("ZHENWU_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, fine in (("李明", "50"), ("王芳", "100"), ("张伟", "200")):
        summary_decide(actor=team.b.user, power_code=team.power.code, party=Party(name, id_number="11010519491231002X"),
                       area_code=GRID_A, facts="占道经营，责令改正后仍未改正", penalty_kind="fine", fine=fine)
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(f.PNG)

    officer = browser_login(team.a.user)
    officer.goto(live_server.url + "/enforcement/cases/")
    _shots(officer, folder, "officer-cases")
    officer.click("#new-general")
    officer.select_option("select[name=power]", team.power.code)
    officer.select_option("select[name=area_code]", GRID_A)
    officer.fill("input[name=party_name]", "丹阳市东山机械有限公司")
    officer.fill("input[name=uscc]", VALID_USCC)
    officer.fill("textarea[name=facts]", "在厂区门前道路堆放钢材，占用城市道路约 30 平方米")
    officer.check(f'input[name=investigators][value="{team.b.pk}"]')
    assert officer.locator(f'input[name=investigators][value="{team.expired.pk}"]').is_disabled()
    _shots(officer, folder, "officer-new-general")
    officer.click("#general-form button[type=submit]")
    officer.wait_for_selector('#case-status[data-status="registered"]')
    number = PenaltyCase.objects.get(party_uscc=VALID_USCC).case.number

    leader = browser_login(team.leader)
    leader.goto(live_server.url + "/enforcement/approvals/")
    leader.click(f'#section-registered tr[data-number="{number}"] a')
    _step(leader, "approve_filing", "investigating", opinion="事实基本清楚，同意立案")

    officer.goto(live_server.url + f"/enforcement/cases/{number}/")
    officer.set_input_files("#evidence-file", str(photo))
    officer.fill("#evidence-place", "东山村3组厂区门前")
    officer.click("#evidence-form button[type=submit]")
    officer.wait_for_selector("#evidence td:has-text('现场照片.png')")
    _step(officer, "finish_investigation", "reviewing", report="经现场检查和询问，违法事实清楚，证据确凿")

    legal = browser_login(team.legal)
    legal.goto(live_server.url + "/enforcement/review/")
    assert legal.locator(f'tr[data-number="{number}"]').is_visible()
    _shots(legal, folder, "legal-review-queue")
    legal.click(f'tr[data-number="{number}"] a')
    _shots(legal, folder, "legal-case")
    _step(legal, "legal_review", "reviewing", opinion="主体适格，事实清楚，适用依据正确，程序合法")
    legal.goto(live_server.url + "/enforcement/review/")
    assert legal.locator("#empty").is_visible()

    officer.goto(live_server.url + f"/enforcement/cases/{number}/")
    _step(officer, "notify", "notice", penalty="fine", fine="150", band="ordinary")

    leader.goto(live_server.url + f"/enforcement/cases/{number}/")
    _step(leader, "decide", "notice", penalty="fine", fine="150", band="ordinary")  # the statement period runs
    assert "陈述申辩" in leader.inner_text('form[data-action="decide"]')
    _step(leader, "decide", "decided", defence_waived="1")

    officer.goto(live_server.url + f"/enforcement/cases/{number}/")
    _step(officer, "serve", "served")
    _step(officer, "pay", "paid")
    _shots(officer, folder, "officer-case")
    for path, name in (("/enforcement/officers/", "officer-officers"), ("/enforcement/powers/", "officer-powers")):
        officer.goto(live_server.url + path)
        _shots(officer, folder, name)
    legal.goto(live_server.url + "/enforcement/powers/import/")
    _shots(legal, folder, "legal-power-import")

    leader.goto(live_server.url + f"/enforcement/cases/{number}/")
    _step(leader, "close", "closed", report="当事人已履行处罚决定，案件办结")
    assert leader.inner_text("#case-status") == "结案"
    assert leader.locator("form.action-form").count() == 0
    assert Case.objects.get(number=number).status == "closed"
    timeline = leader.inner_text("#timeline")
    for label in ("立案审批", "调查终结", "法制审核", "事先告知", "作出处罚决定", "送达", "缴纳罚款", "结案"):
        assert label in timeline

    # 归档: the numbered documents are listed, and the whole case file downloads as one zip with its index
    assert "行政处罚决定书" in leader.inner_text("#documents")
    with leader.expect_download() as download:
        leader.click("#archive-download")
    with zipfile.ZipFile(download.value.path()) as archive:
        names = archive.namelist()
        assert "00-卷内目录.pdf" in names and "SHA256SUMS" in names
        assert any("行政处罚决定书" in name for name in names)
