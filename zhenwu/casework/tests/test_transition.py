import copy

import pytest
from django.db.models import F

from zhenwu.casework.models import Case, CasePause
from zhenwu.casework.process import GENERIC, effect_register, guard_register, process_register
from zhenwu.casework.services import transition
from zhenwu.errors import Conflict, FieldError, Forbidden, NotFound
from zhenwu.testing import GRID_B, local


@pytest.mark.django_db
def test_it_moves_the_case_and_bumps_the_version(personas, make_case, clock):
    case = make_case()
    assert (case.status, case.version, case.light) == ("registered", 1, "green")
    transition(actor=personas.grid_worker_a, case=case, action="accept", request_id="r1")
    case.refresh_from_db()
    assert (case.status, case.version) == ("handling", 2)
    assert (case.deadline_unit, case.deadline_limit) == ("hours", 48)
    assert case.deadline_due_at == local(2025, 10, 2, 10, 0)


@pytest.mark.django_db
def test_it_rejects_an_action_not_possible_from_this_state(personas, make_case):
    with pytest.raises(FieldError) as err:
        transition(actor=personas.town_staff, case=make_case(), action="close", fields={"opinion": "ok"})
    assert err.value.field == "action" and err.value.status == 400


@pytest.mark.django_db
def test_it_rejects_a_role_that_is_not_allowed(personas, make_case):
    with pytest.raises(Forbidden):
        transition(actor=personas.county_staff, case=make_case(), action="accept")


@pytest.mark.django_db
def test_it_hides_a_case_outside_the_scope(personas, make_case):
    with pytest.raises(NotFound):
        transition(actor=personas.grid_worker_b, case=make_case(), action="accept")
    with pytest.raises(NotFound):
        transition(actor=personas.grid_worker_a, case=make_case(area_code=GRID_B), action="accept")


@pytest.mark.django_db
def test_it_names_a_missing_required_field(personas, make_case):
    case = make_case()
    transition(actor=personas.town_staff, case=case, action="accept")
    with pytest.raises(FieldError) as err:
        transition(actor=personas.town_staff, case=case, action="close", fields={"opinion": ""})
    assert err.value.field == "fields.opinion"


def _register_hooked(guard, effect):
    data = copy.deepcopy(GENERIC)
    data["key"] = "test_hooked"
    data["actions"][0].update(  # type: ignore[attr-defined]
        guards=["test_guard"], effects=["test_effect"])
    guard_register("test_guard", guard)
    effect_register("test_effect", effect)
    process_register(data)


@pytest.mark.django_db
def test_a_guard_can_refuse(personas, make_case):
    def refuse(**kw):
        raise FieldError("opinion", "not today")

    _register_hooked(refuse, lambda **kw: None)
    with pytest.raises(FieldError) as err:
        transition(actor=personas.town_staff, case=make_case(process="test_hooked"), action="accept")
    assert err.value.field == "opinion"


@pytest.mark.django_db
def test_a_lost_race_answers_409_and_writes_nothing(personas, make_case):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1)  # someone else won meanwhile
    with pytest.raises(Conflict) as err:
        transition(actor=personas.town_staff, case=case, action="accept")
    assert err.value.status == 409
    assert Case.objects.get(pk=case.pk).status == "registered"
    assert case.audit_entries.count() == 1


@pytest.mark.django_db
def test_a_pause_state_stops_the_clock_and_extends_on_resume(personas, make_case, clock):
    case = make_case()
    transition(actor=personas.town_staff, case=case, action="accept")  # 48 h from 9/30 10:00
    clock.advance(hours=1)
    transition(actor=personas.town_staff, case=case, action="request_supplement",
               fields={"missing": "身份证"})
    assert case.paused_at == clock.now
    clock.advance(hours=30)
    transition(actor=personas.town_staff, case=case, action="resume")
    case.refresh_from_db()
    assert case.paused_at is None and case.deadline_due_at == local(2025, 10, 3, 16, 0)
    assert CasePause.objects.get(case=case).extension == 30


@pytest.mark.django_db
def test_effects_run_after_commit(personas, make_case, django_capture_on_commit_callbacks):
    seen = []
    _register_hooked(lambda **kw: None, lambda **kw: seen.append(kw["case"].status))
    case = make_case(process="test_hooked")
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor=personas.town_staff, case=case, action="accept")
        assert seen == []
    assert seen == ["handling"]


@pytest.mark.django_db
def test_an_effect_that_fails_after_commit_is_logged_and_the_others_still_run(personas, make_case,
                                                                             django_capture_on_commit_callbacks):
    seen = []

    def fail(**kw):
        raise RuntimeError("gateway down")

    data = copy.deepcopy(GENERIC)
    data["key"] = "test_after_commit_failing"
    data["actions"][0]["effects"] = ["test_fails_after", "test_notes_after"]  # type: ignore[index]
    effect_register("test_fails_after", fail)
    effect_register("test_notes_after", lambda **kw: seen.append(kw["context"]["note"]))
    process_register(data)
    case = make_case(process="test_after_commit_failing")
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor=personas.town_staff, case=case, action="accept", effect_context={"note": "sent"})
    assert Case.objects.get(pk=case.pk).status == "handling" and seen == ["sent"]


@pytest.mark.django_db
def test_an_in_transaction_effect_that_fails_is_undone_alone_and_the_transition_stands(personas, make_case):
    def write_then_fail(*, case, **kw):
        CasePause.objects.create(case=case, state="x", started_at=case.updated_at, ended_at=case.updated_at)
        raise RuntimeError("broken effect")

    def write(*, case, context, **kw):
        assert "secret" not in str(case.audit_entries.last().data)  # the context is never audited
        Case.objects.filter(pk=case.pk).update(title=context["secret"])

    data = copy.deepcopy(GENERIC)
    data["key"] = "test_in_transaction_failing"
    data["actions"][0]["effects"] = ["test_fails_inside", "test_writes_inside"]  # type: ignore[index]
    effect_register("test_fails_inside", write_then_fail, in_transaction=True)
    effect_register("test_writes_inside", write, in_transaction=True)
    process_register(data)
    case = make_case(process="test_in_transaction_failing")
    transition(actor=personas.town_staff, case=case, action="accept", effect_context={"secret": "s3cret"})
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.title) == ("handling", "s3cret")  # ran at once, inside the transaction
    assert not CasePause.objects.filter(case=case, state="x").exists()  # the failed effect's write undone
    assert [e.action for e in case.audit_entries.order_by("seq")][-1] == "accept"
