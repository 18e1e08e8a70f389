"""Every read of 一队执法. The power list is public; officers and cases start from the one scope rule."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import restrict
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import OriginDepartment, OverturnKind, Procedure
from zhenwu.enforcement.models import Officer, PenaltyCase, PenaltyPower, PenaltyPowerVersion, Squad
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _


def power_list(*, q: str = "", department: str = "") -> QuerySet[PenaltyPower]:
    """The active powers (public), searched by code or name, filtered by origin department."""
    qs = PenaltyPower.objects.filter(active=True, current_version__isnull=False).select_related("current_version")
    if department:
        if department not in OriginDepartment.values:
            raise FieldError("department", _("Unknown origin department."))
        qs = qs.filter(department=department)
    if q.strip():
        qs = qs.filter(Q(code__icontains=q.strip()) | Q(name__icontains=q.strip()))
    return qs.order_by("code")


# Unfinished states of both procedures (summary: 当场决定 waiting to be filed): the list's 办理中 tab.
OPEN_STATES = ("registered", "investigating", "testing", "public_notice", "reviewing", "notice", "hearing",
               "decided", "served", "paid")


def power_get(*, code: str) -> PenaltyPower:
    power = (PenaltyPower.objects.filter(code=code, active=True, current_version__isnull=False)
             .select_related("current_version").first())
    if power is None:
        raise NotFound(_("No such penalty power."), field="code")
    return power


def officer_scope(*, user: User) -> QuerySet[Officer]:
    """Officers in the user's scope, for staff who work with them (officers, legal reviewers, leaders)."""
    base = Officer.objects.select_related("user", "squad")
    mine = restrict(base, user, field="area_code")
    return mine if policy.may_open(user, "officers") else base.none()


def case_scope(*, user: User) -> QuerySet[PenaltyCase]:
    """Penalty cases in the user's scope (officers their squad's area, leaders the town), for case roles."""
    base = PenaltyCase.objects.select_related("case", "power_version", "case__handler")
    mine = restrict(base, user, field="area_code")  # the case's area, kept on the row (PenaltyCase.area_code)
    return mine if policy.may_open(user, "cases") else base.none()


def case_get(*, user: User, number: str) -> PenaltyCase:
    row = case_scope(user=user).filter(case__number=number).first()
    if row is None:
        raise NotFound(_("No such penalty case."), field="number")
    return row


def case_actions(*, user: User, row: PenaltyCase) -> list[str]:
    """The actions of the process this user's roles allow from the case's state (``resume`` in a pause);
    the law's guards may still refuse one, with the reason, when it is taken."""
    from zhenwu.casework.process import process_get
    from zhenwu.enforcement.process import api_key
    from zhenwu.enforcement.services.payments import pending_remedy, refund_owed

    case = row.case
    keys = [a.key for a in process_get(case.process).actions_from(case.status) if user.has_role(*a.roles)]
    names = [api_key(k) for k in keys]  # the API names one ``extend``, one ``pay_instalment``, one ``refund``
    # the end of a remedy on a paid case, and a refund, only when there is one to record
    if "end_remedy" in names and pending_remedy(row) is None:
        names.remove("end_remedy")
    if "refund" in names and not refund_owed(row):
        names.remove("refund")
    return names


def officer_list(*, user: User, squad: str = "") -> QuerySet[Officer]:
    qs = officer_scope(user=user)
    return qs.filter(squad__name=squad) if squad else qs


def case_list(*, user: User, procedure: str = "", status: str = "", q: str = "",
              power: str = "") -> QuerySet[PenaltyCase]:
    """The cases ``user`` may see, by procedure, status (or "open"), power (code or name) and ``q`` (case
    number or party)."""
    qs = case_scope(user=user)
    if procedure:
        qs = qs.filter(procedure=procedure)
    if status:
        qs = qs.filter(status__in=OPEN_STATES) if status == "open" else qs.filter(status=status)
    if power.strip():
        # A power's code (whole or part) or a word of its name: resolved to the few powers first, so the list
        # of 100,000 cases is filtered on an index, not by a text search of every case's power.
        # A whole code (a link from elsewhere, ?power=<code>) is that power alone.
        text = power.strip()
        powers = PenaltyPower.objects.filter(code=text)
        if not powers.exists():
            powers = PenaltyPower.objects.filter(Q(code__icontains=text) | Q(name__icontains=text))
        qs = qs.filter(power_version__power__in=powers.values("pk"))
    if q.strip():
        qs = qs.filter(Q(case__number__icontains=q.strip()) | Q(party_name__icontains=q.strip()))
    return qs.order_by("-case__created_at")


def officer_patrols(user_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The officers' last known position and patrol mileage (today, this month) from the phone app's patrols,
    which 一网治理 keeps: asked through the kernel's hook ``PATROL_SUMMARY`` (pillars do not import each other)."""
    import datetime

    from django.utils import timezone

    from zhenwu.casework.hooks import PATROL_SUMMARY, hook_call

    if not user_ids:
        return {}
    now = timezone.localtime()
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    since = {"today": day, "month": day - datetime.timedelta(days=day.day - 1)}
    merged: dict[int, dict[str, Any]] = {}
    for answer in hook_call(PATROL_SUMMARY, user_ids=user_ids, since=since):
        merged.update(answer or {})
    return merged


def review_queue(*, user: User) -> QuerySet[PenaltyCase]:
    """法制审核 to do: cases after the investigation not yet reviewed, and major cases at the prior notice whose
    review is missing or came before the hearing ended (the decision guard asks for a review after it)."""
    before_notice = Q(status="reviewing", legal_reviewed_at__isnull=True)
    after_hearing = Q(status="notice", major=True) & (
        Q(legal_reviewed_at__isnull=True) | Q(legal_reviewed_at__lt=F("hearing_ended_at")))
    return case_scope(user=user).filter(before_notice | after_hearing).order_by("case__created_at")


APPROVAL_STATES = ("registered", "notice", "hearing", "paid")  # 立案审批, the decision, the hearing's end, 结案


def approval_queue(*, user: User) -> QuerySet[PenaltyCase]:
    """What waits for the head of the authority: 立案审批, a decision after the prior notice, the end of a
    hearing, 结案 after payment; oldest first."""
    return (case_scope(user=user).filter(procedure="general", status__in=APPROVAL_STATES)
            .order_by("case__created_at"))


def power_versions(*, code: str) -> QuerySet[PenaltyPowerVersion]:
    """Every version of a power, newest first, with its bands and responsibilities (the staff's history)."""
    power_get(code=code)
    return (PenaltyPowerVersion.objects.filter(power__code=code).select_related("created_by")
            .prefetch_related("bands", "responsibilities").order_by("-number"))


def squad_list(*, user: User) -> QuerySet[Squad]:
    """Squads whose area lies in the user's scope, or that cover it (a town's squad for a village's staff)."""
    if not policy.may_open(user, "officers"):
        return Squad.objects.none()
    from zhenwu.accounts.scope import EVERYTHING, scope_prefix

    prefix = scope_prefix(user) or ""
    qs = Squad.objects.select_related("area").prefetch_related("grids")
    if prefix == EVERYTHING:
        return qs.order_by("name")
    covering = [prefix[:n] for n in range(1, len(prefix) + 1)]
    return qs.filter(Q(area__code__startswith=prefix) | Q(area__code__in=covering)).order_by("name")


# --- 信用记录: a party's penalty record ----------------------------------------------------------------

def _credit_since(today: datetime.date) -> datetime.date:
    """The first day a decision still counts: ``ENFORCEMENT_CREDIT_YEARS`` (3) years back from ``today``."""
    years = settings.ENFORCEMENT_CREDIT_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


# A decision revoked or confirmed void (on reconsideration or by a court) is no penalty any more; one changed,
# or confirmed illegal but left standing, still is.
ANNULLED = (OverturnKind.RECONSIDERATION_REVOKED, OverturnKind.LITIGATION_REVOKED, OverturnKind.CONFIRMED_VOID)


def _penalised(on: datetime.date | None = None) -> QuerySet[PenaltyCase]:
    """General-procedure penalties decided within the credit years (a dropped case has no decision), less those
    annulled (the overturn recorded on the decision's publication)."""
    day = on or timezone.localdate()
    return PenaltyCase.objects.filter(procedure=Procedure.GENERAL, decided_on__isnull=False, decided_on__lte=day,
                                      decided_on__gte=_credit_since(day)).exclude(
        publication__overturn_kind__in=ANNULLED)


def credit_flagged(party_keys: Iterable[str]) -> set[str]:
    """Of ``party_keys`` (USCCs and resident ID numbers, any case), those with a penalty decided in the general
    procedure within ``ENFORCEMENT_CREDIT_YEARS`` years: the credit flag (信用记录)."""
    keys = {k.strip().upper() for k in party_keys if k and k.strip()}
    if not keys:
        return set()
    hits = _penalised().filter(Q(party_uscc__in=keys) | Q(party_id_number__in=keys))
    found: set[str] = set()
    for uscc, id_number in hits.values_list("party_uscc", "party_id_number"):
        found |= {k for k in (uscc, id_number) if k in keys}
    return found


def credit_flagged_enterprise_ids(*, on: datetime.date | None = None) -> set[int]:
    """Registry ``Enterprise`` ids with a flag on ``on`` (today): linked to a penalised case, or holding a penalised
    party's USCC (the enterprise may have entered the registry after the case). Read by the random-inspection
    directories when a plan is announced (docs/enforcement-draw.md)."""
    from zhenwu.registry.models import Enterprise

    rows = _penalised(on).exclude(party_uscc="")
    linked = set(rows.filter(enterprise__isnull=False).values_list("enterprise_id", flat=True))
    by_code = set(Enterprise.objects.filter(uscc__in=rows.values("party_uscc")).values_list("pk", flat=True))
    return {int(pk) for pk in linked | by_code}
