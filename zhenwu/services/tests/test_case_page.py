"""The staff case page: one primary action, destructive steps set apart and confirmed, materials
previewed, the deadline as a date with its light, who handled each step and who holds the case now,
and 改派 offering only staff with the role of the current step."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from zhenwu.accounts.choices import Role
from zhenwu.casework.services import attachment_store
from zhenwu.services.models import Application
from zhenwu.services.services import application_accept, application_review
from zhenwu.services.tests.factories import PDF, window_app
from zhenwu.testing import PASSWORD, local, make_staff

pytestmark = pytest.mark.django_db


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page(user: Any, app: Application) -> str:
    return login(user).get(f"/services/applications/{app.case.number}/").content.decode()


def groups(body: str) -> dict[str, str]:
    return dict(re.findall(r'data-action="(\w+)" data-group="(\w+)"', body))


def status_of(app: Application) -> str:
    return Application.objects.select_related("case").get(pk=app.pk).case.status


def test_the_next_step_is_the_one_primary_action_and_rejection_is_apart(hall: Any, item: Any) -> None:
    found = groups(page(hall.clerk, window_app(hall)))
    assert [a for a, g in found.items() if g == "primary"] == ["accept"]
    assert found["reject"] == "danger" and found["withdraw"] == "danger"
    assert found["request_supplement"] == "more"


def test_not_accepting_needs_the_confirmation(hall: Any, item: Any) -> None:
    app = window_app(hall)
    client = login(hall.clerk)
    url = f"/services/applications/{app.case.number}/act/reject/"
    r = client.post(url, {"version": app.case.version, "reason": "不属于本镇"})
    assert r.status_code == 400 and status_of(app) == "submitted"
    assert 'name="confirm"' in r.content.decode() and "required" in r.content.decode()
    assert client.post(url, {"version": app.case.version, "reason": "不属于本镇", "confirm": "on"}).status_code == 302
    assert status_of(app) == "rejected"


def test_a_denial_needs_the_confirmation_but_an_approval_does_not(hall: Any, item: Any) -> None:
    deny, approve = window_app(hall), window_app(hall)
    for app in (deny, approve):
        application_accept(actor=hall.clerk, application=app)
        application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    leader = login(hall.leader)
    body = page(hall.leader, deny)
    assert groups(body).get("decide") == "primary" and "review" not in groups(body)
    assert 'data-destructive' in body
    url, v = f"/services/applications/{deny.case.number}/act/decide/", deny.case.version
    assert leader.post(url, {"version": v, "approve": "0", "reason": "不符合条件"}).status_code == 400
    assert status_of(deny) == "approval"
    assert leader.post(url, {"version": v, "approve": "0", "reason": "不符合", "confirm": "on"}).status_code == 302
    assert status_of(deny) == "denied"
    url, v = f"/services/applications/{approve.case.number}/act/decide/", approve.case.version
    assert leader.post(url, {"version": v, "approve": "1"}).status_code == 302 and status_of(approve) == "finished"


def test_materials_show_an_image_thumbnail_and_a_pdf_inline(hall: Any, item: Any) -> None:
    image = attachment_store(actor=hall.clerk, data=png()).sha256
    pdf = attachment_store(actor=hall.clerk, data=PDF + b"case-page").sha256
    app = window_app(hall, materials=[{"name": "身份证", "attachments": [image]},
                                      {"name": "照片", "attachments": [pdf]}])
    body = page(hall.clerk, app)
    assert re.search(rf'<img src="/api/v1/casework/attachments/{image}(\?thumbnail=true)?"', body)
    assert f'<object data="/api/v1/casework/attachments/{pdf}" type="application/pdf"' in body


def test_the_deadline_is_a_date_with_its_light(hall: Any, item: Any, clock: Any) -> None:
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)  # 2025-09-30: 3 working days → 10-11
    body = page(hall.clerk, app)
    assert '<time datetime="2025-10-11" data-due>2025-10-11</time>' in body and 'data-light="green"' in body
    clock.now = local(2025, 10, 13, 9)
    assert 'data-light="red"' in page(hall.clerk, app)


def test_it_shows_who_handled_each_step_and_who_holds_it_now(hall: Any, item: Any) -> None:
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)
    application_review(actor=hall.reviewer, application=app, step="first_review", opinion="可", approve=True)
    body = page(hall.leader, app)
    handler = re.search(r"<dd data-handler>(.*?)</dd>", body, re.S)
    assert handler and "—" not in handler.group(1) and "审批" in handler.group(1)
    assert re.findall(r"<td data-handled-by>([^<]+)", body) == ["窗口甲", "审核甲"]


def test_reassignment_offers_only_staff_with_the_steps_role(hall: Any, item: Any, town: Any) -> None:
    make_staff("norole", roles=[], scope=town.town, full_name="无角色")
    app = window_app(hall)
    application_accept(actor=hall.clerk, application=app)  # at 初审: reviewers
    body = page(hall.clerk, app)
    form = re.search(r'data-action="reassign".*?</form>', body, re.S)
    assert form
    offered = set(re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", form.group(0)))
    assert offered == {"审核甲", "审核乙"}
    make_staff("far_rev", roles=[Role.REVIEWER], scope=town.village_b, full_name="村审核")  # does not cover
    assert "村审核" not in page(hall.clerk, app)


def test_the_timeline_names_notes_in_chinese_not_by_their_keys(hall: Any, item: Any) -> None:
    app = window_app(hall)
    from zhenwu.services.services import application_reassign

    application_reassign(actor=hall.clerk, application=app, handler=hall.clerk2, reason="轮岗")
    body = page(hall.clerk, app)
    assert "· 改派" in body and "· reassign" not in body


def test_a_filing_without_an_actor_reads_as_the_applicants_not_a_dash(hall: Any, item: Any) -> None:
    """Filed at the self-service terminal (no account): the timeline says 申请人, not — ·."""
    from zhenwu.casework.models import AuditEntry
    from zhenwu.casework.services import audit_maintenance

    app = window_app(hall)
    with audit_maintenance(reason="test: the filing as a terminal records it, without an actor"):  # PG: append-only
        AuditEntry.objects.filter(case=app.case, action="create").update(actor=None, actor_name="")
    timeline = page(hall.clerk, app).split('class="timeline"')[1].split("</ol>")[0]
    assert "申请人 · " in timeline and "— · " not in timeline
