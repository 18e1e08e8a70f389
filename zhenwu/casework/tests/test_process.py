import copy

import pytest
from django.utils import translation

from zhenwu.casework.models import ProcessDefinitionRecord
from zhenwu.casework.process import GENERIC, ProcessDefinitionError, process_get, process_load


def broken(**changes):
    data = copy.deepcopy(GENERIC)
    data.update(changes)
    return data


def problems(data):
    with pytest.raises(ProcessDefinitionError) as err, translation.override("en"):
        process_load(data)
    return " | ".join(err.value.problems)


def test_the_generic_process_is_valid():
    proc = process_load(GENERIC)
    assert proc.start.key == "registered" and proc.states["closed"].terminal


def test_it_rejects_an_unreachable_state():
    data = broken()
    data["states"].append({"key": "orphan", "terminal": True})
    assert "orphan cannot be reached" in problems(data)


def test_it_rejects_a_dead_end_that_is_not_terminal():
    data = broken()
    data["states"].append({"key": "stuck"})
    data["actions"].append({"key": "to_stuck", "from": "handling", "to": "stuck", "roles": ["reviewer"]})
    assert "stuck is not terminal and has no way out" in problems(data)


def test_it_rejects_an_action_into_an_unknown_state_and_lists_every_problem():
    data = broken()
    data["actions"].append({"key": "lost", "from": "handling", "to": "nowhere", "roles": ["nobody"]})
    text = problems(data)
    assert "unknown state 'nowhere'" in text and "unknown role 'nobody'" in text


def test_it_needs_exactly_one_start_state_and_valid_limits():
    data = broken()
    data["states"][1]["start"] = True
    data["states"][2]["limit"] = {"unit": "weeks", "value": 2}
    text = problems(data)
    assert "exactly one start state" in text and "a limit needs a unit" in text


@pytest.mark.django_db
def test_a_stored_definition_overrides_the_built_in_one():
    short = broken(label="short")
    short["actions"] = [a for a in short["actions"] if a["key"] in ("accept", "close")]
    short["states"] = [s for s in short["states"] if s["key"] != "supplement"]
    ProcessDefinitionRecord.objects.create(key="generic", definition=short)
    assert set(process_get("generic").actions) == {"accept", "close"}
