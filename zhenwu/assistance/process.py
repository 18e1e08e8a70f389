"""The assistance case kind ``JZ`` (救助申请) and its two processes, as data.

The full review (低保, 特困供养, 支出型救助; 最低生活保障审核确认办法, 民发〔2021〕57号) ``assistance:full:v1``::

    申请 submitted ─accept─▶ 家庭经济状况核对 checking ─check─▶ 入户调查 surveying ─survey─▶ 民主评议 appraisal
      ─appraise─▶ 公示 publicity ─close_publicity (the 7 days are over)─▶ 审核确认 confirming
      ─approve─▶ 发放 paying ─pay─▶ 救助中 granted ─review_start─▶ 动态复核 reviewing
      reviewing ─review_continue─▶ granted | ─review_stop─▶ 停止救助 stopped
    submitted ─reject─▶ 不予受理 rejected; checking … confirming ─deny─▶ 不予批准 denied;
    anything before the decision ─withdraw─▶ 撤回 withdrawn

The short review (临时救助, 医疗救助, 教育救助: no appraisal, no publicity, no periodic review)
``assistance:short:v1`` goes surveying ─survey─▶ confirming ─approve─▶ paying ─pay─▶ 已发放 paid.

Both are built from one list of steps (``STEPS``): the step limits are settings in working days. The kind
moves only through this app's services (``own_services_only``), which keep the pillar's row in step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from zhenwu.assistance.choices import ApplicationKind
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Case
from zhenwu.casework.process import process_register

KIND = "JZ"
PREFIX = "assistance:"
FULL = f"{PREFIX}full:v1"
SHORT = f"{PREFIX}short:v1"
FULL_KINDS = (ApplicationKind.DIBAO, ApplicationKind.TEKUN, ApplicationKind.EXPENDITURE)

CIVIL = ["civil_affairs"]
# the village worker; policy.py narrows it to the household's grid or village
VILLAGE = ["civil_affairs", "village_staff", "grid_worker", "grid_leader"]

# guard names (registered in guards.py)
SURVEY_PHOTOS = "assistance.survey_photos"
APPRAISAL_QUORUM = "assistance.appraisal_quorum"
PUBLICITY_OVER = "assistance.publicity_over"
AMOUNT_SET = "assistance.amount_set"

# effect names (registered in effects.py)
SMS_ACCEPTED = "assistance.sms_accepted"
SMS_DECIDED = "assistance.sms_decided"

DECIDED = ("paying", "granted", "reviewing", "stopped", "paid", "denied", "rejected", "withdrawn")
ACTIVE_GRANT = ("paying", "granted", "reviewing")  # the household receives this kind (or is about to)


def _limit(setting: str) -> dict[str, Any]:
    return {"unit": DeadlineUnit.WORKING_DAYS.value, "value": getattr(settings, setting)}


def _state(key: str, label: str, limit: str = "", **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, **({"limit": _limit(limit)} if limit else {}), **extra}


def _act(key: str, label: str, sources: list[str], target: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "from": sources, "to": target, "roles": roles, **extra}


# (state, label, limit setting, the action leaving it, its label, roles, required fields, guards, effects)
STEPS: list[tuple[str, str, str, str, str, list[str], list[str], list[str], list[str]]] = [
    ("submitted", "申请", "ASSISTANCE_ACCEPT_WORKING_DAYS", "accept", "受理", CIVIL, [], [], [SMS_ACCEPTED]),
    ("checking", "家庭经济状况核对", "ASSISTANCE_CHECK_WORKING_DAYS", "check", "核对完成", CIVIL, [], [], []),
    ("surveying", "入户调查", "ASSISTANCE_SURVEY_WORKING_DAYS", "survey", "入户调查完成", VILLAGE,
     ["living_conditions", "findings"], [SURVEY_PHOTOS], []),
    ("appraisal", "民主评议", "ASSISTANCE_APPRAISAL_WORKING_DAYS", "appraise", "民主评议完成", VILLAGE,
     ["held_on", "participants", "votes_for", "votes_against", "amount"], [APPRAISAL_QUORUM], []),
    ("publicity", "公示", "ASSISTANCE_PUBLICITY_WORKING_DAYS", "close_publicity", "公示期满", CIVIL, [],
     [PUBLICITY_OVER], []),
    ("confirming", "审核确认", "ASSISTANCE_CONFIRM_WORKING_DAYS", "approve", "批准", CIVIL, ["amount"],
     [AMOUNT_SET], [SMS_DECIDED]),
    ("paying", "发放", "ASSISTANCE_PAY_WORKING_DAYS", "pay", "发放", CIVIL, ["paid_from"], [], []),
]
SHORT_SKIPS = ("appraisal", "publicity")
BEFORE_DECISION = ["submitted", "checking", "surveying", "appraisal", "publicity", "confirming"]


def _definition(key: str, label: str, full: bool) -> dict[str, Any]:
    steps = [s for s in STEPS if full or s[0] not in SHORT_SKIPS]
    states = [_state(s[0], s[1], s[2], **({"start": True} if i == 0 else {})) for i, s in enumerate(steps)]
    end = ("granted", "救助中") if full else ("paid", "已发放")
    states.append(_state(*end, stops_clock=True) if full else _state(*end, terminal=True))
    actions = []
    for i, (state, _label, _lim, action, act_label, roles, required, guards, effects) in enumerate(steps):
        target = steps[i + 1][0] if i + 1 < len(steps) else end[0]
        actions.append(_act(action, act_label, [state], target, roles, required=required, guards=guards,
                            effects=effects))
    pending = [s for s in BEFORE_DECISION if full or s not in SHORT_SKIPS]
    states += [_state("rejected", "不予受理", terminal=True), _state("denied", "不予批准", terminal=True),
               _state("withdrawn", "撤回", terminal=True)]
    actions += [_act("reject", "不予受理", ["submitted"], "rejected", CIVIL, required=["reason"]),
                _act("deny", "不予批准", pending[1:], "denied", CIVIL, required=["reason"], effects=[SMS_DECIDED]),
                _act("withdraw", "撤回申请", pending, "withdrawn", VILLAGE, required=["reason"])]
    if full:
        states += [_state("reviewing", "动态复核", "ASSISTANCE_REVIEW_WORKING_DAYS"),
                   _state("stopped", "停止救助", terminal=True)]
        actions += [_act("review_start", "开始动态复核", ["granted"], "reviewing", CIVIL),
                    _act("review_continue", "复核：继续救助", ["reviewing"], "granted", CIVIL,
                         required=["findings", "amount"]),
                    _act("review_stop", "复核：停止救助", ["reviewing"], "stopped", CIVIL, required=["reason"])]
    return {"key": key, "label": label, "states": states, "actions": actions}


def full_definition() -> dict[str, Any]:
    return _definition(FULL, "社会救助审核确认（完整程序）", full=True)


def short_definition() -> dict[str, Any]:
    return _definition(SHORT, "社会救助审核确认（简易程序）", full=False)


def process_for(kind: str) -> str:
    return FULL if kind in FULL_KINDS else SHORT


def case_page(case: Case) -> str:
    return reverse("assistance:application", kwargs={"number": case.number})


def register() -> None:
    """Both processes (from ``AssistanceConfig.ready()``, after the kind, guards and effects)."""
    process_register(full_definition())
    process_register(short_definition())
