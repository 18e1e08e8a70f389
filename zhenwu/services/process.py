"""The casework process of each service-item version, derived from its review chain.

Keys: ``services:<item code>:v<version>`` (window and village proxy: starts at 待受理) and the same
with ``:pre`` (online and kiosk: starts at 预审). Definitions are built from the database on first
use in each process (``process_resolver_register``), so they survive restarts and new versions.

The deadline (promised working days) starts when the case enters its first handling state, i.e. at
受理; 补正 and 特别程序 pause it, and the kernel's ``resume`` (补正到位, 恢复) takes the case back to the
state it paused from (``Case.paused_from``); 办结 and 不予许可 stop it (``stops_clock``) while the case waits for
出件, which ends it. The kind ``SQ`` is registered (``apps.py``) as moving only through this app's
services (which keep the application row in step): the generic casework endpoint refuses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhenwu.casework.process import process_resolver_register
from zhenwu.services.choices import ApplicationChannel, ReviewStep, Status

KIND = "SQ"  # the case kind of applications (case numbers SQ-…), registered in apps.py
PREFIX = "services:"
STEP_ROLES = {ReviewStep.FIRST_REVIEW: "reviewer", ReviewStep.SECOND_REVIEW: "reviewer",
              ReviewStep.APPROVAL: "leader"}
LABELS = {Status.PRECHECK: "预审", Status.SUBMITTED: "待受理", Status.SUPPLEMENT: "补正",
          Status.ACCEPTED: "办理", Status.FIRST_REVIEW: "初审", Status.SECOND_REVIEW: "复审",
          Status.APPROVAL: "审批", Status.SPECIAL: "特别程序", Status.FINISHED: "办结",
          Status.DENIED: "不予许可", Status.DELIVERED: "出件", Status.REJECTED: "不予受理",
          Status.WITHDRAWN: "撤回"}


def process_key(code: str, version: int, channel: str) -> str:
    pre = channel in (ApplicationChannel.ONLINE, ApplicationChannel.KIOSK)
    return f"{PREFIX}{code}:v{version}" + (":pre" if pre else "")


def handling_states(chain: list[str], promised: int) -> list[str]:
    """States after 受理: the chain, or one 办理 state when the chain is empty; none for 即办件."""
    if promised == 0:
        return []
    return list(chain) or [Status.ACCEPTED.value]


# Effects (``effects.py``, run by the kernel's transition(), in the order listed on each action).
ACCEPTED = "services.sms_accepted"  # 受理: number and 查询码
REJECTED = "services.sms_rejected"  # 不予受理: the reason
SUPPLEMENT = "services.sms_supplement"  # 一次性补正告知: every missing material
DECIDED = "services.sms_decided"  # 准予 / 不予许可: the result is ready
RATING_LINK = "services.sms_rating_link"  # 出件: the signed link to rate
STATS_DECIDED = "services.stats_decided"  # the day's statistics count the decision
SUPERVISION = "services.supervision_open"  # 审管联动 task for an approved supervised item
DECISION_EFFECTS = [STATS_DECIDED, DECIDED]

SUPPLY_ROLES = ["window_clerk", "village_staff"]  # 补正到位 (the applicant's own account too, by_applicant)
SPECIAL_ROLES = ["window_clerk", "reviewer", "leader"]


def _resume(label: str, roles: list[str]) -> dict[str, Any]:
    """Who ends a pause and what it is called; the kernel's ``resume`` goes back where the pause began."""
    return {"label": label, "roles": roles}


def _state(key: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": LABELS[Status(key)], **extra}


def _action(key: str, label: str, sources: list[str], target: str, roles: list[str],
            **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "from": sources, "to": target, "roles": roles, **extra}


def _states(handling: list[str], promised: int, pre: bool) -> list[dict[str, Any]]:
    states = [_state("precheck", start=True)] if pre else []
    states += [_state("submitted", start=not pre),
               _state("supplement", pauses_clock=True, resume=_resume("补正到位", SUPPLY_ROLES))]
    for i, key in enumerate(handling):
        limit = {"unit": "working_days", "value": promised} if i == 0 else None
        states.append(_state(key, **({"limit": limit} if limit else {})))
    if handling:
        states += [_state("special", pauses_clock=True, resume=_resume("恢复", SPECIAL_ROLES)),
                   _state("denied", stops_clock=True)]
    states += [_state("finished", stops_clock=True), _state("delivered", terminal=True),
               _state("rejected", terminal=True), _state("withdrawn", terminal=True)]
    return states


def step_roles(step: str) -> list[str]:
    """Who works a case in this state: the review step's role, else the window (or a leader)."""
    return [STEP_ROLES[ReviewStep(step)]] if step in ReviewStep.values else ["window_clerk", "leader"]


_decision_roles = step_roles


def _handling_actions(handling: list[str]) -> list[dict[str, Any]]:
    actions = []
    for here, after in zip(handling, handling[1:], strict=False):
        actions.append(_action(f"forward_{here}", LABELS[Status(here)], [here], after, _decision_roles(here),
                               required=["opinion"]))
    if handling:
        last = handling[-1]
        roles = _decision_roles(last)
        actions += [_action("approve", "准予", [last], "finished", roles,
                            effects=[STATS_DECIDED, SUPERVISION, DECIDED]),
                    _action("deny", "不予许可", [last], "denied", roles, effects=DECISION_EFFECTS),
                    _action("special_pause", "特别程序", handling, "special", SPECIAL_ROLES)]
    return actions


def definition(*, code: str, version: int, chain: list[str], promised: int, pre: bool) -> dict[str, Any]:
    """The process definition (plain data) of one item version and channel family."""
    handling = handling_states(chain, promised)
    before = (["precheck"] if pre else []) + ["submitted"]
    actions = [_action("precheck_pass", "预审通过", ["precheck"], "submitted", ["window_clerk"])] if pre else []
    actions += [
        _action("reject", "不予受理", before, "rejected", ["window_clerk"], effects=[REJECTED]),
        _action("request_supplement", "一次性补正告知", before + handling, "supplement",
                ["window_clerk", "reviewer", "leader"], required=["missing"], effects=[SUPPLEMENT]),
        # 即办件: accepted is decided, and the statistics count the decision
        _action("accept", "受理", ["submitted"], handling[0] if handling else "finished", ["window_clerk"],
                effects=[ACCEPTED] if handling else [STATS_DECIDED, ACCEPTED]),
        _action("withdraw", "撤回", [*before, "supplement", *handling] + (["special"] if handling else []),
                "withdrawn", ["window_clerk"]),
        _action("deliver", "出件", ["finished"] + (["denied"] if handling else []), "delivered",
                ["window_clerk"], effects=[RATING_LINK]),
    ]
    actions += _handling_actions(handling)
    key = f"{PREFIX}{code}:v{version}" + (":pre" if pre else "")
    return {"key": key, "label": f"一窗受理 {code} v{version}",
            "states": _states(handling, promised, pre), "actions": actions}


def _resolve(key: str) -> Mapping[str, Any] | None:
    from zhenwu.services.models import ServiceItemVersion

    parts = key[len(PREFIX):].split(":")
    if len(parts) not in (2, 3) or not parts[1].startswith("v") or not parts[1][1:].isdigit():
        return None
    version = ServiceItemVersion.objects.filter(item__code=parts[0], number=int(parts[1][1:])).first()
    if version is None:
        return None
    return definition(code=parts[0], version=version.number, chain=list(version.chain),
                      promised=version.promised_limit_days, pre=len(parts) == 3 and parts[2] == "pre")


def register_hooks() -> None:
    """Called from the app config: the resolver of ``services:`` keys."""
    process_resolver_register(PREFIX, _resolve)
