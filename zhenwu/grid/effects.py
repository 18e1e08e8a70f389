"""What a step of an incident sets off, declared as ``effects`` on the actions of ``process.py`` and
registered with the kernel. Every effect runs inside the transition's transaction (its own savepoint):
an SMS is queued in the outbox, which sends it once the step has committed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from zhenwu.accounts.models import User
from zhenwu.casework.models import Case
from zhenwu.casework.services import effect_register, notification_enqueue
from zhenwu.errors import gettext as _
from zhenwu.grid import process
from zhenwu.grid.models import Incident


def _incident(case: Case, context: Mapping[str, Any]) -> Incident:
    found = context.get("incident")
    if isinstance(found, Incident) and found.case_id == case.pk:
        return found
    return Incident.objects.select_related("case", "reporter").get(case=case)


def _mobile(incident: Incident) -> str:
    return incident.reporter_mobile or str(getattr(incident.reporter, "mobile", "") or "")


def _sms(mobiles: Iterable[str], body: str, case: Case) -> None:
    for mobile in dict.fromkeys(m for m in mobiles if m):
        notification_enqueue(channel="sms", recipient=mobile, body=body, payload={"case": case.number})


def notify_outcome(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                   context: Mapping[str, Any]) -> None:
    """Closed (handled or self-closed) or not registered: the reporter and the reporters of every report
    merged into it hear the outcome."""
    incident = _incident(case, context)
    merged = Incident.objects.filter(merged_into=incident).select_related("reporter")
    mobiles = [_mobile(incident), *(_mobile(m) for m in merged)]
    if action == "reject":
        body = _("Your report %(number)s was not registered: %(reason)s") % {
            "number": case.number, "reason": str(fields.get("reason") or "")}
    else:
        body = _("The incident %(number)s you reported has been dealt with and closed. Thank you.") % {
            "number": case.number}
    _sms(mobiles, body, case)


def notify_merged(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                  context: Mapping[str, Any]) -> None:
    """Merged: the reporter hears which incident their report joined (they are told its outcome later)."""
    incident = _incident(case, context)
    _sms([_mobile(incident)], _("Your report %(number)s concerns incident %(into)s, already being dealt with; "
                                "we will tell you its outcome.") % {"number": case.number, "into": fields.get("into")},
         case)


def _unit_staff(case: Case, context: Mapping[str, Any]) -> list[User]:
    """Who holds the case after the step: ``context["holder"]`` (handed over after the transition), else
    the case's holder now."""
    holder = context.get("holder")
    if holder is not None:
        handler, unit = holder
        if handler is not None:
            return [handler]
        return list(User.objects.filter(department=unit, is_active=True)) if unit is not None else []
    if case.handler_id is not None:
        return [case.handler] if case.handler else []
    if case.handler_unit_id is not None:
        return list(User.objects.filter(department_id=case.handler_unit_id, is_active=True))
    return []


def notify_dispatched(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                      context: Mapping[str, Any]) -> None:
    """Dispatched (or sent back for rework): the holder, or the holding department's staff, get the task."""
    body = _("New grid incident %(number)s (%(title)s), due at %(due)s.") % {
        "number": case.number, "title": case.title,
        "due": f"{case.deadline_due_at:%Y-%m-%d %H:%M}" if case.deadline_due_at else "—"}
    _sms([u.mobile or "" for u in _unit_staff(case, context)], body, case)


def notify_rework(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                  context: Mapping[str, Any]) -> None:
    body = _("Grid incident %(number)s failed verification and is sent back for rework: %(reason)s") % {
        "number": case.number, "reason": str(fields.get("reason") or "")}
    _sms([u.mobile or "" for u in _unit_staff(case, context)], body, case)


def notify_verify(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                  context: Mapping[str, Any]) -> None:
    """Handled: the reporting grid worker is asked to verify on site."""
    incident = _incident(case, context)
    if incident.reporter is not None and incident.reporter.mobile:
        _sms([incident.reporter.mobile], _("Grid incident %(number)s has been handled; please verify it on site.")
             % {"number": case.number}, case)


EFFECTS = {process.NOTIFY_OUTCOME: notify_outcome, process.NOTIFY_MERGED: notify_merged,
           process.NOTIFY_DISPATCHED: notify_dispatched, process.NOTIFY_REWORK: notify_rework,
           process.NOTIFY_VERIFY: notify_verify}


def register() -> None:
    for name, fn in EFFECTS.items():
        effect_register(name, fn, in_transaction=True)
