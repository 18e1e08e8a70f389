"""A service-hall application another pillar took over (一窗受理 → e.g. 社会救助) and decided: the hooks
``HALL_APPLICATION_TAKEN_OVER`` and ``HALL_APPLICATION_DECIDED`` (``zhenwu/casework/hooks.py``).

Taken over, the hall's case pauses as a 特别程序 (``special_pause``, as the system): the other pillar's steps run
under their own time limits, so the hall's promised days do not run out while, say, civil affairs survey the
household and publish the result for 7 days.

The hall's case moves as the system (no actor: the deciding officer's roles are the other pillar's), through its
own process: a pause ends (``resume``), each remaining review step forwards with the other pillar's decision as
its opinion, then the last step approves (办结, back to the accepting window for 出件) or denies (不予许可, with the
reason); a withdrawal withdraws. The statistics and the applicant's SMS follow as for any decision. A case that
is decided already (or was withdrawn) is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.casework.process import RESUME, process_get
from zhenwu.casework.services import transition
from zhenwu.casework.services.assignment import case_hand_over
from zhenwu.errors import gettext as _
from zhenwu.services.choices import Status
from zhenwu.services.models import Application
from zhenwu.services.process import handling_states

OUTCOMES = ("approved", "denied", "withdrawn")
PAUSES = (Status.SUPPLEMENT, Status.SPECIAL)


@transaction.atomic
def application_taken_over(*, number: str, taken_by: str, **_extra: Any) -> Application | None:
    """Pause the hall's application ``number`` (its clock stops) while ``taken_by`` decides it."""
    app = (Application.objects.select_for_update(of=("self",)).select_related("case", "item_version")
           .filter(case__number=number).first())
    handling = handling_states(list(app.item_version.chain), app.item_version.promised_limit_days) if app else []
    if app is None or app.case.status not in handling:
        return None  # not in review (paused already, decided or withdrawn): nothing to pause
    reason = str(_("Taken over by %(number)s (social assistance): its own steps and time limits apply until it "
                   "is decided.") % {"number": taken_by})
    _move(app, "special_pause", reason)
    app.pause_reason = reason
    app.save(update_fields=["pause_reason"])
    return app


def _move(app: Application, action: str, reason: str, fields: dict[str, Any] | None = None) -> None:
    app.case = transition(actor=None, case=app.case, action=action, reason=reason, fields=fields,
                          effect_context={"application": app})


@transaction.atomic
def application_decided_elsewhere(*, number: str, outcome: str, reason: str = "", decided_by: str = "",
                                  **_extra: Any) -> Application | None:
    """Record on the hall's application ``number`` the decision ``decided_by`` (the other pillar's case) made."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    app = (Application.objects.select_for_update(of=("self",)).select_related("case", "item_version")
           .filter(case__number=number).first())
    handling = handling_states(list(app.item_version.chain), app.item_version.promised_limit_days) if app else []
    if app is None or not handling:
        return None
    if app.case.status in PAUSES:
        _move(app, RESUME, str(_("Decided in %(number)s.") % {"number": decided_by}))
    if app.case.status not in handling:
        return None  # decided, delivered, rejected or withdrawn already
    if outcome == "withdrawn":
        _move(app, "withdraw", reason or str(_("Withdrawn in %(number)s.") % {"number": decided_by}))
        return app
    approve = outcome == "approved"
    opinion = str(_("Social assistance decision %(number)s: approved.") % {"number": decided_by}) if approve else (
        str(_("Social assistance decision %(number)s: not approved. %(reason)s")
            % {"number": decided_by, "reason": reason}))
    proc = process_get(app.case.process)
    while app.case.status != handling[-1]:
        forward = f"forward_{app.case.status}"
        if not any(a.key == forward for a in proc.actions_from(app.case.status)):
            return None  # pragma: no cover - every handling state but the last forwards
        _move(app, forward, opinion, {"opinion": opinion, "approve": approve})
    app.result, app.decided_at = ("approved" if approve else "denied"), timezone.now()
    app.result_reason = "" if approve else (reason or opinion)
    _move(app, "approve" if approve else "deny", app.result_reason or opinion,
          {"opinion": opinion, "approve": approve})
    app.save(update_fields=["result", "result_reason", "decided_at"])
    case_hand_over(case=app.case, handler=app.first_contact, actor=None)  # 综窗出件: the accepting window
    return app
