"""PDF notices wired to real applications: built from the case's history, 404 when they do not apply,
downloadable by staff in scope (page and API) and by the applicant (API)."""

import io
import re

import pytest
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from zhenwu.errors import NotFound
from zhenwu.services import notices
from zhenwu.services.services import (
    application_accept,
    application_decide,
    application_precheck,
    application_reject,
    application_request_supplement,
    application_review,
)
from zhenwu.services.tests.factories import make_item, online_app, window_app
from zhenwu.testing import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def login(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def accepted(hall, app):
    application_accept(actor=hall.clerk, application=app)
    app.refresh_from_db()
    return app


def decided(hall, app, approve=True):
    accepted(hall, app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="同意", approve=True)
    app.refresh_from_db()
    application_decide(actor=hall.leader, application=app, approve=approve, reason="" if approve else "不符合条件")
    app.refresh_from_db()
    return app


def test_the_acceptance_notice_of_an_accepted_case(hall, item):
    app = accepted(hall, window_app(hall))
    body = text(notices.notice_pdf(app, "acceptance", base_url="https://zw.example/"))
    assert app.case.number in body and "王芳" in body and "测试镇" in body and "窗口甲" in body
    data = notices.acceptance_data(app, base_url="https://zw.example/")
    assert data.tracking_url == f"https://zw.example/public/track/?number={app.case.number}"
    assert data.promised_days == 3 and data.materials_received == ("身份证", "照片")
    assert notices.notice_kinds(app) == ["acceptance"]
    for kind in ("rejection", "completion", "supplement", "nonsense"):
        with pytest.raises(NotFound):
            notices.notice_pdf(app, kind)


def test_the_supplement_notice_lists_the_missing_materials(hall, item):
    app = window_app(hall)
    with pytest.raises(NotFound):
        notices.notice_pdf(app, "supplement")
    application_request_supplement(actor=hall.clerk, application=app, missing=["照片", "户口簿"])
    app.refresh_from_db()
    body = text(notices.notice_pdf(app, "supplement"))
    assert app.case.number in body and "王芳" in body and "照片" in body and "户口簿" in body
    assert notices.notice_kinds(app) == ["supplement"]


def test_the_rejection_notice_carries_the_reason(hall, item):
    app = window_app(hall)
    application_reject(actor=hall.clerk, application=app, reason="不属于本镇受理范围")
    app.refresh_from_db()
    body = text(notices.notice_pdf(app, "rejection"))
    assert app.case.number in body and "王芳" in body and "不属于本镇受理范围" in body
    assert notices.notice_kinds(app) == ["rejection"]
    with pytest.raises(NotFound):
        notices.notice_pdf(app, "acceptance")


def test_the_completion_notice_of_an_approved_and_a_denied_case(hall, item):
    approved, denied = decided(hall, window_app(hall)), decided(hall, window_app(hall), approve=False)
    assert notices.notice_kinds(approved) == ["acceptance", "completion"]
    body = text(notices.notice_pdf(approved, "completion"))
    assert approved.case.number in body and "王芳" in body
    body = text(notices.notice_pdf(denied, "completion"))
    assert denied.case.number in body and "不符合条件" in body


def test_an_instant_item_has_acceptance_and_completion(hall, item):
    make_item("320000-MZ-0009", promised_limit_days=0, chain=[], name="临时身份证")
    app = accepted(hall, window_app(hall, code="320000-MZ-0009"))
    assert notices.notice_kinds(app) == ["acceptance", "completion"]
    assert app.case.number in text(notices.notice_pdf(app, "completion"))


def test_staff_download_the_pdf_from_the_page_and_the_api(hall, item):
    app = accepted(hall, window_app(hall))
    c = login(hall.clerk)
    for url in (f"/services/applications/{app.case.number}/notices/acceptance.pdf",
                f"/api/v1/services/applications/{app.case.number}/notices/acceptance"):
        r = c.get(url)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert f'filename="{app.case.number}-acceptance.pdf"' in r["Content-Disposition"]
        assert r.content.startswith(b"%PDF")
    assert c.get(f"/services/applications/{app.case.number}/notices/rejection.pdf").status_code == 404
    assert c.get(f"/api/v1/services/applications/{app.case.number}/notices/completion").status_code == 404
    page = c.get(f"/services/applications/{app.case.number}/").content.decode()
    assert 'data-notice="acceptance"' in page and 'data-notice="completion"' not in page


def test_the_applicant_downloads_their_own_notice_only(hall, item):
    app = online_app(hall)
    application_precheck(actor=hall.clerk, application=app)
    app = accepted(hall, app)
    url = f"/api/v1/services/me/applications/{app.case.number}/notices/acceptance"
    r = login(hall.citizen).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert app.case.number in text(r.content)
    assert login(hall.citizen2).get(url).status_code == 404
    assert login(hall.citizen).get(url.replace("acceptance", "rejection")).status_code == 404
    assert login(hall.citizen).get(f"/api/v1/services/applications/{app.case.number}/notices/acceptance"
                                   ).status_code == 404
