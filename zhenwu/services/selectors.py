"""Every read of 一窗受理, scoped: staff by area prefix (village service staff: only their village's
proxy applications), citizens and enterprises only their own; anything else is 404."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhenwu.accounts.choices import Role
from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.casework.models import AuditEntry
from zhenwu.casework.process import RESUME, process_get
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _
from zhenwu.querycache import Compiled
from zhenwu.services import policy
from zhenwu.services.choices import ApplicationChannel, ReviewStep, Status
from zhenwu.services.labels import action_label
from zhenwu.services.lights import LIGHTS, light_counts, light_q
from zhenwu.services.models import Application, RectificationTask, ServiceItem, SupervisionTask
from zhenwu.services.policy import HALL_ROLES
from zhenwu.services.process import KIND, step_roles
from zhenwu.services.services.codes import NO_CODE_STATES
from zhenwu.services.services.common import active_stand_in, is_applicant_account

QUEUES: dict[str, tuple[str, ...]] = {
    "accept": (Status.PRECHECK, Status.SUBMITTED),
    "supplement": (Status.SUPPLEMENT,),
    "handling": (Status.ACCEPTED,),
    "review": (Status.FIRST_REVIEW, Status.SECOND_REVIEW),
    "approve": (Status.APPROVAL,),
    "special": (Status.SPECIAL,),
    "hand_out": (Status.FINISHED, Status.DENIED),
}


# ---------------------------------------------------------------- catalogue (public)

def service_item_list(*, q: str = "", department: str = "", kind: str = "") -> QuerySet[ServiceItem]:
    """Active items with a current version; ``q`` matches part of the name, an alias (低保 finds
    最低生活保障审核确认) or the exact code."""
    items = ServiceItem.objects.filter(active=True, current_version__isnull=False).select_related(
        "current_version")
    if q:
        items = items.filter(Q(code=q) | Q(name__contains=q) | Q(aliases__contains=q))
    if department:
        items = items.filter(department=department)
    if kind:
        items = items.filter(current_version__kind=kind)
    return items.order_by("code")


def service_item_get(*, code: str) -> ServiceItem:
    item = service_item_list().filter(code=code).first()
    if item is None:
        raise NotFound(_("There is no service item with this code."), field="code")
    return item


# ---------------------------------------------------------------- applications

def application_scope(*, user: User) -> QuerySet[Application]:
    """The applications this user may see at all."""
    base = Application.objects.select_related("case__handler", "item_version__item", "first_contact")
    if not user.is_authenticated:
        return base.none()
    if is_applicant_account(user):
        return base.filter(applicant_user=user)
    mine = restrict(base, user, field="case__area_code")
    if user.has_role(*HALL_ROLES):
        return mine
    if user.has_role(Role.VILLAGE_STAFF):
        return mine.filter(channel=ApplicationChannel.PROXY)
    return base.none()


PERSONAL = re.compile(r"\d{17}[\dXx]|[0-9A-HJ-NPQRTUWXY]{18}|1\d{10}")


def is_personal(q: str) -> bool:
    """An ID number, a USCC or a mobile: searched for only by POST, never in an address."""
    return bool(PERSONAL.fullmatch(q.strip()))


def _search(qs: QuerySet[Application], q: str) -> QuerySet[Application]:
    q = q.strip()
    if re.fullmatch(r"\d{17}[\dXx]", q):
        return qs.filter(Q(applicant_id_number=q.upper()) | Q(applicant_uscc=q.upper()))
    if re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", q):
        return qs.filter(applicant_uscc=q)
    if re.fullmatch(r"1\d{10}", q):
        return qs.filter(applicant_mobile=q)
    if q.upper().startswith(f"{KIND}-"):
        return qs.filter(case__number=q.upper())
    return qs.filter(applicant_name__startswith=q)


def application_list(*, user: User, queue: str = "", item: str = "", department: str = "", channel: str = "",
                     status: str = "", light: str = "", q: str = "", filed: str = "") -> QuerySet[Application]:
    """A queue (accept, supplement, handling, review, approve, special, hand_out) with filters and search.
    ``light`` keeps the cases in progress whose light is that now (``lights.light_q``); ``filed`` is a local
    date (YYYY-MM-DD): the cases filed that day (a chart's day links here)."""
    qs = application_scope(user=user)
    if queue:
        if queue not in QUEUES:
            raise FieldError("queue", _("Choose one of the allowed values."))
        qs = qs.filter(case__status__in=QUEUES[queue])
    if light:
        if light not in LIGHTS:
            raise FieldError("light", _("Choose one of the allowed values."))
        qs = qs.filter(light_q(light))
    filters = {"item_version__item__code": item, "item_version__department": department, "channel": channel,
               "case__status": status}
    qs = qs.filter(**{k: v for k, v in filters.items() if v})
    if filed:
        qs = qs.filter(case__created_at__range=_day_bounds(filed))
    # Newest first by the case's creation time: with the index on casework_case.created_at the page is
    # read from the index instead of sorting every case in scope.
    return (_search(qs, q) if q else qs).order_by("-case__created_at", "-case_id")


def _day_bounds(day: str) -> tuple[dt.datetime, dt.datetime]:
    try:
        date = dt.date.fromisoformat(day.strip())
    except ValueError:
        raise FieldError("filed", _("Enter a valid date (YYYY-MM-DD).")) from None
    start = dt.datetime.combine(date, dt.time(), timezone.get_current_timezone())
    return start, start + dt.timedelta(days=1) - dt.timedelta(microseconds=1)


def application_counts(*, user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    """Counts per queue, and per light of the cases in progress (the one definition of ``lights``) — the
    figures of the queue page, the API and the home pages."""
    running = [state for states in QUEUES.values() for state in states]
    rows = (application_scope(user=user).filter(case__status__in=running)  # the status index, not every case
            .values("case__status").annotate(n=Count("pk")))
    queues = dict.fromkeys(QUEUES, 0)
    for row in rows:
        for name, states in QUEUES.items():
            if row["case__status"] in states:
                queues[name] += row["n"]
    lights = light_counts(application_scope(user=user), now=now)
    return {"queues": queues, "lights": {k: lights[k] for k in LIGHTS}, "in_progress": sum(lights.values())}


def application_get(*, user: User, number: str) -> Application:
    app = application_scope(user=user).filter(case__number=number).first()
    if app is None:
        raise NotFound(_("No such application."), field="number")
    return app


def application_timeline(*, application: Application) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(subject=application.case.number).order_by("seq")


# The same, compiled once per process (zhenwu.querycache): every answer with an application's detail reads it.
_TIMELINE = Compiled(lambda number: AuditEntry.objects.filter(subject=number).order_by("seq"))


def application_timeline_list(*, application: Application) -> list[AuditEntry]:
    """``application_timeline`` read at once, for the API's detail answers."""
    return _TIMELINE.all(application.case.number)


def handler_candidates(*, application: Application) -> QuerySet[User]:
    """Who may be named handler (改派): active staff whose scope covers the case and who hold the role of
    the case's current step (the same rule ``application_reassign`` enforces)."""
    area = application.case.area_code
    prefixes = [area[:n] for n in range(6, len(area) + 1, 3)]
    return (User.objects.filter(kind="staff", is_active=True, scope_area__code__in=prefixes,
                                role_assignments__role__in=step_roles(application.case.status))
            .distinct().order_by("full_name", "username"))


def current_handler(*, application: Application) -> str:
    """Who holds the case now: the named handler, else the step and the role whose queue has it."""
    app = application
    if app.handler is not None:
        return str(app.handler)
    status = app.case.status
    if process_get(app.case.process).states[status].terminal:
        return ""
    roles = "、".join(str(Role(r).label) for r in step_roles(status))
    return _("%(step)s: any %(roles)s in scope") % {"step": process_get(app.case.process).state_label(status),
                                                   "roles": roles}


def handled_steps(*, application: Application) -> list[dict[str, Any]]:
    """Who handled each step so far (受理, 初审, 复审, 审批, 出件 …), from the audit trail."""
    proc = process_get(application.case.process)
    rows = []
    for e in application_timeline(application=application).exclude(to_state="").exclude(action="create"):
        if (e.data or {}).get("by_applicant"):
            continue
        state = proc.states.get(e.from_state)
        in_review = e.from_state in ReviewStep.values or e.from_state == Status.ACCEPTED
        label = proc.state_label(e.from_state) if in_review and state else action_label(proc, e.action, e.from_state)
        cover = (e.data or {}).get("stand_in_for")
        rows.append({"step": label, "actor": e.actor_name, "at": e.created_at,
                     "stand_in_for": cover["name"] if cover else ""})
    return rows


# ---------------------------------------------------------------- what may this user do now

PUBLIC_ACTIONS = {"precheck_pass": "precheck", "accept": "accept", "reject": "reject",
                  "request_supplement": "request_supplement", "approve": "decide", "deny": "decide",
                  "withdraw": "withdraw", "deliver": "deliver", "special_pause": "special_pause"}


def _public_name(key: str, state: str) -> str:
    if key == RESUME:  # the kernel's one way out of a pause, called after the pause it ends
        return "supply" if state == Status.SUPPLEMENT else "special_resume"
    if key.startswith("forward_"):
        return "review"
    return PUBLIC_ACTIONS.get(key, key)


def _may_cover(user: User, app: Application) -> bool:
    handler_id = app.case.handler_id
    return handler_id is None or handler_id == user.pk or active_stand_in(handler=handler_id, actor=user)


def application_actions(*, user: User, application: Application) -> list[str]:
    """Exactly the actions this user may take on the application now (service names, API paths)."""
    app = application
    status = app.case.status
    if is_applicant_account(user):
        mine = [n for n in ("supply", "withdraw") if _possible(app, n)]
        return mine + (["rate"] if _rateable(app) else [])
    proc = process_get(app.case.process)
    names = [_public_name(a.key, status) for a in proc.actions_from(status) if user.has_role(*a.roles)]
    if status in ReviewStep.values and "decide" in names:
        names.append("review")
    if status == Status.ACCEPTED and "decide" in names:
        names.append("finish")
    names = sorted(set(names)) if _may_cover(user, app) else []
    area = app.case.area_code
    if not proc.states[status].terminal and policy.may(user, "reassign", area_code=area):
        names.append("reassign")
    if status not in NO_CODE_STATES and policy.may(user, "reissue_code", area_code=area):
        names.append("reissue_code")
    if _rateable(app) and policy.may(user, "open_pad", area_code=area):
        names.append("open_pad")  # the applicant rates on the pad; staff never choose the level
    return sorted(names)


def _possible(app: Application, name: str) -> bool:
    proc = process_get(app.case.process)
    return any(_public_name(a.key, app.case.status) == name for a in proc.actions_from(app.case.status))


def _rateable(app: Application) -> bool:
    from zhenwu.services.models import Rating

    rateable = app.case.status in (Status.FINISHED, Status.DENIED, Status.DELIVERED)
    return rateable and not Rating.objects.filter(application=app).exists()


# ---------------------------------------------------------------- tasks

def rectification_list(*, user: User, status: str = "") -> QuerySet[RectificationTask]:
    qs = restrict(RectificationTask.objects.all(), user).select_related("application__case", "case",
                                                                                      "rating")
    return qs.filter(status=status) if status else qs


def rectification_get(*, user: User, pk: int) -> RectificationTask:
    task = rectification_list(user=user).filter(pk=pk).first()
    if task is None:
        raise NotFound(_("No such task."), field="id")
    return task


def supervision_list(*, user: User, status: str = "") -> QuerySet[SupervisionTask]:
    qs = restrict(SupervisionTask.objects.all(), user).select_related(
        "application__case", "case", "application__item_version")
    return qs.filter(status=status) if status else qs


def supervision_get(*, user: User, pk: int) -> SupervisionTask:
    task = supervision_list(user=user).filter(pk=pk).first()
    if task is None:
        raise NotFound(_("No such task."), field="id")
    return task
