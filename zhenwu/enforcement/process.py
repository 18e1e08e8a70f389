"""The penalty case kind ``ZF`` (执法案件) and its two processes, as data.

简易程序 ``enforcement:summary:v1`` (Administrative Penalty Law Art. 51-52): the officer decides on the spot
(a warning, or a fine within Art. 51) — the case starts 当场决定 ``decided`` and is filed (备案) ``filed``.

普通程序 ``enforcement:general:v1``:

    待立案审批 registered ─approve_filing (leader)─▶ 调查 investigating (90 natural days, Art. 60)
      investigating ─test─▶ 检测鉴定 testing (pauses the clock) ─resume─▶ investigating
      investigating ─publish─▶ 公告 public_notice (pauses the clock) ─resume─▶ investigating
      investigating ─finish_investigation (≥ 2 certified investigators, none recused)─▶ 审核 reviewing
      reviewing ─legal_review (a legal reviewer who did not investigate)─▶ reviewing
      reviewing ─notify (事先告知: facts, basis, the penalty, the rights)─▶ 告知 notice
      notice ─hold_hearing (only with the right of Art. 63, asked for in time)─▶ 听证 hearing (pauses)
      hearing ─resume (leader)─▶ notice; notice ─legal_review─▶ notice (the case became major)
      notice ─decide (leader; guards below)─▶ 已决定 decided (7 working days to serve, Art. 61)
      decided ─serve─▶ 已送达 served (15 natural days to pay, Art. 67) ─pay─▶ 已缴款 paid ─close─▶ 结案 closed
      served ─request_payment_plan─▶ 缓缴/分期审批 plan_review ─approve_payment_plan (leader)─▶ 按批准缴纳
      on_plan (─pay_instalment─▶ on_plan; the last one pays) | ─refuse_payment_plan─▶ served (Art. 66)
      served | on_plan ─demand (催告, once overdue)─▶ 已催告 demanded ─apply_court (leader, in the window)─▶
      申请强制执行 enforcing ─pay | close─▶; served | on_plan | demanded ─close─▶ closed only when nothing
      is owed (paid, or the decision annulled)
      served | plan_review | on_plan | demanded | paid ─file_remedy (the party's 行政复议 or 行政诉讼: kind,
      body, filed_on)─▶ 复议/诉讼中 remedy (pauses the clock; the late fee does not run, Art. 73 para. 3)
      ─resume (leader: ended_on, outcome upheld | annulled | changed)─▶ the state it came from; remedy ─pay─▶
      paid and remedy ─pay_instalment (the process's ``pay_instalment_in_remedy``)─▶ remedy (Art. 73 para. 1:
      the decision is carried out meanwhile); a closed case is refused with the reason (``cases._check_state``)
      paid ─end_remedy (leader: the end of a remedy still pending when the whole fine was paid, as ``resume``)─▶
      paid; paid | on_plan | demanded ─refund (the refund an annulled or lowered fine already paid owes the
      party: refunded_on, amount, reference)─▶ the same state; ``close`` waits for both
      investigating | reviewing ─drop (leader)─▶ 不予处罚/撤案 dropped
      investigating | reviewing | notice ─extend_<state> (leader, days and reason)─▶ the same state, the
      90 days moved out by the approved days

The law's refusals are guards (``guards.py``) named on the actions, so the definition tells which rule
stops which step. The kind moves only through this app's services (``own_services_only``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Case
from zhenwu.casework.process import process_register

KIND = "ZF"
PREFIX = "enforcement:"
SUMMARY = f"{PREFIX}summary:v1"
GENERAL = f"{PREFIX}general:v1"

EXTEND = "extend"  # 延长办案期限 on the leader's approval: one self-loop per state the 90 days run in
EXTENDABLE = ("investigating", "reviewing", "notice")
MAX_EXTENSION_DAYS = 90

OFFICER = ["enforcement_officer"]
LEADER = ["leader"]
LEGAL = ["legal_reviewer"]

# guard names (registered in guards.py)
INVESTIGATORS = "enforcement.investigators"  # Art. 42, 43
LEGAL_REVIEWER_INDEPENDENT = "enforcement.legal_reviewer_independent"
HEARING_RIGHT = "enforcement.hearing_right"  # Art. 63, 64
DECISION_LAWFUL = "enforcement.decision_lawful"  # Art. 45, 57, 58, 62; bands
PAYMENT_OVERDUE = "enforcement.payment_overdue"  # 行政强制法 Art. 54 (催告)
COURT_APPLICATION = "enforcement.court_application"  # Art. 72, 73; 行政强制法 Art. 53, 54
CLOSABLE = "enforcement.closable"

REMEDY = "remedy"  # 复议/诉讼中: the state a pending reconsideration or lawsuit pauses the case in
REMEDY_SOURCES = ["served", "plan_review", "on_plan", "demanded", "paid"]  # a decision served, not closed
# The states a refund may be owed in: paid, or an annulled decision of which instalments had been paid.
REFUND_SOURCES = ["paid", "on_plan", "demanded"]
REFUND = "refund"


def refund_key(state: str) -> str:
    """The process's ``refund`` of ``state``: a self-loop per state (``refund`` itself from paid)."""
    return REFUND if state == "paid" else f"{REFUND}_{state}"


# The actions the API names alike whose process key differs in one state, as ``extend_<state>`` is ``extend``:
# (API name, state) → the process's action. An instalment paid while a remedy is pending stays in the pause; a
# refund leaves the case where it is.
STATE_KEYS: dict[tuple[str, str], str] = {
    ("pay_instalment", REMEDY): "pay_instalment_in_remedy",
    **{(REFUND, state): refund_key(state) for state in REFUND_SOURCES if refund_key(state) != REFUND}}


def process_key(action: str, state: str) -> str:
    """The process's action for the API's ``action`` in ``state`` (itself unless ``STATE_KEYS`` says)."""
    return STATE_KEYS.get((action, state), action)


def api_key(key: str) -> str:
    """The API's name of the process's action ``key`` (``extend_<state>`` → ``extend``; see ``STATE_KEYS``)."""
    if key.startswith(f"{EXTEND}_"):
        return EXTEND
    return next((name for (name, _state), k in STATE_KEYS.items() if k == key), key)


def _state(key: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, **extra}


def _act(key: str, label: str, sources: list[str], target: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, "from": sources, "to": target, "roles": roles, **extra}


def summary_definition() -> dict[str, Any]:
    return {"key": SUMMARY, "label": "简易程序",
            "states": [_state("decided", "当场决定", start=True),
                       _state("filed", "已备案", terminal=True)],
            "actions": [_act("file", "备案", ["decided"], "filed", OFFICER)]}


def general_definition() -> dict[str, Any]:
    natural = DeadlineUnit.NATURAL_DAYS.value
    working = DeadlineUnit.WORKING_DAYS.value
    return {
        "key": GENERAL, "label": "普通程序",
        "states": [
            _state("registered", "待立案审批", start=True),
            _state("investigating", "调查", limit={"unit": natural, "value": settings.ENFORCEMENT_DECISION_DAYS}),
            _state("testing", "检测鉴定", pauses_clock=True, resume={"label": "检测鉴定完成", "roles": OFFICER}),
            _state("public_notice", "公告", pauses_clock=True, resume={"label": "公告期满", "roles": OFFICER}),
            _state("reviewing", "审核"),
            _state("notice", "告知"),
            _state("hearing", "听证", pauses_clock=True, resume={"label": "听证结束", "roles": LEADER}),
            _state("decided", "已决定",
                   limit={"unit": working, "value": settings.ENFORCEMENT_SERVICE_WORKING_DAYS}),
            _state("served", "已送达", limit={"unit": natural, "value": settings.ENFORCEMENT_PAYMENT_DAYS}),
            _state("plan_review", "缓缴/分期审批"),
            _state("on_plan", "按批准缴纳"),
            _state("demanded", "已催告"),
            _state(REMEDY, "复议/诉讼中", pauses_clock=True,
                   resume={"label": "复议/诉讼终结", "roles": LEADER, "required": ["ended_on", "outcome"]}),
            _state("enforcing", "申请强制执行", stops_clock=True),
            _state("paid", "已缴款", stops_clock=True),
            _state("closed", "结案", terminal=True),
            _state("dropped", "不予处罚/撤案", terminal=True),
        ],
        "actions": [
            _act("approve_filing", "立案审批", ["registered"], "investigating", LEADER, required=["opinion"]),
            _act("test", "检测鉴定", ["investigating"], "testing", OFFICER, required=["reason"]),
            _act("publish", "公告", ["investigating"], "public_notice", OFFICER, required=["reason"]),
            _act("finish_investigation", "调查终结", ["investigating"], "reviewing", OFFICER,
                 required=["report"], guards=[INVESTIGATORS]),
            _act("legal_review", "法制审核", ["reviewing"], "reviewing", LEGAL, required=["opinion"],
                 guards=[LEGAL_REVIEWER_INDEPENDENT]),
            _act("legal_review_after_hearing", "法制审核", ["notice"], "notice", LEGAL, required=["opinion"],
                 guards=[LEGAL_REVIEWER_INDEPENDENT]),
            _act("notify", "事先告知", ["reviewing"], "notice", OFFICER, required=["penalty"],
                 guards=[INVESTIGATORS]),
            _act("hold_hearing", "举行听证", ["notice"], "hearing", OFFICER, required=["hearing_at"],
                 guards=[HEARING_RIGHT]),
            _act("decide", "作出处罚决定", ["notice"], "decided", LEADER, required=["penalty"],
                 guards=[DECISION_LAWFUL]),
            _act("serve", "送达", ["decided"], "served", OFFICER, required=["method", "served_on"]),
            _act("pay", "缴纳罚款", ["served", "on_plan", "demanded", REMEDY, "enforcing"], "paid", OFFICER,
                 required=["paid_on"]),
            _act("request_payment_plan", "申请延期/分期缴纳", ["served"], "plan_review", OFFICER,
                 required=["kind", "reason"]),
            _act("approve_payment_plan", "批准延期/分期缴纳", ["plan_review"], "on_plan", LEADER, required=["opinion"]),
            _act("refuse_payment_plan", "不予批准", ["plan_review"], "served", LEADER, required=["opinion"]),
            _act("pay_instalment", "缴纳一期", ["on_plan"], "on_plan", OFFICER, required=["paid_on"]),
            _act("pay_instalment_in_remedy", "缴纳一期", [REMEDY], REMEDY, OFFICER, required=["paid_on"]),
            _act("demand", "催告", ["served", "on_plan"], "demanded", OFFICER, required=["served_on"],
                 guards=[PAYMENT_OVERDUE]),
            _act("apply_court", "申请法院强制执行", ["demanded"], "enforcing", LEADER, required=["court"],
                 guards=[COURT_APPLICATION]),
            _act("file_remedy", "申请复议/提起诉讼", REMEDY_SOURCES, REMEDY, OFFICER,
                 required=["kind", "body", "filed_on"]),
            _act("end_remedy", "复议/诉讼终结", ["paid"], "paid", LEADER, required=["ended_on", "outcome"]),
            *[_act(refund_key(state), "退还罚款", [state], state, OFFICER,
                   required=["refunded_on", "amount", "reference"]) for state in REFUND_SOURCES],
            _act("close", "结案", ["paid", "served", "on_plan", "demanded", "enforcing"], "closed", LEADER,
                 required=["report"],
                 guards=[CLOSABLE]),
            *[_act(f"{EXTEND}_{state}", "延长办案期限", [state], state, LEADER, required=["days", "reason"])
              for state in EXTENDABLE],
            _act("drop", "不予处罚/撤案", ["investigating", "reviewing"], "dropped", LEADER, required=["reason"]),
        ],
    }


def case_page(case: Case) -> str:
    return reverse("api:enforcement_case", kwargs={"number": case.number})


def register() -> None:
    """Both processes (from ``EnforcementConfig.ready()``, after the kind)."""
    process_register(summary_definition())
    process_register(general_definition())
