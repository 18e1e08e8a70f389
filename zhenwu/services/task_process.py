"""The hall's timed tasks as cases of their own kinds (issue 9, "every timed task is a case").

- ``ZG`` 差评整改: a 不满意/非常不满意 rating opens a rectification case. 待核实 ``open`` (the verification
  limit, ``SERVICES_RECTIFY_VERIFY_DAYS`` working days) ─verify─▶ 整改中 ``verified`` (due on the day the
  rectification is due, ``SERVICES_RECTIFY_DAYS`` working days after the rating: the step passes the working
  days left as its deadline) ─answer─▶ 已答复 ``answered`` (stops the clock: answered on time or late)
  ─callback─▶ 已回访 ``closed`` (terminal).
- ``SG`` 审管联动: approving an item under supervision opens a follow-up case in the applicant's grid.
  待跟进 ``open`` (``SERVICES_SUPERVISION_TASK_DAYS`` working days) ─complete─▶ 已跟进 ``done`` (terminal).

Both kinds move only through this app's services (``own_services_only``), which keep the task rows in step;
the kernel's supervision (overdue and at-risk lists, 催办, 督办, statistics) sees them like any case.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from zhenwu.accounts.models import User
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Case
from zhenwu.casework.process import process_register
from zhenwu.services.policy import FOLLOW_UP_ROLES, RECTIFICATION_ROLES

RECTIFY_KIND = "ZG"
RECTIFY_PREFIX = "services-rectify:"
RECTIFY_PROCESS = f"{RECTIFY_PREFIX}v1"
SUPERVISE_KIND = "SG"
SUPERVISE_PREFIX = "services-supervise:"
SUPERVISE_PROCESS = f"{SUPERVISE_PREFIX}v1"

# task step → the case's action (the task's own status names are the case's states)
RECTIFY_ACTIONS = {"rectification_verify": "verify", "rectification_answer": "answer",
                   "rectification_callback": "callback"}


def _days(value: int) -> dict[str, Any] | None:
    return {"unit": DeadlineUnit.WORKING_DAYS.value, "value": value} if value > 0 else None


def _state(key: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "label": label, **{k: v for k, v in extra.items() if v is not None}}


def rectify_definition() -> dict[str, Any]:
    roles = [r.value for r in RECTIFICATION_ROLES]
    return {
        "key": RECTIFY_PROCESS, "label": "差评整改",
        "states": [_state("open", "待核实", start=True, limit=_days(settings.SERVICES_RECTIFY_VERIFY_DAYS)),
                   _state("verified", "整改中", limit=_days(settings.SERVICES_RECTIFY_DAYS)),
                   _state("answered", "已答复", stops_clock=True),
                   _state("closed", "已回访", terminal=True)],
        "actions": [{"key": "verify", "label": "核实", "from": ["open"], "to": "verified", "roles": roles,
                     "required": ["finding"]},
                    {"key": "answer", "label": "整改并答复", "from": ["verified"], "to": "answered",
                     "roles": roles, "required": ["reply"]},
                    {"key": "callback", "label": "回访", "from": ["answered"], "to": "closed", "roles": roles,
                     "required": ["record"]}],
    }


def supervise_definition() -> dict[str, Any]:
    return {
        "key": SUPERVISE_PROCESS, "label": "审管联动",
        "states": [_state("open", "待跟进", start=True, limit=_days(settings.SERVICES_SUPERVISION_TASK_DAYS)),
                   _state("done", "已跟进", terminal=True)],
        "actions": [{"key": "complete", "label": "跟进完成", "from": ["open"], "to": "done",
                     "roles": [r.value for r in FOLLOW_UP_ROLES], "required": ["note"]}],
    }


def register() -> None:
    """Register both processes (from ``ServicesConfig.ready()``, after the kinds)."""
    process_register(rectify_definition())
    process_register(supervise_definition())


def rectification_page(case: Case) -> str:
    from zhenwu.services.models import RectificationTask

    pk = RectificationTask.objects.filter(case=case).values_list("pk", flat=True).first()
    return reverse("services:rectification", kwargs={"pk": pk}) if pk else reverse("services:rectifications")


def supervision_page(case: Case) -> str:
    return reverse("services:supervision_tasks")


def rectification_urge_recipient(case: Case) -> User | None:
    """Reminders of a rectification go to the clerk who accepted the application (首问负责)."""
    from zhenwu.services.models import RectificationTask

    task = RectificationTask.objects.filter(case=case).select_related("application__first_contact").first()
    return task.application.first_contact if task is not None else None
