"""Browser journey of an online application: apply with a file → 补正 → supply → accept → review →
approval → electronic result → rating. The citizen works in the portal, the clerk, reviewer and leader
on the staff case page (/services/applications/<number>/, one form per allowed action), all in Chromium."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest

from zhenwu.casework.models import Case
from zhenwu.services.models import Application, Rating
from zhenwu.services.tests.factories import PDF, Hall, make_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_file(name: str, salt: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF + salt.encode()}


def staff_act(page: Any, url: str, action: str, fill: Any = None) -> None:
    """Open the staff case page, fill the form of ``action`` and press its (first) button; actions other
    than the next step sit in collapsed groups, opened first as a person would."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url)
    form = page.locator(f"form[data-action={action}]")
    summary = page.locator(f"details:has(form[data-action={action}]) > summary")
    for _ in range(3):  # a click that lands while the page still settles may toggle twice: look, then retry
        if form.is_visible():
            break
        summary.click()
        with contextlib.suppress(PlaywrightTimeout):  # let the click open it before looking again
            form.wait_for(state="visible", timeout=3000)
    if fill:
        fill(form)
    # Wait for the POST's own navigation: a bare wait_for_load_state() returns at once on the page
    # already loaded, and the next goto() then races the pending submission (flaky under load).
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    assert page.locator(".messages").count() == 1, page.content()


def status(number: str) -> str:
    return Case.objects.get(number=number).status


def test_citizen_applies_online_supplies_and_rates(hall: Hall, browser_login: Any, live_server: Any) -> None:
    make_item()
    page = browser_login(hall.citizen)
    page.goto(live_server.url + "/public/guide/320000-MZ-0001/")
    assert page.locator("svg").count() >= 1
    page.click("#apply-online")
    page.set_input_files("input[name=file_0]", pdf_file("id.pdf", "id"))
    page.set_input_files("input[name=file_1]", pdf_file("photo.pdf", "photo"))
    page.click("#apply-form button[type=submit]")
    page.wait_for_url("**/portal/applications/SQ-*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]

    clerk = browser_login(hall.clerk)
    case_url = f"{live_server.url}/services/applications/{number}/"
    staff_act(clerk, case_url, "precheck")
    staff_act(clerk, case_url, "request_supplement",
              lambda form: form.locator("input[name=missing][value='户口簿']").check())
    assert status(number) == "supplement"

    page.goto(live_server.url + "/portal/")
    assert "户口簿" in page.locator("table.my-applications").inner_text()
    page.click(f"text={number}")
    page.set_input_files("#supply input[name=file_0]", pdf_file("hukou.pdf", "hukou"))
    page.click("#supply button[type=submit]")
    page.wait_for_selector(".messages")
    assert page.locator("#supply").count() == 0

    assert status(number) == "submitted"
    staff_act(clerk, case_url, "accept")
    staff_act(browser_login(hall.reviewer), case_url, "review",
              lambda form: form.locator("textarea[name=opinion]").fill("材料齐全"))
    staff_act(browser_login(hall.leader), case_url, "decide")
    assert status(number) == "finished"

    def electronic(form: Any) -> None:
        form.locator("select[name=mode]").select_option("electronic")
        form.locator("input[name=result_file]").set_input_files(pdf_file("result.pdf", "result"))
    staff_act(clerk, case_url, "deliver", electronic)

    page.reload()
    assert "户口簿" not in page.locator("p.todo").all_inner_texts()
    page.check("#rate input[name=level][value='5']")
    page.fill("#rate textarea[name=comment]", "办得很快")
    page.click("#rate button[type=submit]")
    page.wait_for_selector("#rating")
    assert page.locator("#rate").count() == 0
    app = Application.objects.get(case__number=number)
    assert app.case.status == "delivered" and app.delivery_mode == "electronic" and app.result_attachment
    assert Rating.objects.get(application=app).level == 5
    assert {m["name"] for m in app.materials if m["provided"]} == {"身份证", "照片", "户口簿"}


def test_a_window_applicant_rates_on_the_pad_the_clerk_opens(hall: Hall, browser_login: Any, live_server: Any) -> None:
    from zhenwu.services.services import application_accept, application_review
    from zhenwu.services.tests.factories import window_app

    make_item()
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    number = app.case.number
    clerk = browser_login(hall.clerk)
    case_url = f"{live_server.url}/services/applications/{number}/"
    staff_act(clerk, case_url, "deliver", lambda form: form.locator("input[name=signature]").fill("王芳"))

    clerk.goto(live_server.url + "/services/pad/")
    clerk.click("#pad-pair button[type=submit]")
    pad_url = clerk.locator("#pad-url").inner_text()
    tablet = clerk.context.browser.new_page()  # the second screen at the window, not logged in
    tablet.goto(pad_url)
    assert tablet.locator("[data-pad=idle]").count() == 1
    staff_act(clerk, case_url, "open_pad")
    tablet.reload()
    assert number in tablet.content()
    tablet.click("button.pad-level.level-5")
    tablet.wait_for_selector("#thanks")
    rating = Rating.objects.get(application=app)
    assert (rating.level, rating.channel, rating.rated_by) == (5, "window", None)
