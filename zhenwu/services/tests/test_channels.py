"""Each channel end to end: window, online with 预审, village proxy with consent, kiosk; a 即办件."""

import pytest

from zhenwu.casework.models import AuditEntry, OutboxMessage
from zhenwu.services.services import (
    application_accept,
    application_deliver,
    application_precheck,
    application_review,
)
from zhenwu.services.tests.factories import make_item, online_app, proxy_app, upload, window_app

pytestmark = pytest.mark.django_db


def _review_and_approve(hall, app):
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="材料齐全", approve=True)
    return application_review(actor=hall.leader, application=app, step="approval", opinion="同意", approve=True)


def test_a_window_application_runs_from_acceptance_to_pick_up(hall, item):
    app = window_app(hall)
    assert app.case.status == "submitted" and app.case.number.startswith("SQ-321181102-")
    application_accept(actor=hall.clerk, application=app)
    assert app.case.status == "first_review" and app.case.light == "green"
    _review_and_approve(hall, app)
    assert (app.case.status, app.result) == ("finished", "approved")
    assert app.case.deadline_stopped_at is not None
    application_deliver(actor=hall.clerk, application=app, mode="window", signature="王芳")
    app.refresh_from_db()
    assert (app.case.status, app.pickup_signature, app.first_contact) == ("delivered", "王芳", hall.clerk)
    actions = list(AuditEntry.objects.filter(subject=app.case.number).values_list("action", flat=True))
    assert actions == ["create", "accept", "forward_first_review", "approve", "deliver"]


def test_an_online_application_is_prechecked_then_delivered_electronically(hall, item):
    app = online_app(hall)
    assert (app.case.status, app.applicant_user, app.applicant_name) == ("precheck", hall.citizen, "李明")
    assert app.case.attachment_links.count() == 1
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    _review_and_approve(hall, app)
    sha = upload(hall.clerk)
    application_deliver(actor=hall.clerk, application=app, mode="electronic", result_attachment=sha)
    app.refresh_from_db()
    assert (app.case.status, app.result_attachment, app.delivery_mode) == ("delivered", sha, "electronic")
    assert OutboxMessage.objects.filter(recipient="13512342210").count() >= 3


def test_a_village_proxy_application_records_the_consent(hall, item, town):
    app = proxy_app(hall)
    assert (app.case.area_code, app.consent_by, app.channel) == (town.village_a.code, "赵大爷", "proxy")
    application_accept(actor=hall.clerk, application=app)
    _review_and_approve(hall, app)
    application_deliver(actor=hall.clerk, application=app, mode="express", tracking_number="SF1234567890")
    app.refresh_from_db()
    assert (app.case.status, app.tracking_number) == ("delivered", "SF1234567890")


def test_a_kiosk_application_starts_at_the_precheck(hall, item):
    from zhenwu.services.services import application_submit
    from zhenwu.services.tests.factories import all_materials

    app = application_submit(actor=hall.citizen, item_code=item.code, channel="kiosk",
                             materials=all_materials(files_by=hall.citizen))
    assert (app.case.status, app.channel) == ("precheck", "kiosk")
    application_precheck(actor=hall.clerk, application=app)
    application_accept(actor=hall.clerk, application=app)
    assert app.case.status == "first_review"


def test_an_on_the_spot_item_is_accepted_and_finished_in_one_step(hall, town):
    make_item("320000-GA-0002", name="临时身份证", promised_limit_days=0, legal_limit_days=0, chain=[])
    app = window_app(hall, code="320000-GA-0002")
    application_accept(actor=hall.clerk, application=app)
    app.refresh_from_db()
    assert (app.case.status, app.result, app.case.light, app.handler) == ("finished", "approved", "", hall.clerk)
