"""The API: public catalogue and tracking, a citizen's journey, staff actions and their refusals."""

import pytest
from django.test import Client

from zhenwu.services.models import Application
from zhenwu.services.tests.factories import STRANGER, all_materials, upload, window_app
from zhenwu.testing import PASSWORD

pytestmark = pytest.mark.django_db
BASE = "/api/v1/services"


def client_for(user):
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def post(c, path, body):
    return c.post(BASE + path, body, content_type="application/json")


def test_the_catalogue_is_public(item):
    assert Client().get(f"{BASE}/catalogue?q=老年").json()[0]["code"] == item.code
    detail = Client().get(f"{BASE}/catalogue/{item.code}").json()
    assert detail["materials"][0]["name"] == "身份证" and detail["chain"] == ["first_review", "approval"]
    assert Client().get(f"{BASE}/catalogue/nope").status_code == 404


def test_a_citizen_applies_answers_a_supplement_and_rates(hall, item):
    me = client_for(hall.citizen)
    r = post(me, "/me/applications", {"item_code": item.code, "materials": all_materials(files_by=hall.citizen)})
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    assert r.json()["actions"] == ["withdraw"]
    clerk = client_for(hall.clerk)
    assert post(clerk, f"/applications/{number}/supplement", {"missing": ["照片"]}).status_code == 200
    assert me.get(f"{BASE}/me/applications/{number}").json()["actions"] == ["supply", "withdraw"]
    supplied = [{"name": "照片", "attachments": [upload(hall.citizen)]}]
    r = post(me, f"/me/applications/{number}/supply", {"materials": supplied})
    assert r.json()["status"] == "precheck"
    for path, body in [("precheck", {}), ("accept", {}),
                       ("review", {"step": "first_review", "opinion": "可", "approve": True})]:
        assert post(clerk if path != "review" else client_for(hall.reviewer), f"/applications/{number}/{path}",
                    body).status_code == 200
    r = post(client_for(hall.leader), f"/applications/{number}/decide", {"approve": True, "reason": "同意"})
    assert r.json()["status"] == "finished"
    r = post(clerk, f"/applications/{number}/deliver", {"mode": "electronic", "result_attachment": upload(hall.clerk)})
    assert r.json()["status"] == "delivered"
    assert post(me, f"/me/applications/{number}/rate", {"level": 5}).status_code == 201
    r = post(me, f"/me/applications/{number}/rate", {"level": 4})
    assert r.status_code == 409 and r.json()["errors"][0]["field"] == "level"


def _error(r, status, field):
    assert r.status_code == status, r.content
    assert r.json()["errors"][0]["field"] == field
    return r


def test_every_bad_filing_names_its_field(hall, item):
    clerk = client_for(hall.clerk)
    good = {"item_code": item.code, "channel": "window", "materials": all_materials(),
            "applicant": {"applicant_name": "王芳", "id_number": "11010519491231002X", "mobile": "13512342210"}}
    _error(post(clerk, "/applications", {**good, "item_code": "nope"}), 400, "item_code")
    _error(post(clerk, "/applications", {**good, "channel": "proxy"}), 400, "channel")
    _error(post(clerk, "/applications", {**good, "materials": [{"name": "护照"}]}), 400, "materials.0.name")
    bad_id = {**good["applicant"], "id_number": "110105194912310021"}
    _error(post(clerk, "/applications", {**good, "applicant": bad_id}), 400, "id_number")
    bad_uscc = {**good["applicant"], "applicant_kind": "enterprise", "uscc": "91350100M000100Y44"}
    _error(post(clerk, "/applications", {**good, "applicant": bad_uscc}), 400, "applicant_kind")
    _error(post(client_for(hall.village_a), "/applications", {**good, "channel": "proxy"}), 400, "consent.by")
    assert not Application.objects.exists()


def test_an_invalid_uscc_is_refused(hall, town):
    from zhenwu.services.tests.factories import make_item

    make_item("320000-SC-0001", applicant="both")
    r = post(client_for(hall.clerk), "/applications", {
        "item_code": "320000-SC-0001", "channel": "window", "materials": all_materials(),
        "applicant": {"applicant_kind": "enterprise", "applicant_name": "某公司", "uscc": "91350100M000100Y44",
                      "mobile": "13512342210"}})
    _error(r, 400, "uscc")


def test_online_channel_not_allowed_and_a_wrong_file_type(hall, town):
    from zhenwu.services.tests.factories import make_item

    make_item("320000-GA-0001", online=False)
    me = client_for(hall.citizen)
    _error(post(me, "/me/applications", {"item_code": "320000-GA-0001", "materials": []}), 400, "channel")
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = me.post(f"{BASE}/uploads", {"file": SimpleUploadedFile("a.exe", b"MZ\x90\x00binary")})
    _error(r, 400, "file")


def test_actions_the_user_or_the_state_do_not_allow(hall, item):
    app = window_app(hall, applicant=STRANGER)
    number = app.case.number
    _error(post(client_for(hall.reviewer), f"/applications/{number}/accept", {}), 403, None)
    _error(post(client_for(hall.clerk), f"/applications/{number}/deliver", {"mode": "window", "signature": "x"}),
           400, "action")
    _error(post(client_for(hall.clerk), f"/applications/{number}/reject", {"reason": ""}), 400, "reason")
    _error(post(client_for(hall.clerk), f"/applications/{number}/supplement", {"missing": ["护照"]}), 400, "missing")
    _error(post(client_for(hall.clerk), f"/applications/{number}/accept", {"version": 7}), 409, "version")
    _error(post(client_for(hall.citizen), f"/me/applications/{number}/withdraw", {}), 404, "number")
    _error(client_for(hall.citizen).get(f"{BASE}/applications/{number}"), 404, "number")
    app.case.refresh_from_db()
    assert (app.case.status, app.case.version) == ("submitted", 1)


def test_staff_list_their_queue_with_counts(hall, item):
    window_app(hall)
    body = client_for(hall.clerk).get(f"{BASE}/applications?queue=accept").json()
    assert body["count"] == 1 and body["counts"]["queues"]["accept"] == 1
    assert client_for(hall.village_a).get(f"{BASE}/applications").json()["count"] == 0
    _error(client_for(hall.clerk).get(f"{BASE}/applications?queue=nope"), 400, "queue")


def test_the_generic_casework_endpoint_cannot_move_an_application(hall, item):
    app = window_app(hall)
    r = client_for(hall.clerk).post(f"/api/v1/casework/cases/{app.case.number}/transitions", {"action": "accept"},
                                    content_type="application/json")
    assert r.status_code == 403
    app.case.refresh_from_db()
    assert app.case.status == "submitted"
