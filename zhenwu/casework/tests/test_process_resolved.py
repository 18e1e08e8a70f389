"""A definition built by a resolver is kept for the process's life, and forgotten between tests."""

from __future__ import annotations

from typing import Any

import pytest

from zhenwu.casework import process as p


def _definition(state: str) -> dict[str, Any]:
    return {"key": "tk:resolved", "label": "resolved",
            "states": [{"key": state, "label": state, "start": True},
                       {"key": "done", "label": "done", "terminal": True}],
            "actions": [{"key": "finish", "label": "finish", "from": [state], "to": "done", "roles": ["window_clerk"]}]}


@pytest.mark.django_db
def test_a_resolved_definition_is_built_once_and_forgotten_on_request() -> None:
    source = {"state": "open"}
    calls: list[str] = []

    def resolve(key: str) -> dict[str, Any]:
        calls.append(key)
        return _definition(source["state"])

    saved = dict(p._RESOLVERS)
    p.process_resolver_register("tk:", resolve)
    try:
        assert p.process_get("tk:resolved").start.key == "open"
        source["state"] = "opened"  # e.g. a rolled-back row, recreated with other content
        assert p.process_get("tk:resolved").start.key == "open"  # cached: built once
        assert calls == ["tk:resolved"]
        p.process_forget_resolved()
        assert p.process_get("tk:resolved").start.key == "opened"
    finally:
        p.process_forget_resolved()
        p._RESOLVERS.clear()
        p._RESOLVERS.update(saved)
