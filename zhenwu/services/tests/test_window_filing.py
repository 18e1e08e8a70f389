"""受理登记 at the window: missing required materials go straight to one supplement notice; files stay
(by name) across a form error; the item is picked by search; the ID number shows for a person and the
USCC for an enterprise."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhenwu.casework.models import OutboxMessage
from zhenwu.services import notices
from zhenwu.services.models import Application
from zhenwu.services.tests.factories import PDF, make_item
from zhenwu.testing import PASSWORD, VALID_ID

pytestmark = pytest.mark.django_db
NEW = "/services/applications/new/"


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def form_data(**over: Any) -> dict[str, Any]:
    data = {"item_code": "320000-MZ-0001", "channel": "window", "applicant_kind": "person", "applicant_name": "孙丽",
            "id_number": VALID_ID, "mobile": "13812345678", "materials": ["身份证", "照片"]}
    data.update(over)
    return data


def test_missing_materials_at_the_window_go_to_one_supplement_notice(hall: Any, item: Any) -> None:
    r = login(hall.clerk).post(NEW, form_data(materials=["身份证"]))
    app = Application.objects.select_related("case").get()
    assert r.status_code == 302 and app.case.status == "supplement" and app.supplement_missing == ["照片"]
    assert app.case.paused_from == "submitted" and "supplement" in notices.notice_kinds(app)
    assert OutboxMessage.objects.filter(recipient="13812345678", body__contains="照片").exists()


def test_a_file_stays_by_name_across_a_form_error(hall: Any, item: Any) -> None:
    client = login(hall.clerk)
    upload = SimpleUploadedFile("身份证扫描.pdf", PDF + b"kept", content_type="application/pdf")
    r = client.post(NEW, {**form_data(mobile="12345"), "file_0": upload})
    body = r.content.decode()
    assert r.status_code == 400 and "身份证扫描.pdf" in body
    sha = re.search(r'name="sha_0" value="([0-9a-f]{64})"', body)
    assert sha and f">✓ {sha.group(1)}" not in body
    r = client.post(NEW, {**form_data(), "sha_0": sha.group(1), "fname_0": "身份证扫描.pdf"})
    app = Application.objects.get()
    assert r.status_code == 302 and app.materials[0]["attachments"] == [sha.group(1)]


def test_the_portal_keeps_a_file_by_name_too(hall: Any, item: Any) -> None:
    client = login(hall.citizen)
    upload = SimpleUploadedFile("我的照片.pdf", PDF + b"portal", content_type="application/pdf")
    r = client.post("/portal/apply/320000-MZ-0001/", {"file_1": upload})  # 身份证 missing: the form again
    body = r.content.decode()
    assert r.status_code == 400 and "我的照片.pdf" in body and 'name="sha_1"' in body


def test_the_item_picker_searches_names_and_lists_the_matches(hall: Any, item: Any) -> None:
    make_item("320000-MZ-0002", name="老年人助餐服务")
    client = login(hall.clerk)
    body = client.get(NEW, {"item": "优待"}).content.decode()
    assert 'name="file_0"' in body and "320000-MZ-0001 老年人优待证" in body  # one match: chosen
    body = client.get(NEW, {"item": "老年人"}).content.decode()
    assert 'class="item-matches"' in body and "老年人助餐服务" in body and 'name="file_0"' not in body
    assert body.count("<option value=\"320000-MZ-") == 2  # the datalist of every item


def test_the_id_number_and_uscc_fields_follow_the_applicant_kind(hall: Any, item: Any) -> None:
    make_item("320000-SC-0001", name="店招店牌设置许可", applicant="both")
    client = login(hall.clerk)
    both = client.get(NEW, {"item": "320000-SC-0001"}).content.decode()
    assert 'class="field for-person"' in both and 'class="field for-enterprise"' in both
    assert 'name="applicant_kind" value="enterprise"' in both
    person_only = client.get(NEW, {"item": "320000-MZ-0001"}).content.decode()
    assert 'name="uscc"' not in person_only and 'name="id_number"' in person_only
    css = client.get("/static/services/hall.css")
    text = b"".join(css.streaming_content).decode() if css.streaming else css.content.decode()  # type: ignore[attr-defined]
    assert "value=enterprise]:checked) .for-person" in text
