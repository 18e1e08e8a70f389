"""The browser journey: the village worker of grid A opens a 低保 application on the family's behalf from the
phone-sized page and records the home survey with a photo there; the civil-affairs officer approves it."""

from __future__ import annotations

import pytest

from zhenwu.assistance.models import AssistanceApplication, AssistanceFile
from zhenwu.assistance.services.applications import application_act
from zhenwu.assistance.tests.conftest import make_family
from zhenwu.testing import PNG

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_village_worker_files_from_the_phone_and_civil_affairs_approves(browser_login, live_server, people, town,
                                                                         clock, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    family = make_family(town.grid_a)
    phone = browser_login(people.worker_a)
    phone.set_viewport_size(PHONE)
    phone.goto(live_server.url + "/assistance/applications/new/")
    phone.fill("input[name=q]", "张建")
    phone.click("#find button[type=submit]")
    phone.check(f"input[name=applicant][value='{family.head.pk}']")
    phone.select_option("select[name=kind]", "dibao")
    phone.fill("textarea[name=reason]", "户主尿毒症长期透析，妻子照顾，无稳定收入")
    phone.select_option("select[name=consent_method]", "signed")
    phone.fill("input[name=consent_by]", "张建国")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # fits the phone
    phone.click("#apply button[type=submit]")
    phone.wait_for_url("**/assistance/applications/JZ-*/")
    assert phone.inner_text("#status") == "申请"
    row = AssistanceApplication.objects.get(file__household=family.home)
    assert (row.channel, row.consent_by, row.filed_by) == ("proxy", "张建国", people.worker_a)

    application_act(actor=people.civil, number=row.case.number, action="accept")
    application_act(actor=people.civil, number=row.case.number, action="check")
    phone.reload()
    photo = tmp_path / "home.png"
    photo.write_bytes(PNG)
    phone.set_input_files("#photo input[name=photo]", str(photo))
    phone.click("#photo button[type=submit]")
    phone.wait_for_selector("text=照片已上传")
    survey = phone.locator("form[data-action=survey]")
    survey.locator("textarea[name=f_living_conditions]").fill("两间平房，家具简陋")
    survey.locator("textarea[name=f_findings]").fill("收入情况属实")
    survey.locator("button[type=submit]").click()
    phone.wait_for_selector("#status:has-text('民主评议')")

    application_act(actor=people.worker_a, number=row.case.number, action="appraise",
                    fields={"held_on": "2025-09-30", "participants": 9, "votes_for": 9, "votes_against": 0,
                            "amount": "1500"})
    clock.advance(days=20)  # the publicity is over
    application_act(actor=people.civil, number=row.case.number, action="close_publicity")

    desk = browser_login(people.civil)
    desk.goto(live_server.url + f"/assistance/applications/{row.case.number}/")
    assert sorted(desk.locator("form.action-form").evaluate_all("fs => fs.map(f => f.dataset.action)")) == [
        "approve", "deny", "withdraw"]
    approve = desk.locator("form[data-action=approve]")
    approve.locator("input[name=f_amount]").fill("1450")
    approve.locator("button[type=submit]").click()
    desk.wait_for_selector("#status:has-text('发放')")
    assert AssistanceFile.objects.get(household=family.home).status == "dibao"
    row.refresh_from_db()
    assert (str(row.amount), row.decided_by) == ("1450.00", people.civil)
