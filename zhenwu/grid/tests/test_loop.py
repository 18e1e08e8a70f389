"""The incident loop as services, each step a test: 立案, 不予立案, 合并, 自行处置, 派遣 (suggested and by
hand, the category's limit from dispatch), 处置 → 核查 (by the grid only) → 结案 → 评价, a failed
verification and rework, 退回, 延期, and the audit chain holding through all of it."""

from __future__ import annotations

import datetime as dt

import pytest

from zhenwu.accounts.choices import Role
from zhenwu.casework.models import AuditEntry, Case, CaseHandoff
from zhenwu.casework.services import audit_verify
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.grid.choices import ExtensionStatus
from zhenwu.grid.models import Incident, IncidentExtension
from zhenwu.grid.services import steps
from zhenwu.grid.tests.factories import POINT_A, GridStaff, jpeg, report
from zhenwu.testing import Clock, Personas, make_staff, sms_delivered_to

pytestmark = pytest.mark.django_db
REPORTER_MOBILE = "13812340001"
PHOTO = [("after.jpg", jpeg("green"))]


def fresh(incident: Incident) -> Incident:
    return Incident.objects.select_related("case", "category_version").get(pk=incident.pk)


def registered(personas: Personas, staff: GridStaff, **extra: object) -> Incident:
    incident = report(personas.grid_worker_a, reporter_mobile=REPORTER_MOBILE, **extra)  # type: ignore[arg-type]
    return steps.incident_register(actor=staff.dispatcher, incident=incident)


def dispatched(personas: Personas, staff: GridStaff, **extra: object) -> Incident:
    return steps.incident_dispatch(actor=staff.dispatcher, incident=registered(personas, staff, **extra),
                                   handler=staff.handler)


def test_the_whole_loop(categories, personas: Personas, staff: GridStaff, clock: Clock) -> None:
    incident = registered(personas, staff)
    assert incident.case.status == "registered"
    clock.advance(hours=1)
    steps.incident_dispatch(actor=staff.dispatcher, incident=incident)  # to the suggested department
    case = fresh(incident).case
    assert case.status == "dispatched" and case.handler_unit == staff.department and case.handler is None
    # the category's limit (暴露垃圾: 24 hours) starts at dispatch, not at the report
    assert case.deadline_unit == "hours" and case.deadline_limit == 24
    assert case.deadline_started_at == clock.now and case.deadline_due_at == clock.now + dt.timedelta(hours=24)
    member = make_staff("cleaner", roles=[Role.VILLAGE_STAFF], scope=staff.department.area,
                        department=staff.department)
    clock.advance(hours=3)
    steps.incident_handle(actor=member, incident=fresh(incident), result="已清运", photos=PHOTO)
    incident = fresh(incident)
    assert incident.case.status == "fed_back" and incident.case.deadline_stopped_at == clock.now
    assert len(incident.result_photos) == 1 and incident.case.handler_unit is None  # the grid's queue now
    steps.incident_verify(actor=personas.grid_worker_a, incident=incident, passed=True,
                          photos=[("site.jpg", jpeg("white"))])
    incident = fresh(incident)
    assert incident.case.status == "closed" and not incident.is_open and len(incident.verify_photos) == 1
    steps.incident_evaluate(actor=staff.dispatcher, incident=incident, score=5, note="处置及时")
    incident = fresh(incident)
    assert incident.case.status == "evaluated" and incident.evaluation == 5
    actions = list(AuditEntry.objects.filter(subject=incident.case.number).values_list("action", flat=True))
    assert [a for a in actions if a not in ("attachment_add", "reassign")] == [
        "create", "register", "dispatch", "handle", "verify_pass", "evaluate"]
    assert any("已处置结案" in text for text in sms_delivered_to(REPORTER_MOBILE))
    assert audit_verify()[1] == []


def test_not_registered_needs_a_reason_and_tells_the_reporter(categories, personas: Personas,
                                                              staff: GridStaff) -> None:
    incident = report(personas.grid_worker_a, reporter_mobile=REPORTER_MOBILE)
    with pytest.raises(FieldError) as caught:
        steps.incident_reject(actor=staff.dispatcher, incident=incident, reason=" ")
    assert caught.value.field == "reason" and fresh(incident).case.version == 1
    steps.incident_reject(actor=staff.dispatcher, incident=incident, reason="不属于城市管理事项")
    incident = fresh(incident)
    assert incident.case.status == "rejected" and not incident.is_open
    assert any("不予立案" in t and "不属于城市管理事项" in t for t in sms_delivered_to(REPORTER_MOBILE))


def test_a_merged_report_stays_attached_and_its_reporter_hears_the_outcome(categories, personas: Personas,
                                                                           staff: GridStaff) -> None:
    first = report(personas.grid_worker_a, reporter_mobile=REPORTER_MOBILE)
    lng, lat = POINT_A
    second = report(None, point=(lng + 0.0001, lat), source="citizen", reporter_mobile="13812340002")
    steps.incident_merge(actor=staff.dispatcher, incident=second, into=first.case.number)
    second = fresh(second)
    assert second.case.status == "merged" and second.merged_into == first and not second.is_open
    assert list(Incident.objects.filter(merged_into=first)) == [second]
    assert any(first.case.number in t for t in sms_delivered_to("13812340002"))
    with pytest.raises(FieldError) as caught:  # a merged or finished incident takes no more merges
        steps.incident_merge(actor=staff.dispatcher, incident=report(personas.grid_worker_a), into=second.case.number)
    assert caught.value.field == "into"
    steps.incident_self_close(actor=personas.grid_worker_a, incident=fresh(first), result="已清理", photos=PHOTO)
    for mobile in (REPORTER_MOBILE, "13812340002"):
        assert any("已处置结案" in t for t in sms_delivered_to(mobile))


def test_a_reporter_merges_at_report_time_into_an_offered_duplicate(categories, personas: Personas) -> None:
    first = report(personas.grid_worker_a)
    second = report(personas.grid_worker_a, merge_into=first.case.number)
    assert fresh(second).case.status == "merged" and fresh(second).merged_into == first
    with pytest.raises(FieldError) as caught:  # grid B's worker cannot see grid A's incident to merge into
        report(personas.grid_worker_b, point=(119.57, 31.95), merge_into=first.case.number)
    assert caught.value.field == "into"
    assert Incident.objects.count() == 2  # nothing of the refused report was written


def test_self_closure_only_where_the_category_allows_by_the_grid_with_a_photo(categories, personas: Personas,
                                                                              staff: GridStaff) -> None:
    allowed = report(personas.grid_worker_a)
    with pytest.raises(FieldError) as caught:
        steps.incident_self_close(actor=personas.grid_worker_a, incident=allowed, result="已清理", photos=[])
    assert caught.value.field == "photos"
    with pytest.raises(NotFound):
        steps.incident_self_close(actor=personas.grid_worker_b, incident=allowed, result="x", photos=PHOTO)
    with pytest.raises(Forbidden):  # the dispatcher is not a worker of the grid
        steps.incident_self_close(actor=staff.dispatcher, incident=allowed, result="x", photos=PHOTO)
    not_allowed = report(personas.grid_worker_a, category="E0106")  # 私搭乱建
    with pytest.raises(FieldError) as caught:
        steps.incident_self_close(actor=personas.grid_worker_a, incident=not_allowed, result="x", photos=PHOTO)
    assert caught.value.field == "action"
    assert fresh(allowed).case.version == 1 and fresh(not_allowed).case.version == 1
    steps.incident_self_close(actor=personas.grid_worker_a, incident=fresh(allowed), result="已清理", photos=PHOTO)
    assert fresh(allowed).case.status == "closed" and fresh(allowed).result_photos


def test_dispatch_suggests_department_and_squad_and_takes_an_override(categories, personas: Personas,
                                                                      staff: GridStaff, clock: Clock) -> None:
    incident = registered(personas, staff, category="E0106")  # 私搭乱建 → 镇综合行政执法局 (none here)
    suggested = steps.dispatch_suggestion(incident)
    assert suggested == {"department": None, "squad": staff.squad}
    steps.incident_dispatch(actor=staff.dispatcher, incident=incident)  # no department: the squad
    case = fresh(incident).case
    assert case.handler_unit == staff.squad
    assert case.deadline_unit == "working_days" and case.deadline_limit == 5
    other = registered(personas, staff)
    steps.incident_dispatch(actor=staff.dispatcher, incident=other, handler=staff.handler)  # by hand, a person
    assert fresh(other).case.handler == staff.handler and fresh(other).case.handler_unit is None
    assert any(fresh(other).case.number in t for t in sms_delivered_to(staff.handler.mobile or ""))
    third = registered(personas, staff)
    with pytest.raises(FieldError) as caught:  # a grid worker of grid B does not cover grid A's case
        steps.incident_dispatch(actor=staff.dispatcher, incident=third, handler=personas.grid_worker_b)
    assert caught.value.field == "handler" and fresh(third).case.status == "registered"


def test_verification_only_by_a_worker_of_that_grid(categories, personas: Personas, staff: GridStaff) -> None:
    incident = dispatched(personas, staff)
    steps.incident_handle(actor=staff.handler, incident=incident, result="已拆除", photos=PHOTO)
    other_worker = make_staff("gw_a2", roles=[Role.GRID_WORKER], scope=personas.grid_worker_a.scope_area)
    with pytest.raises(NotFound):
        steps.incident_verify(actor=personas.grid_worker_b, incident=fresh(incident), passed=True, photos=PHOTO)
    with pytest.raises(Forbidden):  # the village's grid leader sees it, but is not of that grid
        steps.incident_verify(actor=staff.village_leader, incident=fresh(incident), passed=True, photos=PHOTO)
    with pytest.raises(FieldError) as caught:
        steps.incident_verify(actor=other_worker, incident=fresh(incident), passed=True, photos=[])
    assert caught.value.field == "photos"
    assert fresh(incident).case.status == "fed_back" and not fresh(incident).verify_photos
    steps.incident_verify(actor=other_worker, incident=fresh(incident), passed=True, photos=PHOTO)
    assert fresh(incident).case.status == "closed"


def test_a_failed_verification_sends_it_back_for_rework(categories, personas: Personas, staff: GridStaff,
                                                        clock: Clock) -> None:
    incident = dispatched(personas, staff)
    steps.incident_handle(actor=staff.handler, incident=incident, result="已处理", photos=PHOTO)
    clock.advance(hours=30)
    with pytest.raises(FieldError) as caught:
        steps.incident_verify(actor=personas.grid_worker_a, incident=fresh(incident), passed=False, photos=PHOTO)
    assert caught.value.field == "reason"
    steps.incident_verify(actor=personas.grid_worker_a, incident=fresh(incident), passed=False, photos=PHOTO,
                          reason="垃圾仍未清运")
    incident = fresh(incident)
    case = incident.case
    assert case.status == "dispatched" and incident.rework_count == 1
    assert case.handler == staff.handler  # back to whoever held it
    assert case.deadline_started_at == clock.now and case.deadline_due_at == clock.now + dt.timedelta(hours=24)
    assert any("返工" in t and "垃圾仍未清运" in t for t in sms_delivered_to(staff.handler.mobile or ""))
    steps.incident_handle(actor=staff.handler, incident=incident, result="已彻底清运", photos=PHOTO)
    steps.incident_verify(actor=personas.grid_worker_a, incident=fresh(incident), passed=True, photos=PHOTO)
    assert fresh(incident).case.status == "closed" and fresh(incident).rework_count == 1


def test_a_wrong_dispatch_is_returned_with_a_reason_and_dispatched_again(categories, personas: Personas,
                                                                         staff: GridStaff) -> None:
    incident = dispatched(personas, staff)
    with pytest.raises(FieldError) as caught:
        steps.incident_return(actor=staff.handler, incident=incident, reason="")
    assert caught.value.field == "reason"
    with pytest.raises(Forbidden):  # held by the handler: nobody else returns it
        steps.incident_return(actor=staff.village_leader, incident=fresh(incident), reason="不归我管")
    steps.incident_return(actor=staff.handler, incident=fresh(incident), reason="不属于本中队职责")
    case = fresh(incident).case
    assert case.status == "registered" and case.handler is None and case.handler_unit is None
    entry = AuditEntry.objects.filter(subject=case.number, action="return").get()
    assert entry.reason == "不属于本中队职责"
    steps.incident_dispatch(actor=staff.dispatcher, incident=fresh(incident), unit=staff.department)
    assert fresh(incident).case.handler_unit == staff.department


def test_an_extension_moves_the_deadline_and_a_refusal_does_not(categories, personas: Personas,
                                                                staff: GridStaff, clock: Clock) -> None:
    incident = dispatched(personas, staff)
    due = fresh(incident).case.deadline_due_at
    assert due is not None
    with pytest.raises(FieldError) as caught:
        steps.incident_extension_request(actor=staff.handler, incident=incident, value=0, reason="等待清运车")
    assert caught.value.field == "value"
    steps.incident_extension_request(actor=staff.handler, incident=fresh(incident), value=12, reason="等待清运车")
    case = fresh(incident).case
    assert case.status == "extension_requested" and case.handler is None  # in the dispatcher's queue
    with pytest.raises(Conflict):
        steps.incident_extension_decide(actor=staff.dispatcher, incident=fresh(incident), approve=True,
                                        expected_version=1)
    steps.incident_extension_decide(actor=staff.dispatcher, incident=fresh(incident), approve=True)
    case = fresh(incident).case
    assert case.status == "dispatched" and case.handler == staff.handler
    assert case.deadline_due_at == due + dt.timedelta(hours=12) and case.deadline_limit == 36
    assert IncidentExtension.objects.get().status == ExtensionStatus.APPROVED
    steps.incident_extension_request(actor=staff.handler, incident=fresh(incident), value=6, reason="再等等")
    with pytest.raises(FieldError) as caught:
        steps.incident_extension_decide(actor=staff.dispatcher, incident=fresh(incident), approve=False)
    assert caught.value.field == "reason"
    steps.incident_extension_decide(actor=staff.dispatcher, incident=fresh(incident), approve=False,
                                    reason="时限充足")
    assert fresh(incident).case.deadline_due_at == due + dt.timedelta(hours=12)
    assert audit_verify()[1] == []


def test_a_lost_race_is_a_409_and_changes_nothing(categories, personas: Personas, staff: GridStaff) -> None:
    incident = report(personas.grid_worker_a)
    stale = fresh(incident)
    steps.incident_register(actor=staff.dispatcher, incident=incident)
    with pytest.raises(Conflict):
        steps.incident_reject(actor=staff.dispatcher, incident=stale, reason="重复")
    assert fresh(incident).case.status == "registered"
    assert Case.objects.get(pk=incident.case_id).version == 2


def test_reassignment_by_the_dispatcher(categories, personas: Personas, staff: GridStaff) -> None:
    incident = dispatched(personas, staff)
    with pytest.raises(Forbidden):
        steps.incident_reassign(actor=personas.grid_worker_a, incident=incident, unit=staff.squad, reason="x")
    steps.incident_reassign(actor=staff.dispatcher, incident=incident, unit=staff.squad, reason="改由中队处置")
    assert fresh(incident).case.handler_unit == staff.squad
    assert CaseHandoff.objects.filter(case=incident.case, handler_unit=staff.squad).exists()


def test_a_citizen_merges_their_own_report_only_into_an_offered_duplicate(categories, personas: Personas,
                                                                          staff: GridStaff) -> None:
    near = report(personas.grid_worker_a)
    far = report(personas.grid_worker_a, point=(119.51, 31.91))
    with pytest.raises(FieldError) as caught:  # not offered to them: too far away
        report(personas.citizen, point=(POINT_A[0] + 0.0001, POINT_A[1]), merge_into=far.case.number)
    assert caught.value.field == "into" and Incident.objects.count() == 2
    mine = report(personas.citizen, point=(POINT_A[0] + 0.0001, POINT_A[1]), merge_into=near.case.number)
    mine = fresh(mine)
    assert mine.case.status == "merged" and mine.merged_into == near and mine.source == "citizen"
    entry = AuditEntry.objects.get(subject=mine.case.number, action="merge")
    assert entry.data is not None and entry.data.get("by_applicant") is True


def test_the_generic_casework_endpoint_refuses_incidents(categories, personas: Personas, staff: GridStaff,
                                                         client) -> None:
    incident = report(personas.grid_worker_a)
    client.force_login(staff.dispatcher)
    response = client.post(f"/api/v1/casework/cases/{incident.case.number}/transitions",
                           {"action": "register"}, content_type="application/json")
    assert response.status_code == 403 and fresh(incident).case.status == "reported"
