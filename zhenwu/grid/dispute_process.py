"""矛盾纠纷 as a case kind of its own: kind ``JF``, process ``grid-dispute:v1`` (data, below).

The case stays filed in the dispute's grid (``Case.area_code``); who answers for it is the dispute's
``level`` (grid → village → town, "小事不出网格、难事不出乡镇"), moved up by ``escalate``, each level with its
own time limit in working days (``settings.GRID_DISPUTE_DAYS``), passed to the kernel as the step's
deadline. Who may act at which level is ``policy_disputes``; the process lists every role that may act
at some level, the policy narrows it to the level the dispute has reached.

States: 调解中 ``mediating`` ─settle─▶ 调解成功 ``settled`` (the agreement as a PDF) ─follow_up─▶ 已回访
``closed``; 调解中 ─refer─▶ 已移交 ``referred`` (调解不成: to the court or the county's mediation centre, only
from the town) ─follow_up─▶ 已回访; 调解中 ─escalate─▶ 调解中 (one level up, the clock restarts with that
level's limit); 调解中 ─withdraw─▶ 已撤回 ``withdrawn``. The follow-up visit (回访) is due within
``settings.GRID_DISPUTE_FOLLOW_UP_DAYS`` working days.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhenwu.accounts.choices import Role
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Case
from zhenwu.casework.process import DeadlineSpec, process_register

KIND = "JF"
PREFIX = "grid-dispute:"
PROCESS = f"{PREFIX}v1"

MEDIATING, SETTLED, REFERRED, CLOSED, WITHDRAWN = "mediating", "settled", "referred", "closed", "withdrawn"
ESCALATE, SETTLE, REFER, FOLLOW_UP, WITHDRAW = "escalate", "settle", "refer", "follow_up", "withdraw"
ESCALATED = "grid.dispute_escalated"  # effect: the new level's staff are told (dispute_effects.py)
SESSION_NOTE = "dispute_session"  # a mediation session: an audit note, not a state change

GRID_ROLES = (Role.GRID_WORKER, Role.GRID_LEADER)
VILLAGE_ROLES = (Role.VILLAGE_STAFF, Role.GRID_LEADER)
TOWN_ROLES = (Role.DISPATCHER, Role.LEADER)
ALL_ROLES = tuple(dict.fromkeys((*GRID_ROLES, *VILLAGE_ROLES, *TOWN_ROLES)))


def level_deadline(level: str) -> DeadlineSpec:
    """The time limit of a level (working days, ``settings.GRID_DISPUTE_DAYS``)."""
    return DeadlineSpec(DeadlineUnit.WORKING_DAYS.value, int(settings.GRID_DISPUTE_DAYS[level]))


def _days(value: int) -> dict[str, Any]:
    return {"unit": DeadlineUnit.WORKING_DAYS.value, "value": value}


def _action(key: str, label: str, sources: list[str], target: str, required: list[str],
            roles: tuple[str, ...] = ALL_ROLES, effects: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"key": key, "label": label, "from": sources, "to": target, "roles": [str(r) for r in roles],
            "required": required, "effects": list(effects)}


def definition() -> dict[str, Any]:
    follow_up = _days(int(settings.GRID_DISPUTE_FOLLOW_UP_DAYS))
    return {
        "key": PROCESS, "label": "矛盾纠纷调处",
        "states": [{"key": MEDIATING, "label": "调解中", "start": True,
                    "limit": _days(int(settings.GRID_DISPUTE_DAYS["grid"]))},
                   {"key": SETTLED, "label": "调解成功", "limit": follow_up},
                   {"key": REFERRED, "label": "已移交", "limit": follow_up},
                   {"key": CLOSED, "label": "已回访", "terminal": True},
                   {"key": WITHDRAWN, "label": "已撤回", "terminal": True}],
        "actions": [_action(ESCALATE, "上报上级调解", [MEDIATING], MEDIATING, ["reason"], effects=(ESCALATED,)),
                    _action(SETTLE, "调解成功", [MEDIATING], SETTLED, ["agreement"]),
                    _action(REFER, "调解不成，移交", [MEDIATING], REFERRED, ["referral_to", "reason"], TOWN_ROLES),
                    _action(FOLLOW_UP, "回访", [SETTLED, REFERRED], CLOSED, ["record"]),
                    _action(WITHDRAW, "当事人撤回", [MEDIATING], WITHDRAWN, ["reason"])],
    }


def dispute_page(case: Case) -> str:
    return reverse("grid_disputes:dispute", kwargs={"number": case.number})


def register() -> None:
    """Register the kind ``JF`` and its process (one call from ``GridConfig.ready()``)."""
    from zhenwu.casework.kinds import kind_register
    from zhenwu.casework.process import note_labels_register
    from zhenwu.grid import dispute_effects
    from zhenwu.grid.models import Dispute

    dispute_effects.register()
    kind_register(code=KIND, label=_("Dispute"), model=Dispute, page=dispute_page, process_prefix=PREFIX,
                  own_services_only=True)
    process_register(definition())
    note_labels_register({SESSION_NOTE: _("Mediation session")})
