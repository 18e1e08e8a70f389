"""Escalation up the area tree (小事不出网格、难事不出乡镇): grid → village → town → county.

By hand (a grid worker, grid leader, village staff or dispatcher in the incident's scope) or by the tick
when a level lets the incident go overdue (``GRID_AUTO_ESCALATE``): an open incident past its due time
goes one level up, and again after ``GRID_AUTO_ESCALATE_STEP_HOURS`` more at that level, up to
``GRID_AUTO_ESCALATE_TOP``. An escalation is not a move of the case: the level changes, an audit entry
records it, and the staff of the new level are told by SMS.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.casework.services import audit_record, notification_enqueue
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _
from zhenwu.grid import policy
from zhenwu.grid.choices import ESCALATION_ORDER, EscalationLevel
from zhenwu.grid.models import Incident

# The area code of each level is a prefix of the grid's code (6-digit county, +3 town, +3 village).
LEVEL_CODE_LENGTH = {EscalationLevel.VILLAGE: 12, EscalationLevel.TOWN: 9, EscalationLevel.COUNTY: 6}
LEVEL_ROLES = (Role.LEADER, Role.DISPATCHER, Role.GRID_LEADER, Role.VILLAGE_STAFF)


def next_level(level: str) -> str | None:
    order = [str(x) for x in ESCALATION_ORDER]
    i = order.index(level) if level in order else 0
    return order[i + 1] if i + 1 < len(order) else None


def _level_staff(area_code: str, level: str) -> list[User]:
    """The staff whose scope is exactly the level's area above the incident, with a role that answers."""
    code = area_code[:LEVEL_CODE_LENGTH[EscalationLevel(level)]]
    return list(User.objects.filter(scope_area__code=code, is_active=True, role_assignments__role__in=LEVEL_ROLES)
                .distinct())


def _escalate(incident: Incident, *, actor: User | None, reason: str, now: dt.datetime, auto: bool,
              request_id: str = "") -> str:
    level = next_level(incident.escalation_level)
    if level is None:
        raise FieldError("action", _("The incident is already at the county level."))
    before = incident.escalation_level
    incident.escalation_level, incident.escalated_at = level, now
    incident.save(update_fields=["escalation_level", "escalated_at"])
    audit_record(subject=incident.case.number, case=incident.case, actor=actor, action="escalate", reason=reason,
                 request_id=request_id, data={"from": before, "to": level, "automatic": auto})
    label = EscalationLevel(level).label
    body = _("Grid incident %(number)s (%(title)s) has been escalated to the %(level)s level: %(reason)s") % {
        "number": incident.case.number, "title": incident.case.title, "level": label, "reason": reason}
    for user in _level_staff(incident.case.area_code, level):
        if user.mobile:
            notification_enqueue(channel="sms", recipient=user.mobile, body=body,
                                 payload={"case": incident.case.number})
    return level


@transaction.atomic
def incident_escalate(*, actor: User, incident: Incident, reason: str, request_id: str = "") -> Incident:
    """上报上级 by hand: one level up, with the reason."""
    policy.check(actor, "escalate", area_code=incident.case.area_code)
    reason = str(reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Give the reason."))
    incident = Incident.objects.select_for_update(of=("self",)).select_related("case").get(pk=incident.pk)
    if not incident.is_open:
        raise FieldError("action", _("This action is not possible in the case's current state."))
    _escalate(incident, actor=actor, reason=reason, now=timezone.now(), auto=False, request_id=request_id)
    return incident


def incidents_escalate_overdue(*, now: dt.datetime | None = None) -> int:
    """The tick step: every open incident overdue at its level goes one level up (see the module)."""
    if not settings.GRID_AUTO_ESCALATE:
        return 0
    now = now or timezone.now()
    order = [str(x) for x in ESCALATION_ORDER]
    top = settings.GRID_AUTO_ESCALATE_TOP if settings.GRID_AUTO_ESCALATE_TOP in order else EscalationLevel.COUNTY
    below_top = order[:order.index(top)]
    grace = now - dt.timedelta(hours=settings.GRID_AUTO_ESCALATE_STEP_HOURS)
    due = (Incident.objects.filter(is_open=True, escalation_level__in=below_top, due_at__lt=now)  # the clock's copy
           .filter(Q(escalated_at__isnull=True) | Q(escalated_at__lte=grace))
           .values_list("pk", flat=True))
    done = 0
    for pk in list(due[:1000]):
        with transaction.atomic():
            incident = (Incident.objects.select_for_update(of=("self",), skip_locked=True).select_related("case")
                        .filter(pk=pk, is_open=True, escalation_level__in=below_top)
                        .filter(Q(escalated_at__isnull=True) | Q(escalated_at__lte=grace)).first())
            if incident is None:
                continue
            _escalate(incident, actor=None, reason=str(_("Overdue at the %(level)s level.") % {
                "level": EscalationLevel(incident.escalation_level).label}), now=now, auto=True)
            done += 1
    return done
