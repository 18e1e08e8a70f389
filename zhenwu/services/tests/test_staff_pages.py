"""Staff pages of the service hall: queues per role, the case page with exactly the allowed actions,
each action through its form (bad input re-shows the form and leaves the case unchanged), scope, and
filing a new application at the window or the village station."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from zhenwu.accounts.choices import Role
from zhenwu.areas.models import AreaLevel
from zhenwu.areas.services import area_create
from zhenwu.services import selectors, views_staff
from zhenwu.services.models import Application, Rating
from zhenwu.services.services import application_accept, application_decide, application_review
from zhenwu.services.tests.factories import PDF, make_item, online_app, proxy_app, window_app
from zhenwu.testing import PASSWORD, VALID_ID, VALID_USCC, make_staff

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def numbers(response):
    return set(re.findall(r'data-number="([^"]+)"', response.content.decode()))


def actions_on(response):
    return set(re.findall(r'data-action="(\w+)"', response.content.decode()))


def tab_count(response, tab):
    found = re.search(rf'data-tab="{tab}">[^<]*<span class="count">(\d+)</span>', response.content.decode())
    return int(found.group(1)) if found else None


def case_url(app, tail=""):
    return f"/services/applications/{app.case.number}/{tail}"


def act(client, app, action, data=None, **extra):
    body = {"version": app.case.version, **(data or {})}
    return client.post(case_url(app, f"act/{action}/"), body, **extra)


def status_of(app):
    return Application.objects.select_related("case").get(pk=app.pk).case.status


def reviewed(hall, app):
    """Accepted and past 初审: at the leader's 审批 step."""
    application_accept(actor=hall.clerk, application=app)
    app.refresh_from_db()
    return application_review(actor=hall.reviewer, application=app, step="first_review", opinion="同意",
                              approve=True)


# ---------------------------------------------------------------- queues

def test_the_window_queue_lists_cases_to_accept_with_counts(hall, item):
    window, online = window_app(hall), online_app(hall)
    r = login(hall.clerk).get("/services/")
    assert r.status_code == 200 and numbers(r) == {window.case.number, online.case.number}
    assert tab_count(r, "accept") == 2 and tab_count(r, "hand_out") == 0 and tab_count(r, "review") is None
    assert "王*" in r.content.decode() and "王芳" not in r.content.decode()  # masked
    # Not accepted yet: no light, and the light column says so rather than stand empty.
    assert "data-light=" not in r.content.decode().split('id="queue-table"')[-1]
    assert 'title="未在计时（尚未受理、即办或已办结）">—</span>' in r.content.decode()


def test_the_reviewer_queue_shows_the_light_and_working_days_left(hall, item, clock):
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    r = login(hall.reviewer).get("/services/")
    assert numbers(r) == {app.case.number} and tab_count(r, "review") == 1
    body = r.content.decode()
    assert 'data-light="green"' in body and "剩余" in body and "个工作日" in body
    # the legend over the queue names its colours: 正常 1 · 临期 0 · 超期 0, not three bare dots
    assert re.search(r'data-light-count="green"><i class="light green"></i>正常 1</span>', body)
    assert '<i class="light red"></i>超期 0' in body


def test_the_leader_queue_is_approval(hall, item):
    app = reviewed(hall, window_app(hall))
    window_app(hall)
    r = login(hall.leader).get("/services/")
    assert numbers(r) == {app.case.number} and tab_count(r, "approve") == 1


def test_village_staff_see_only_their_villages_proxied_cases(hall, item):
    mine = proxy_app(hall)
    proxy_app(hall, staff=hall.village_b)
    window_app(hall)
    r = login(hall.village_a).get("/services/")
    assert numbers(r) == {mine.case.number} and tab_count(r, "village") == 1 and tab_count(r, "all") == 1


def test_htmx_gets_the_table_alone(hall, item):
    app = window_app(hall)
    r = login(hall.clerk).get("/services/?tab=all", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert numbers(r) == {app.case.number} and "<html" not in body and "queue-table" in body


def test_search_and_filters(hall, item):
    window, online = window_app(hall), online_app(hall)
    c = login(hall.clerk)

    def search(q):
        return c.post("/services/", {"tab": "all", "q": q}, follow=True)

    assert numbers(search("王")) == {window.case.number}
    assert numbers(search(window.case.number)) == {window.case.number}
    assert numbers(search("13512342210")) == {window.case.number, online.case.number}
    assert numbers(c.get("/services/?tab=all&channel=online")) == {online.case.number}
    assert numbers(c.get("/services/?tab=all&status=precheck")) == {online.case.number}
    empty = c.get("/services/?tab=all&light=red")
    assert numbers(empty) == set() and "没有符合条件的办件。" in empty.content.decode()


def test_an_empty_queue_says_so(hall, item):
    r = login(hall.leader).get("/services/")
    assert numbers(r) == set() and "此队列中没有办件。" in r.content.decode()


def test_a_bad_queue_parameter_is_a_message_not_a_500(hall, item):
    r = login(hall.clerk).get("/services/?tab=all&status=" + "x" * 10)
    assert r.status_code == 200 and numbers(r) == set()


def test_pagination(hall, item, monkeypatch):
    monkeypatch.setattr(views_staff, "PAGE_SIZE", 1)
    first, second = window_app(hall), window_app(hall)
    c = login(hall.clerk)
    page1, page2 = c.get("/services/?tab=all"), c.get("/services/?tab=all&page=2")
    assert "page=2" in page1.content.decode()
    assert numbers(page1) | numbers(page2) == {first.case.number, second.case.number}


def test_citizens_and_non_hall_staff_get_nothing(hall, item, town):
    window_app(hall)
    assert login(hall.citizen).get("/services/").status_code == 404
    grid_worker = make_staff("gw", roles=[Role.GRID_WORKER], scope=town.grid_a)
    assert numbers(login(grid_worker).get("/services/")) == set()


# ---------------------------------------------------------------- the case page

def test_the_case_page_shows_the_case_masked(hall, item):
    app = proxy_app(hall)
    body = login(hall.clerk).get(case_url(app)).content.decode()
    assert app.case.number in body and "赵**" in body and "1***************2X" in body and "135****2210" in body
    assert "书面委托签字" in body and "身份证" in body and "老年人优待证" in body


@pytest.mark.parametrize("who", ["clerk", "reviewer", "leader", "village_a"])
def test_the_case_page_offers_exactly_the_allowed_actions(hall, item, who):
    app = proxy_app(hall)
    user = getattr(hall, who)
    r = login(user).get(case_url(app))
    assert actions_on(r) == set(selectors.application_actions(user=user, application=app))
    assert ("accept" in actions_on(r)) == (who == "clerk")


def test_the_page_offers_review_to_the_reviewer_after_acceptance(hall, item):
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    assert "review" in actions_on(login(hall.reviewer).get(case_url(app)))
    assert not actions_on(login(hall.leader).get(case_url(app))) & {"review", "decide", "accept"}


def test_a_case_goes_through_the_pages_from_acceptance_to_the_rating_pad(hall, item):
    app = window_app(hall)
    clerk, reviewer, leader = login(hall.clerk), login(hall.reviewer), login(hall.leader)
    assert act(clerk, app, "accept").status_code == 302 and status_of(app) == "first_review"
    app.refresh_from_db()
    assert act(reviewer, app, "review", {"approve": "1", "opinion": "材料齐全"}).status_code == 302
    app.refresh_from_db()
    assert status_of(app) == "approval"
    assert act(leader, app, "decide", {"approve": "1", "reason": "同意"}).status_code == 302
    app.refresh_from_db()
    assert status_of(app) == "finished"
    r = act(clerk, app, "deliver", {"mode": "express", "tracking_number": "SF123456"})
    assert r.status_code == 302 and status_of(app) == "delivered"
    app.refresh_from_db()
    page = clerk.get(case_url(app))
    assert "open_pad" in actions_on(page) and "rate" not in actions_on(page)
    assert act(clerk, app, "rate", {"level": "5", "channel": "window"}).status_code == 404  # staff never rate
    assert not Rating.objects.filter(application=app).exists()


def test_reject_supplement_and_supply_through_the_page(hall, item):
    clerk = login(hall.clerk)
    first, second = window_app(hall), window_app(hall)
    assert act(clerk, first, "reject", {"reason": "不属于本事项受理范围", "confirm": "on"}).status_code == 302
    assert status_of(first) == "rejected"
    assert act(clerk, second, "request_supplement", {"missing": ["照片"]}).status_code == 302
    second.refresh_from_db()
    assert status_of(second) == "supplement" and second.supplement_missing == ["照片"]
    assert act(clerk, second, "supply", {"supplied": ["照片"]}).status_code == 302
    assert status_of(second) == "submitted"


def test_precheck_finish_withdraw_pause_and_reassign_through_the_page(hall, item):
    make_item("320000-MZ-0002", chain=[], name="临时身份证")
    clerk = login(hall.clerk)
    online = online_app(hall)
    assert act(clerk, online, "precheck").status_code == 302 and status_of(online) == "submitted"
    chainless = window_app(hall, code="320000-MZ-0002")
    application_accept(actor=hall.clerk, application=chainless)
    chainless.refresh_from_db()
    assert act(clerk, chainless, "special_pause", {"reason": "公告"}).status_code == 302
    chainless.refresh_from_db()
    assert act(clerk, chainless, "special_resume", {"reason": ""}).status_code == 302
    chainless.refresh_from_db()
    assert act(clerk, chainless, "finish").status_code == 302 and status_of(chainless) == "finished"
    gone = window_app(hall)
    assert act(clerk, gone, "withdraw", {"reason": "申请人撤回", "confirm": "on"}).status_code == 302
    assert status_of(gone) == "withdrawn"
    held = window_app(hall)
    assert act(clerk, held, "reassign", {"handler": hall.clerk2.pk, "reason": "轮岗"}).status_code == 302
    held.refresh_from_db()
    assert held.handler == hall.clerk2


@pytest.mark.parametrize(("action", "data", "message"), [
    ("reject", {"reason": "", "confirm": "on"}, "This field is required."),
    ("request_supplement", {}, "List the missing materials"),
    ("deliver", {"mode": "express"}, "This field is required."),
    ("reassign", {"handler": ""}, "This field is required."),
])
def test_a_bad_action_form_shows_the_error_and_leaves_the_case(hall, item, action, data, message):
    app = window_app(hall)
    if action == "deliver":
        app = reviewed(hall, app)
        app.refresh_from_db()
        application_decide(actor=hall.leader, application=app, approve=True)
        app.refresh_from_db()
    before = (status_of(app), app.case.version)
    with translation.override("en"):
        r = act(login(hall.clerk), app, action, data)
    assert r.status_code == 400 and message in r.content.decode()
    assert re.search(r'class="action-form [a-z]+ bound"', r.content.decode())
    fresh = Application.objects.select_related("case").get(pk=app.pk)
    assert (fresh.case.status, fresh.case.version) == before


def test_a_denial_without_reason_is_refused(hall, item):
    app = reviewed(hall, window_app(hall))
    app.refresh_from_db()
    r = act(login(hall.leader), app, "decide", {"approve": "0", "reason": ""})
    assert r.status_code == 400 and status_of(app) == "approval"


def test_a_stale_form_says_someone_else_changed_the_case(hall, item):
    app = window_app(hall)
    stale = app.case.version
    application_accept(actor=hall.clerk2, application=app)
    app.refresh_from_db()
    r = login(hall.clerk).post(case_url(app, "act/request_supplement/"), {"version": stale, "missing": ["照片"]})
    assert r.status_code == 409 and "刷新页面后重试" in r.content.decode()
    assert status_of(app) == "first_review"


def test_an_action_the_user_may_not_take_is_refused(hall, item):
    app = window_app(hall)
    r = act(login(hall.reviewer), app, "accept")
    assert r.status_code == 403 and status_of(app) == "submitted"
    assert act(login(hall.clerk), app, "nonsense").status_code == 404


def test_scope_other_towns_villages_and_citizens_get_404(hall, item, town):
    other = area_create(code="321181103", name="另一镇", level=AreaLevel.TOWN, parent=town.county,
                        geometry=None)
    outsider = make_staff("other_clerk", roles=[Role.WINDOW_CLERK], scope=other)
    app = proxy_app(hall)
    for user in (outsider, hall.village_b, hall.citizen):
        c = login(user)
        assert c.get(case_url(app)).status_code == 404
        assert act(c, app, "accept").status_code == 404
        assert c.get(case_url(app, "notices/acceptance.pdf")).status_code == 404
    assert status_of(app) == "submitted"


# ---------------------------------------------------------------- filing

def file(client, **over):
    data = {"item_code": "320000-MZ-0001", "channel": "window", "applicant_kind": "person",
            "applicant_name": "孙丽", "id_number": VALID_ID, "mobile": "13812345678",
            "materials": ["身份证", "照片"]}
    data.update(over)
    return client.post("/services/applications/new/", {k: v for k, v in data.items() if v is not None})


def test_the_new_application_form_lists_items_and_materials(hall, item):
    r = login(hall.clerk).get("/services/applications/new/?item=320000-MZ-0001")
    body = r.content.decode()
    assert r.status_code == 200 and "320000-MZ-0001" in body and 'name="file_0"' in body and "户口簿" in body
    assert login(hall.reviewer).get("/services/applications/new/").status_code == 404


def test_a_window_clerk_files_an_application(hall, item):
    r = file(login(hall.clerk), file_2=SimpleUploadedFile("hkb.pdf", PDF, content_type="application/pdf"))
    app = Application.objects.get()
    assert r.status_code == 302 and r["Location"] == case_url(app)
    assert app.channel == "window" and app.applicant_name == "孙丽" and app.case.status == "submitted"
    assert [m["provided"] for m in app.materials] == [True, True, True] and app.materials[2]["attachments"]


def test_village_staff_file_a_proxy_application_with_consent(hall, item):
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = file(login(hall.village_a), channel="proxy", consent_by="孙丽", consent_method="电话录音", consent_at=at)
    app = Application.objects.get()
    assert r.status_code == 302 and app.channel == "proxy" and app.consent_method == "电话录音"
    assert app.case.area_code == hall.village_a.scope_code


@pytest.mark.parametrize(("over", "message"), [
    ({"item_code": "NOPE"}, "Select a valid choice"),
    ({"id_number": "110105194912310021"}, "ID"),
    ({"mobile": "12345"}, "mobile"),
    ({"applicant_kind": "enterprise", "uscc": VALID_USCC}, "not open to this kind of applicant"),
    ({"applicant_name": ""}, "This field is required."),
])
def test_a_bad_window_application_is_shown_again_with_the_error(hall, item, over, message, settings):
    settings.LANGUAGE_CODE = "en"
    r = file(login(hall.clerk), **over)
    assert r.status_code == 400 and message.lower() in r.content.decode().lower()
    assert Application.objects.count() == 0


def test_a_file_of_the_wrong_type_is_refused(hall, item, settings):
    settings.LANGUAGE_CODE = "en"
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10, content_type="application/octet-stream")
    r = file(login(hall.clerk), file_0=bad)
    assert r.status_code == 400 and "This type of file is not accepted." in r.content.decode()
    assert Application.objects.count() == 0


def test_a_proxy_application_needs_consent_and_an_item_that_allows_proxy(hall, item, settings):
    settings.LANGUAGE_CODE = "en"
    r = file(login(hall.village_a), channel="proxy")
    assert r.status_code == 400 and "This field is required." in r.content.decode()
    make_item("320000-MZ-0003", proxy=False, name="店招店牌设置许可")
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    r = file(login(hall.village_a), channel="proxy", item_code="320000-MZ-0003", consent_by="孙丽",
             consent_method="电话", consent_at=at)
    assert r.status_code == 400 and Application.objects.count() == 0
