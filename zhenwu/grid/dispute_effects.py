"""Side effects named on the dispute process's actions (``dispute_process.definition()``), and who is urged."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhenwu.accounts.models import User
from zhenwu.casework.models import Case
from zhenwu.casework.services import notification_enqueue
from zhenwu.errors import gettext as _
from zhenwu.grid.choices import EscalationLevel
from zhenwu.grid.dispute_process import ESCALATED, KIND

LEVEL_CODE_LENGTH = {EscalationLevel.VILLAGE: 12, EscalationLevel.TOWN: 9}


def level_staff(area_code: str, level: str) -> list[User]:
    """The staff whose scope is exactly the level's area above the dispute and who act at that level."""
    from zhenwu.grid.policy_disputes import LEVEL_ROLES

    code = area_code[:LEVEL_CODE_LENGTH[EscalationLevel(level)]]
    return list(User.objects.filter(scope_area__code=code, is_active=True,
                                    role_assignments__role__in=LEVEL_ROLES[level]).distinct().order_by("pk"))


def dispute_escalated(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                      context: Mapping[str, Any]) -> None:
    level = str(fields.get("to_level", ""))
    if level not in LEVEL_CODE_LENGTH:
        return
    body = _("Dispute %(number)s (%(title)s) has been passed up to you for mediation: %(reason)s") % {
        "number": case.number, "title": case.title, "reason": fields.get("reason", "")}
    for user in level_staff(case.area_code, level):
        if user.mobile:
            notification_enqueue(channel="sms", recipient=user.mobile, body=body, payload={"case": case.number})


def dispute_urge_recipient(case: Case) -> User | None:
    """催办 of a dispute goes to whoever answers for it now: at grid level the filer, above it the first
    staff member of that level (the kernel's supervision calls this at yellow and red)."""
    from zhenwu.grid.models import Dispute

    level = Dispute.objects.filter(case=case).values_list("level", flat=True).first()
    if level in LEVEL_CODE_LENGTH:
        staff = level_staff(case.area_code, level)
        if staff:
            return staff[0]
    return case.created_by


def register() -> None:
    from zhenwu.casework.process import effect_register
    from zhenwu.casework.supervision import urge_recipient_register

    effect_register(ESCALATED, dispute_escalated, in_transaction=True)
    urge_recipient_register(KIND, dispute_urge_recipient)
