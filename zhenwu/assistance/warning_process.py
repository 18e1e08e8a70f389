"""The early warning's task as a case of its own kind (``YJ``, docs/adding-a-case-kind.md §10).

待入户核实 ``open`` (``ASSISTANCE_WARNING_VISIT_DAYS`` working days, the kernel's calendar) ─visit─▶
已核实 ``closed`` (terminal), the outcome and the SHA-256 of the visit's record as the step's required fields
(the record itself and the photos stay in the app, behind its privacy rule: the kernel's case pages show a
case to everyone in its scope). The case is
held by the village worker of the household's grid; the kernel's supervision urges and counts it like
any case. It moves only through ``services.warnings`` (``own_services_only``), which keeps the warning
row in step.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from zhenwu.accounts.models import User
from zhenwu.assistance.policy_warnings import VISIT_ROLES
from zhenwu.casework.choices import DeadlineUnit
from zhenwu.casework.models import Case
from zhenwu.casework.process import process_register

KIND = "YJ"
PREFIX = "assistance-warning:"
PROCESS = f"{PREFIX}v1"


def definition() -> dict[str, Any]:
    days = settings.ASSISTANCE_WARNING_VISIT_DAYS
    limit = {"unit": DeadlineUnit.WORKING_DAYS.value, "value": days} if days > 0 else None
    open_state: dict[str, Any] = {"key": "open", "label": "待入户核实", "start": True}
    if limit:
        open_state["limit"] = limit
    return {
        "key": PROCESS, "label": "救助预警",
        "states": [open_state, {"key": "closed", "label": "已核实", "terminal": True}],
        "actions": [{"key": "visit", "label": "入户核实", "from": ["open"], "to": "closed",
                     "roles": [r.value for r in VISIT_ROLES], "required": ["outcome", "record_sha256"]}],
    }


def register() -> None:
    process_register(definition())


def warning_page(case: Case) -> str:
    return reverse("assistance_warn:warning", kwargs={"number": case.number})


def urge_recipient(case: Case) -> User | None:
    """Reminders go to the village worker holding the warning."""
    return case.handler
