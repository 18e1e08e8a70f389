"""Case kinds: a kind defined only here is registered, filed, moved and mapped to its page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhenwu.casework import kinds
from zhenwu.casework import process as processes
from zhenwu.casework.kinds import case_url, kind_get, kind_register, kinds_isolated
from zhenwu.casework.models import CasePause
from zhenwu.casework.process import ProcessDefinitionError, process_load, process_register
from zhenwu.casework.services import case_create
from zhenwu.errors import FieldError, render
from zhenwu.testing import GRID_A, TEST_KIND

API = "/api/v1/casework"

HEARING: dict[str, Any] = {
    "key": "zt:hearing", "label": "Test kind with a hearing",
    "states": [{"key": "opened", "label": "立案", "start": True, "limit": {"unit": "working_days", "value": 3}},
               {"key": "hearing", "label": "听证", "pauses_clock": True},
               {"key": "decided", "label": "决定", "terminal": True}],
    "actions": [{"key": "hold_hearing", "label": "听证", "from": ["opened"], "to": "hearing",
                 "roles": ["grid_worker"]},
                {"key": "decide", "label": "决定", "from": ["opened"], "to": "decided", "roles": ["grid_worker"],
                 "required": ["opinion"]}],
}


@pytest.fixture
def test_kind() -> Iterator[kinds.CaseKind]:
    """Kind ZT with its own process and page, gone again after the test."""
    with kinds_isolated():
        kind = kind_register(code="ZT", label="Hearing case", process_prefix="zt:",
                             page=lambda case: f"/zt/{case.number}/")
        process_register(HEARING)
        try:
            yield kind
        finally:
            processes._PROCESSES.pop(HEARING["key"], None)
    assert kind_get("ZT") is None


def as_user(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_kind_defined_in_a_test_is_filed_moved_and_mapped_to_its_page(client, personas, test_kind):
    case = case_create(kind="ZT", process="zt:hearing", area_code=GRID_A, title="占道经营", actor=personas.town_staff)
    assert case.number.startswith("ZT-") and case.kind == "ZT"
    assert case_url(case) == f"/zt/{case.number}/" and kinds.case_pillar(case) is None
    url = f"{API}/cases/{case.number}/transitions"
    as_user(client, personas.grid_worker_a)
    for action in ("hold_hearing", "resume"):
        assert client.post(url, {"action": action}, content_type="application/json").status_code == 200
    done = client.post(url, {"action": "decide", "fields": {"opinion": "罚款"}}, content_type="application/json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["status"], body["version"], body["kind_label"], body["page_url"]) == (
        "decided", 4, "Hearing case", f"/zt/{case.number}/")
    assert CasePause.objects.filter(case=case, state="hearing").count() == 1


@pytest.mark.django_db
def test_the_generic_endpoint_refuses_a_kind_that_moves_only_through_its_own_services(client, personas):
    with kinds_isolated():
        kind_register(code="ZS", label="Own-services case", process_prefix="zs:", own_services_only=True)
        case = case_create(kind="ZS", process="generic", area_code=GRID_A, title="x", actor=personas.town_staff)
        answer = as_user(client, personas.grid_worker_a).post(
            f"{API}/cases/{case.number}/transitions", {"action": "accept"}, content_type="application/json")
    assert answer.status_code == 403
    error = answer.json()["errors"][0]
    assert error["field"] == "action" and "only through" in error["message_en"] and "只能" in error["message"]
    case.refresh_from_db()
    assert (case.status, case.version) == ("registered", 1)


def test_registering_a_kind_code_twice_is_refused():
    with kinds_isolated():
        kind_register(code="ZD", label="one", process_prefix="zd:")
        with pytest.raises(ImproperlyConfigured, match="ZD is registered twice"):
            kind_register(code="ZD", label="two", process_prefix="zd2:")
        with pytest.raises(ImproperlyConfigured, match="both claim process prefix"):
            kind_register(code="ZE", label="three", process_prefix="zd:")
        with pytest.raises(ImproperlyConfigured, match="upper-case"):
            kind_register(code="zf", label="four", process_prefix="zf:")
        with pytest.raises(ImproperlyConfigured, match="no one-to-one field"):
            kind_register(code="ZX", label="five", process_prefix="zx:", model=CasePause)  # a ForeignKey only
    assert kind_get("ZD") is None


def test_a_process_whose_prefix_names_no_kind_is_refused():
    with pytest.raises(ProcessDefinitionError) as refused:
        process_load({**HEARING, "key": "nokind:hearing"})
    assert isinstance(refused.value, ValueError)
    assert [render(p, "en") for p in refused.value.problems] == [
        "process 'nokind:hearing': no case kind is registered for the prefix 'nokind:'."]
    with kinds_isolated():
        kind_register(code="ZN", label="n", process_prefix="nokind:")
        assert process_load({**HEARING, "key": "nokind:hearing"}).key == "nokind:hearing"


@pytest.mark.django_db
def test_a_case_of_an_unknown_kind_or_of_another_kinds_process_is_refused(personas, test_kind):
    with pytest.raises(FieldError) as unknown:
        case_create(kind="QQ", process="generic", area_code=GRID_A, title="x", actor=personas.town_staff)
    assert unknown.value.field == "kind"
    with pytest.raises(FieldError) as foreign:
        case_create(kind=TEST_KIND, process="zt:hearing", area_code=GRID_A, title="x", actor=personas.town_staff)
    assert foreign.value.field == "process"
