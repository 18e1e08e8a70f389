"""In Chromium on a 390 px phone with geolocation granted: an officer signs in to /m/, opens a case they
investigate in the 执法 tab, takes a photo with a description, and the evidence is on the case — under the
SHA-256 of the very bytes sent, with the GPS fix and the place — on the phone and on the staff case page.

Set ZW_SCREENSHOTS=<folder> to keep a screenshot of the tab."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import PHONE, PHONE_AT
from zhenwu.casework.models import AuditEntry, CaseAttachment
from zhenwu.enforcement.tests import factories as f
from zhenwu.enforcement.tests.case_file import client_for, investigating
from zhenwu.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LNG, LAT = PHONE_AT  # inside grid A of the test town (zhenwu.testing)



def test_an_officer_captures_evidence_on_the_phone_and_it_is_on_the_case(team, phone, live_server, settings,
                                                                          tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = investigating(team)
    number = row.case.number
    page = phone.new_page()
    page.goto(live_server.url + "/m/")
    page.wait_for_selector("#screen-login:not([hidden])")
    page.fill("#login-form input[name=username]", team.a.user.username)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#screen-report:not([hidden])")

    page.click('.tabs a[href="#enforce"]')  # the tab of the officer's role
    page.wait_for_selector("#screen-enforce:not([hidden])")
    task = page.locator(f'#enforce-tasks li[data-case="{number}"]')
    task.wait_for()
    task.click()  # opens the case for evidence
    assert page.locator("#evidence-form select[name=case]").input_value() == number
    assert "chosen" in (task.get_attribute("class") or "")
    page.wait_for_function("() => /精度/.test(document.querySelector('#evidence-gps').textContent)")  # the fix

    page.set_input_files("#evidence-photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": f.PNG}])
    page.fill("#evidence-form input[name=place]", "东山路口消防通道")
    page.click("#evidence-form button[type=submit]")
    sha = page.locator("#evidence-sha")
    sha.wait_for(state="visible", timeout=20000)
    expected = hashlib.sha256(f.PNG).hexdigest()
    assert sha.text_content() == expected
    assert "现场.png" in (page.locator("#evidence-form [data-msg]").text_content() or "")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    folder = os.environ.get("ZW_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / "enforce-evidence-390.png"), full_page=True)

    link = CaseAttachment.objects.select_related("attachment", "uploaded_by").get(case=row.case)
    assert link.attachment.sha256 == expected and link.uploaded_by == team.a.user
    assert link.name.startswith("现场.png @ 东山路口消防通道 119.520000,31.950000 ±8m ")
    assert AuditEntry.objects.filter(subject=number, action="attachment_add").count() == 1
    staff_page = client_for(team.a.user).get(f"/enforcement/cases/{number}/").content.decode()
    assert f'title="{expected}"' in staff_page and "东山路口消防通道" in staff_page


def test_an_inquiry_record_from_the_staff_page_on_a_phone_width(team, browser_login, live_server):
    """The record form at 390 px: it starts filled with the case's party, its investigators and now; sent
    without the place and the questions it comes back with both marked; then the officer writes them."""
    from zhenwu.enforcement.models import InquiryRecord

    row = investigating(team)
    page = browser_login(team.a.user)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + f"/enforcement/cases/{row.case.number}/")
    page.click("#records-inquiries")
    page.wait_for_selector("#record-form")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("#record-form button[type=submit]")  # no questions yet
    page.wait_for_selector(".field-questions .errorlist")
    assert not InquiryRecord.objects.exists()
    assert page.locator(".field-place .errorlist").count()  # the place is not filled in for the officer
    assert "执法证今日无效" in page.locator(".field-officers").inner_text()  # zf_old's lapsed certificate
    page.fill("#id_place", "东山村文化路1号")
    page.fill("#id_questions", "问：物料是谁堆放的？\n答：公司员工。")
    page.click("#record-form button[type=submit]")
    page.wait_for_load_state()
    assert not page.locator(".errorlist").count(), page.locator("#record-form").inner_text()
    page.wait_for_selector("a.record-pdf")
    record = InquiryRecord.objects.get()
    assert record.person_name == row.party_name and record.questions == [{"q": "物料是谁堆放的？", "a": "公司员工。"}]
    assert page.locator("a.record-pdf").get_attribute("href").endswith(f"/inquiries/{record.pk}.pdf")
