"""The incident process ``grid:incident:v1`` as data (DOMAIN.md 一网治理: seven steps plus self-closure,
return, extension, escalation).

    reported ─register─▶ registered ─dispatch─▶ dispatched ─handle─▶ fed_back ─verify_pass─▶ closed
      │ ├─reject─▶ rejected        ▲   └─return─▶ registered       │                          │
      │ └─merge──▶ merged          └────── verify_fail (rework) ───┘               evaluate ─▶ evaluated
      └─self_close─▶ closed   (categories that allow it; a photo after is required)

An extension request takes the case to 延期审批 (the dispatcher's queue, the clock running); approval
pushes the due time out (the kernel's ``deadline_extend``) and hands the case back to its holder.

Clocks: filing passes a dispatch limit (``GRID_DISPATCH_LIMIT_HOURS``) to ``case_create``; ``dispatch``
and a failed verification pass the category version's own limit (``DeadlineSpec``), so the category's
limit starts at dispatch. ``fed_back`` and ``closed`` stop the clock. Escalation up the area tree is not
a move of the case (``services.escalation``: the level changes, an audit entry records it).
"""

from __future__ import annotations

from typing import Any

KIND = "SJ"  # case numbers SJ-…, registered in apps.py
PREFIX = "grid:"
INCIDENT_PROCESS = "grid:incident:v1"

# Roles (accounts.choices.Role values) of each step.
DISPATCH_ROLES = ["dispatcher", "leader", "admin"]
REPORT_ROLES = ["grid_worker", "grid_leader"]
HANDLER_ROLES = ["enforcement_officer", "grid_leader", "grid_worker", "village_staff", "info_officer",
                 "dispatcher", "leader"]
VERIFY_ROLES = ["grid_worker", "grid_leader"]
EVALUATE_ROLES = ["dispatcher", "leader", "supervisor", "admin"]

# Effects (effects.py), run by transition() inside its transaction (outbox rows commit with the step).
NOTIFY_OUTCOME = "grid.notify_outcome"  # reporter and the reporters of merged reports: the outcome
NOTIFY_MERGED = "grid.notify_merged"  # the reporter of a merged report: merged into which incident
NOTIFY_DISPATCHED = "grid.notify_dispatched"  # the handler (person or unit's staff): a new task
NOTIFY_REWORK = "grid.notify_rework"  # the handler: verification failed, rework
NOTIFY_VERIFY = "grid.notify_verify"  # the reporting grid worker: please verify on site
EFFECTS = (NOTIFY_OUTCOME, NOTIFY_MERGED, NOTIFY_DISPATCHED, NOTIFY_REWORK, NOTIFY_VERIFY)

OPEN_STATES = ("reported", "registered", "dispatched", "extension_requested", "fed_back")
FINISHED_STATES = ("closed", "evaluated", "rejected", "merged")
LABELS = {"reported": "待立案", "registered": "已立案", "dispatched": "处置中", "extension_requested": "延期审批",
          "fed_back": "待核查",
          "closed": "已结案", "evaluated": "已评价", "rejected": "不予立案", "merged": "已合并"}


def _action(key: str, label: str, sources: list[str], target: str, roles: list[str],
            **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "from": sources, "to": target, "roles": roles, **extra}


def definition() -> dict[str, Any]:
    """The incident process (plain data)."""
    states = [{"key": "reported", "label": LABELS["reported"], "start": True},
              {"key": "registered", "label": LABELS["registered"]},
              {"key": "dispatched", "label": LABELS["dispatched"]},
              {"key": "extension_requested", "label": LABELS["extension_requested"]},
              {"key": "fed_back", "label": LABELS["fed_back"], "stops_clock": True},
              {"key": "closed", "label": LABELS["closed"], "stops_clock": True},
              {"key": "evaluated", "label": LABELS["evaluated"], "terminal": True},
              {"key": "rejected", "label": LABELS["rejected"], "terminal": True},
              {"key": "merged", "label": LABELS["merged"], "terminal": True}]
    actions = [
        _action("register", "立案", ["reported"], "registered", DISPATCH_ROLES),
        _action("reject", "不予立案", ["reported"], "rejected", DISPATCH_ROLES, required=["reason"],
                effects=[NOTIFY_OUTCOME]),
        _action("merge", "合并", ["reported", "registered"], "merged", [*DISPATCH_ROLES, *REPORT_ROLES],
                required=["into"], effects=[NOTIFY_MERGED]),
        _action("self_close", "自行处置", ["reported"], "closed", REPORT_ROLES, required=["result", "photos"],
                effects=[NOTIFY_OUTCOME]),
        _action("dispatch", "派遣", ["registered"], "dispatched", DISPATCH_ROLES, effects=[NOTIFY_DISPATCHED]),
        _action("return", "退回", ["dispatched"], "registered", HANDLER_ROLES, required=["reason"]),
        _action("request_extension", "申请延期", ["dispatched"], "extension_requested", HANDLER_ROLES,
                required=["reason", "value"]),
        _action("approve_extension", "批准延期", ["extension_requested"], "dispatched", DISPATCH_ROLES,
                effects=[NOTIFY_DISPATCHED]),
        _action("refuse_extension", "驳回延期", ["extension_requested"], "dispatched", DISPATCH_ROLES,
                required=["reason"], effects=[NOTIFY_DISPATCHED]),
        _action("handle", "处理反馈", ["dispatched"], "fed_back", HANDLER_ROLES, required=["result", "photos"],
                effects=[NOTIFY_VERIFY]),
        _action("verify_pass", "核查通过", ["fed_back"], "closed", VERIFY_ROLES, required=["photos"],
                effects=[NOTIFY_OUTCOME]),
        _action("verify_fail", "核查不通过", ["fed_back"], "dispatched", VERIFY_ROLES, required=["reason", "photos"],
                effects=[NOTIFY_REWORK]),
        _action("evaluate", "综合评价", ["closed"], "evaluated", EVALUATE_ROLES, required=["score"]),
    ]
    return {"key": INCIDENT_PROCESS, "label": "网格事件处置", "states": states, "actions": actions}


def incident_page(case: Any) -> str:
    """The incident's staff page (``grid:incident``) once the pages exist; until then its API detail."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("grid:incident", kwargs={"number": case.number})
    except NoReverseMatch:
        return f"/api/v1/grid/incidents/{case.number}"
