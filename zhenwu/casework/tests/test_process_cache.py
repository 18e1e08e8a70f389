"""Stored definitions are read once and kept; saving or deleting one takes effect at once in this process."""

from typing import Any

import pytest

from zhenwu.casework.models import ProcessDefinitionRecord
from zhenwu.casework.process import GENERIC, process_get


def shortened() -> dict[str, Any]:
    states: list[dict[str, Any]] = GENERIC["states"]  # type: ignore[assignment]
    actions: list[dict[str, Any]] = GENERIC["actions"]  # type: ignore[assignment]
    return {**GENERIC, "states": [s for s in states if s["key"] != "supplement"],
            "actions": [a for a in actions if a["key"] in ("accept", "close")]}


@pytest.mark.django_db
def test_it_does_not_query_the_stored_definitions_on_every_call(django_assert_num_queries):
    process_get("generic")
    with django_assert_num_queries(0):
        process_get("generic")


@pytest.mark.django_db
def test_a_saved_or_deleted_definition_takes_effect_at_once():
    assert "request_supplement" in process_get("generic").actions
    record = ProcessDefinitionRecord.objects.create(key="generic", definition=shortened())
    assert set(process_get("generic").actions) == {"accept", "close"}
    record.delete()
    assert "request_supplement" in process_get("generic").actions


@pytest.mark.django_db
def test_another_process_sees_an_edit_after_the_cache_period(settings):
    process_get("generic")
    # Written behind this process's back (no signal here), as another web process would.
    ProcessDefinitionRecord.objects.bulk_create([ProcessDefinitionRecord(key="generic", definition=shortened())])
    assert "request_supplement" in process_get("generic").actions
    settings.PROCESS_CACHE_SECONDS = 0
    assert set(process_get("generic").actions) == {"accept", "close"}
