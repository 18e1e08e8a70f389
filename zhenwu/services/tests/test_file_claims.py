"""Claiming a file by its hash (issue 8): materials and results may name only the actor's own uploads or
files already on that case — never a file someone else uploaded for another case."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from zhenwu.casework.models import Attachment, AttachmentUpload, CaseAttachment
from zhenwu.casework.services import attachment_store
from zhenwu.errors import FieldError
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_request_supplement,
    application_review,
    application_submit,
    application_supply,
)
from zhenwu.services.tests.factories import PDF, all_materials, online_app, upload, window_app
from zhenwu.testing import PASSWORD

pytestmark = pytest.mark.django_db


def both(sha):
    return [{"name": "身份证", "attachments": [sha]}, {"name": "照片", "attachments": [sha]}]


def _clerks_file_on_a_case(hall):
    sha = upload(hall.clerk)
    window_app(hall, materials=[{"name": "身份证", "attachments": [sha]}, {"name": "照片", "attachments": []}])
    return sha


def test_a_citizen_cannot_attach_a_clerks_file_from_another_case(hall, item):
    sha = _clerks_file_on_a_case(hall)
    with pytest.raises(FieldError) as err:
        application_submit(actor=hall.citizen, item_code=item.code, channel="online",
                           materials=both(sha))
    assert err.value.field == "materials.attachments"
    assert CaseAttachment.objects.filter(attachment__sha256=sha).count() == 1  # still only on the clerk's case


def test_the_api_answers_400_naming_the_field(hall, item):
    sha = _clerks_file_on_a_case(hall)
    me = Client()
    assert me.login(username=hall.citizen.username, password=PASSWORD)
    body = {"item_code": item.code, "materials": both(sha)}
    r = me.post("/api/v1/services/me/applications", body, content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "materials.attachments"


def test_the_same_bytes_uploaded_by_the_citizen_are_theirs_to_name(hall, item):
    sha = _clerks_file_on_a_case(hall)
    data = default_storage.open(Attachment.objects.get(sha256=sha).storage_name).read()
    assert attachment_store(actor=hall.citizen, data=data).sha256 == sha  # stored once, now also theirs
    app = application_submit(actor=hall.citizen, item_code=item.code, channel="online",
                             materials=both(sha))
    assert app.case.attachment_links.get().attachment.sha256 == sha
    assert AttachmentUpload.objects.filter(attachment__sha256=sha).count() == 2


def test_a_supplement_keeps_the_files_already_on_the_case_even_without_an_uploader(hall, item):
    app = online_app(hall)
    AttachmentUpload.objects.all().delete()  # files stored before uploads were recorded
    application_request_supplement(actor=hall.clerk, application=app, missing=["照片"])
    stolen = _clerks_file_on_a_case(hall)
    with pytest.raises(FieldError):
        application_supply(actor=hall.citizen, application=app, materials=[{"name": "照片", "attachments": [stolen]}])
    mine = upload(hall.citizen)
    application_supply(actor=hall.citizen, application=app, materials=[{"name": "照片", "attachments": [mine]}])
    app.refresh_from_db()
    assert app.case.status == "precheck" and all(m["provided"] for m in app.materials if m["required"])


def test_the_electronic_result_must_be_the_clerks_own_upload(hall, item):
    app = window_app(hall, materials=all_materials())
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)
    citizens = upload(hall.citizen, PDF + b"citizen's own")
    with pytest.raises(FieldError) as err:
        application_deliver(actor=hall.clerk, application=app, mode="electronic", result_attachment=citizens)
    assert err.value.field == "result_attachment"
    application_deliver(actor=hall.clerk, application=app, mode="electronic", result_attachment=upload(hall.clerk))
