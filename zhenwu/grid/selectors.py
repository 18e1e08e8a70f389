"""Every read of grid incidents starts from the one scope rule (``accounts.scope.restrict``):

- staff with a grid role see the incidents of their scope (a grid worker their grid, the town's
  dispatcher the town); staff without such a role, or without a scope, see none;
- citizens and enterprise accounts see the incidents they reported themselves (by ownership).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict, scope_prefix
from zhenwu.casework import deadlines
from zhenwu.casework.choices import Light
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.process import process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import policy
from zhenwu.grid.choices import ExtensionStatus, Source
from zhenwu.grid.models import Category, Incident, IncidentCount, IncidentExtension
from zhenwu.grid.process import DISPATCH_ROLES

LIGHTS = (Light.GREEN, Light.YELLOW, Light.RED)


def incident_scope(*, user: Any) -> QuerySet[Incident]:
    base = Incident.objects.select_related("case", "case__handler", "case__handler_unit", "category__parent",
                                           "category_version")
    if policy.is_public_account(user):
        return base.filter(reporter=user)
    mine = restrict(base, user, field="area_code")  # the incident's own copy of the case's grid
    return mine if policy.may_read(user) else base.none()


def incident_get(*, user: Any, number: str) -> Incident:
    found = incident_scope(user=user).filter(case__number=number).first()
    if found is None:
        raise NotFound(_("No such incident."), field="number")
    return found


def live_light(incident: Incident, now: dt.datetime | None = None) -> str:
    """The light of the incident's live deadline now ("" when none runs)."""
    case = incident.case
    if not case.deadline_live:
        return Light.NONE
    return deadlines.light_for(case.deadline_unit, case.deadline_limit, case.deadline_due_at,
                               case.paused_at or now or timezone.now())


def _light_q(light: str, now: dt.datetime) -> Q:
    """The incidents whose running deadline shows ``light`` at ``now``, on the incident's own copy of the
    clock (``due_at``, ``yellow_at``: set by the services on every step), so no join to the case."""
    if light == Light.RED:
        return Q(due_at__lt=now)
    if light == Light.YELLOW:
        return Q(yellow_at__lte=now, due_at__gte=now)
    return Q(yellow_at__gt=now)


def incident_light_counts(qs: QuerySet[Incident], now: dt.datetime | None = None) -> dict[str, int]:
    """green / yellow / red counts of a queue (one statement on the incident's own columns)."""
    now = now or timezone.now()
    counted = qs.order_by().filter(due_at__isnull=False).aggregate(
        **{str(light): Count("due_at", filter=_light_q(light, now)) for light in LIGHTS})  # indexed: index-only
    return {k: int(v or 0) for k, v in counted.items()}


def incident_status_counts(qs: QuerySet[Incident]) -> dict[str, int]:
    """Incidents per state of a queue (one grouped statement on the incident's copy of the state)."""
    return dict(qs.order_by().values_list("status").annotate(n=Count("*")))  # COUNT(*): an index-only scan


def incident_status_totals(*, user: Any) -> dict[str, int] | None:
    """Incidents per state in ``user``'s whole queue (its scope, no filter) from the counts the database keeps per
    grid and state (``IncidentCount``: a few hundred rows for a town, whatever its number of incidents); None for
    a public account, whose queue is its own reports (count those with ``incident_status_counts``)."""
    if policy.is_public_account(user):
        return None
    prefix = scope_prefix(user)  # the rule ``incident_scope`` applies (``restrict``)
    if prefix is None or not policy.may_read(user):
        return {}
    rows = IncidentCount.objects.filter(area_code__startswith=prefix) if prefix else IncidentCount.objects.all()
    totals = rows.order_by().values("status").annotate(total=Sum("n")).values_list("status", "total")
    return {status: int(total) for status, total in totals if total}


def incident_list(*, user: Any, status: str = "", grid: str = "", category: str = "", source: str = "",
                  light: str = "", q: str = "", now: dt.datetime | None = None) -> QuerySet[Incident]:
    """The queue: filters by status (a state, or ``open`` / ``finished``), grid (an area code prefix),
    category (a minor or major code), source, light and text; newest first."""
    qs = incident_scope(user=user)
    errors: list[tuple[str | None, Any]] = []
    # The state, ``open`` / ``finished``, the grid and the light filter on the incident's own columns (indexes
    # ``grid_incident_queue``, ``grid_incident_tabs``, ``grid_incident_lights``): the counts need no join to
    # the cases.
    if status == "open":
        qs = qs.filter(is_open=True)
    elif status == "finished":
        qs = qs.filter(is_open=False)
    elif status:
        qs = qs.filter(status=status)
    if grid:
        qs = qs.filter(area_code__startswith=grid)
    if category:
        qs = qs.filter(Q(category__code=category) | Q(category__parent__code=category))
    if source:
        if source not in Source.values:
            errors.append(("source", _("Unknown source; use one of: %(choices)s.")
                           % {"choices": ", ".join(Source.values)}))
        qs = qs.filter(source=source)
    if light:
        if light not in LIGHTS:
            errors.append(("light", _("Choose green, yellow or red.")))
        else:
            qs = qs.filter(_light_q(light, now or timezone.now()))
    if errors:
        raise FieldError(None, errors=errors)
    text = q.strip()
    if text:
        qs = qs.filter(Q(case__number__icontains=text) | Q(description__icontains=text)
                       | Q(address__icontains=text) | Q(category_version__name__icontains=text))
    return qs.order_by("-case__created_at", "-pk")


def incident_merged(*, incident: Incident) -> QuerySet[Incident]:
    """The reports merged into ``incident`` (they stay attached to it)."""
    return Incident.objects.select_related("case").filter(merged_into=incident).order_by("case__created_at")


def incident_timeline(*, incident: Incident) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject=incident.case.number).order_by("seq")


def pending_extension(incident: Incident) -> IncidentExtension | None:
    return IncidentExtension.objects.filter(incident=incident, status=ExtensionStatus.PENDING).first()


def _holds(user: User, incident: Incident) -> bool:
    """May ``user`` act as the holder: the named handler (or their stand-in), a member of the holding
    department, or — for a case nobody holds — anyone whose role the step needs."""
    from zhenwu.casework.services.assignment import stand_in_active

    case = incident.case
    if case.handler_id is not None:
        return case.handler_id == user.pk or stand_in_active(handler=case.handler_id, actor=user)
    if case.handler_unit_id is not None:
        return user.department_id == case.handler_unit_id or user.has_role(*DISPATCH_ROLES)
    return True


ACTION_FIELDS = {"reject": ["reason"], "merge": ["into"], "self_close": ["result", "photos"],
                 "dispatch": [], "return": ["reason"], "request_extension": ["value", "reason"],
                 "approve_extension": [], "refuse_extension": ["reason"], "handle": ["result", "photos"],
                 "verify_pass": ["photos"], "verify_fail": ["reason", "photos"], "evaluate": ["score"],
                 "register": [], "escalate": ["reason"], "reassign": []}


def incident_actions(*, user: Any, incident: Incident) -> list[dict[str, Any]]:
    """Exactly the actions ``user`` may take on the incident now: key, label, required fields."""
    if not isinstance(user, User) or policy.is_public_account(user):
        return []
    case = incident.case
    proc = process_get(case.process)
    found: list[dict[str, Any]] = []
    for act in proc.actions_from(case.status):
        if not user.has_role(*act.roles) or not _allowed(user, incident, act.key):
            continue
        found.append({"key": act.key, "label": act.label, "required": ACTION_FIELDS.get(act.key, [])})
    area = case.area_code
    if incident.is_open and incident.escalation_level != "county" and policy.may(user, "escalate", area_code=area):
        found.append({"key": "escalate", "label": str(_("Escalate")), "required": ["reason"]})
    if case.status == "dispatched" and policy.may(user, "reassign", area_code=area):
        found.append({"key": "reassign", "label": str(_("Reassign")), "required": []})
    return found


def _allowed(user: User, incident: Incident, action: str) -> bool:
    area = incident.case.area_code
    if action == "self_close":
        return incident.category_version.self_close and policy.of_grid(user, area)
    if action in ("verify_pass", "verify_fail"):
        return policy.of_grid(user, area)
    if action in ("return", "handle", "request_extension"):
        return _holds(user, incident)
    if action == "merge":
        return user.has_role(*DISPATCH_ROLES) or incident.reporter_id == user.pk
    return True


def my_tasks(*, user: Any) -> list[tuple[str, Incident]]:
    """(task, incident) for the grid worker's phone and the handler: ``verify`` (handled incidents of my
    grid), ``self_close`` (my own reports that I may close), ``handle`` (incidents I or my department hold)."""
    if not isinstance(user, User) or policy.is_public_account(user):
        return []
    scope = incident_scope(user=user)
    tasks: list[tuple[str, Incident]] = []
    if policy.of_grid(user, user.scope_code or ""):
        tasks += [("verify", i) for i in scope.filter(case__status="fed_back").order_by("case__updated_at")[:200]]
        tasks += [("self_close", i) for i in scope.filter(case__status="reported", reporter=user,
                                                          category_version__self_close=True)[:200]]
    held = Q(case__handler=user)
    if user.department_id is not None:
        held |= Q(case__handler__isnull=True, case__handler_unit_id=user.department_id)
    tasks += [("handle", i) for i in scope.filter(held, case__status="dispatched")
              .order_by("case__deadline_due_at")[:200]]
    return tasks


def categories_for(*, user: Any) -> list[tuple[Category, bool]]:
    """Active minor categories with their current version, the user's recently used ones first (bool)."""
    cats = list(Category.objects.filter(parent__isnull=False, active=True, current_version__isnull=False)
                .select_related("current_version__department", "parent").order_by("type", "sort", "code"))
    recent: list[int] = []
    if isinstance(user, User):
        seen = (Incident.objects.filter(reporter=user).order_by("-created_at")
                .values_list("category_id", flat=True)[:50])
        recent = list(dict.fromkeys(seen))[:8]
    rank = {pk: i for i, pk in enumerate(recent)}
    cats.sort(key=lambda c: (0, rank[c.pk]) if c.pk in rank else (1, 0))
    return [(c, c.pk in rank) for c in cats]
