"""Assistance applications (救助申请): filing by the three channels and every step of the review.

Channels: the family online (the citizen portal, its own account), the window (一窗受理: the service hall's
application of an assistance item, taken over once the window accepted it), and the village or grid worker on
the family's behalf (with the family's consent). Each step locks the row, checks ``policy`` (the household out
of sight: 404), sets the row's fields of the step, then calls the kernel's ``transition()`` (roles, guards,
deadline, audit, effects), then keeps the file in step (status, next review).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from zhenwu.accounts.choices import UserKind
from zhenwu.accounts.models import User
from zhenwu.areas.models import Area
from zhenwu.assistance import policy, process
from zhenwu.assistance.choices import (
    ApplicationKind,
    AssistanceStatus,
    Channel,
    ConsentMethod,
    Decision,
    NeedKind,
)
from zhenwu.assistance.choices_calc import GrantStatus
from zhenwu.assistance.models import AssistanceApplication, AssistanceFile, Need
from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.services import files, grants, rules
from zhenwu.assistance.services.common import add_working_days, amount, choice, date, text, today, whole
from zhenwu.assistance.services.grants import town_of
from zhenwu.casework.hooks import HALL_APPLICATION_DECIDED, HALL_APPLICATION_TAKEN_OVER, hook_call
from zhenwu.casework.kinds import case_pillar
from zhenwu.casework.models import AuditEntry, Case
from zhenwu.casework.services import attachment_add, case_create, transition
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.models import Household, Resident

# 一窗受理: the hall's application this one came from is decided with it (zhenwu/casework/hooks.py)
HALL_OUTCOMES = {"approve": "approved", "deny": "denied", "reject": "denied", "withdraw": "withdrawn"}
STATUS_OF_KIND = {ApplicationKind.DIBAO: AssistanceStatus.DIBAO, ApplicationKind.TEKUN: AssistanceStatus.TEKUN,
                  ApplicationKind.EXPENDITURE: AssistanceStatus.EXPENDITURE,
                  ApplicationKind.TEMPORARY: AssistanceStatus.TEMPORARY}


def _village_name(area_code: str) -> str:
    village = Area.objects.filter(code=area_code[:policy.VILLAGE_CODE_LENGTH]).values_list("name", flat=True).first()
    return village or area_code


def _duplicate_check(file: AssistanceFile, kind: str) -> None:
    """One household, one application of a kind at a time; none while it receives that kind already."""
    same = file.applications.filter(kind=kind).select_related("case")
    if any(a.case.status in process.ACTIVE_GRANT for a in same):
        raise FieldError("kind", _("This household already receives this kind of assistance."))
    if any(a.case.status not in process.DECIDED for a in same):
        raise FieldError("kind", _("This household has an application of this kind under review already."))


def _consent(channel: str, consent_method: str, consent_by: str) -> tuple[str, str]:
    if channel != Channel.PROXY:
        return "", ""
    errors: list[tuple[str | None, Any]] = []
    if consent_method not in ConsentMethod.values:
        errors.append(("consent_method", _("An application on the family's behalf needs the family's consent.")))
    if not consent_by.strip():
        errors.append(("consent_by", _("Name the family member who agreed.")))
    if errors:
        raise FieldError(None, errors=errors)
    return consent_method, text(consent_by, "consent_by", max_length=50)


def _open(*, actor: User | None, household: Household, applicant: Resident, kind: str, channel: str, reason: str,
          consent: tuple[str, str] = ("", ""), hall_number: str = "", applicant_user: User | None = None,
          request_id: str = "") -> AssistanceApplication:
    kind = choice(kind, ApplicationKind, "kind")
    reason = text(reason, "reason", max_length=2000)
    file = files.file_for_household(household=household, actor=actor)
    _duplicate_check(file, kind)
    title = f"{ApplicationKind(kind).label} · {_village_name(file.area_code)}"  # no name: the title is shown widely
    case = case_create(kind=process.KIND, process=process.process_for(kind), area_code=file.area_code,
                       title=str(title), actor=actor, request_id=request_id)
    return AssistanceApplication.objects.create(
        case=case, file=file, kind=kind, channel=channel, applicant=applicant, applicant_user=applicant_user,
        filed_by=actor if actor is not None and actor.kind == UserKind.STAFF else None, hall_number=hall_number,
        reason=reason, consent_method=consent[0], consent_by=consent[1])


@transaction.atomic
def application_file(*, actor: User, kind: str, applicant_id: int, reason: str, channel: str = Channel.PROXY,
                     consent_method: str = "", consent_by: str = "", request_id: str = "") -> AssistanceApplication:
    """Staff file an application for a household member: the village worker on the family's behalf (``proxy``,
    with consent) or civil affairs at the town."""
    applicant = Resident.objects.select_related("household").filter(pk=applicant_id).first()
    if applicant is None or applicant.household is None:
        raise NotFound(_("No such resident in a household."), field="applicant")
    policy.check(actor, "application_file", area_code=applicant.household.area_code,
                 missing=_("No such resident in a household."))
    if channel not in (Channel.PROXY, Channel.WINDOW):
        raise FieldError("channel", _("Staff file on the family's behalf or at the window."))
    return _open(actor=actor, household=applicant.household, applicant=applicant, kind=kind, channel=channel,
                 reason=reason, consent=_consent(channel, consent_method, consent_by), request_id=request_id)


@transaction.atomic
def application_file_online(*, actor: User, kind: str, reason: str, request_id: str = "") -> AssistanceApplication:
    """The family applies online (the citizen portal): the applicant is the account's own person in the registry."""
    if actor.kind != UserKind.CITIZEN or not actor.id_number:
        raise Forbidden(_("Apply online with a citizen account whose identity is verified."))
    applicant = Resident.objects.select_related("household").filter(id_number=actor.id_number).first()
    if applicant is None or applicant.household is None:
        raise FieldError("applicant", _("Your household is not in the town's registry; apply at the window or ask "
                                        "your village worker."))
    return _open(actor=actor, household=applicant.household, applicant=applicant, kind=kind, channel=Channel.ONLINE,
                 reason=reason, applicant_user=actor, request_id=request_id)


def _hall_kind(case: Case) -> str:
    for code, kind in settings.ASSISTANCE_HALL_ITEMS.items():
        if case.process.startswith(f"services:{code}:"):
            return kind
    raise FieldError("hall_number", _("This service-hall application is not for an assistance item."))


@transaction.atomic
def application_from_hall(*, actor: User | None, hall_number: str) -> AssistanceApplication:
    """一窗受理: the service hall's application of an assistance item (``ASSISTANCE_HALL_ITEMS``), once the window
    accepted it, becomes an assistance application of the applicant's household (``actor`` None: the system,
    from the tick). Idempotent: the same hall application gives the same assistance application."""
    existing = AssistanceApplication.objects.filter(hall_number=hall_number).first()
    hall = Case.objects.filter(number=hall_number, kind="SQ").first()
    if hall is None:
        raise NotFound(_("No such service-hall application."), field="hall_number")
    if actor is not None:
        policy.check_role(actor, "application_file")
        if not policy.visible_on(actor, hall.area_code) and not actor.has_role("civil_affairs"):
            raise NotFound(_("No such service-hall application."), field="hall_number")
    if existing is not None:
        return existing
    kind = _hall_kind(hall)
    if not AuditEntry.objects.filter(subject=hall.number, action="accept").exists():
        raise FieldError("hall_number", _("The window has not accepted this application yet."))
    hall_row = case_pillar(hall)
    number = str(getattr(hall_row, "applicant_id_number", "") or "")
    applicant = Resident.objects.select_related("household").filter(id_number=number).first() if number else None
    if applicant is None or applicant.household is None:
        raise FieldError("hall_number", _("The applicant is not in a household of the registry."))
    row = _open(actor=actor, household=applicant.household, applicant=applicant, kind=kind, channel=Channel.WINDOW,
                reason=str(_("Taken in at the window: %(number)s") % {"number": hall.number}),
                hall_number=hall.number)
    hook_call(HALL_APPLICATION_TAKEN_OVER, number=hall.number, taken_by=row.case.number)  # the hall's clock pauses
    return row


def hall_intake(*, now: datetime.datetime | None = None) -> int:
    """The tick's step: every accepted hall application of an assistance item not taken over yet."""
    items = Q()
    for code in settings.ASSISTANCE_HALL_ITEMS:
        items |= Q(process__startswith=f"services:{code}:")
    if not items:
        return 0
    accepted = AuditEntry.objects.filter(action="accept", case__kind="SQ").values("subject")
    taken = AssistanceApplication.objects.exclude(hall_number="").values("hall_number")
    count = 0
    for number in (Case.objects.filter(items, kind="SQ", number__in=accepted).exclude(number__in=taken)
                   .values_list("number", flat=True)):
        try:
            with transaction.atomic():
                application_from_hall(actor=None, hall_number=number)
                count += 1
        except FieldError:
            continue  # e.g. the applicant is not in the registry: civil affairs take it over by hand
    return count


# --- 动态复核 coming due ---------------------------------------------------------------------------------

def reviews_due(*, now: datetime.datetime | None = None) -> int:
    """The tick's step: start the 动态复核 of every granted household whose review is due within
    ``ASSISTANCE_REVIEW_LEAD_DAYS`` (``next_review_on``, by status and work capacity) or whose grant period ends
    within them (its renewal), so it is decided before the period runs out. The system moves the case to
    ``reviewing``: its deadline starts and it is in civil affairs' list of reviews."""
    day = timezone.localdate(now) if now else today()
    cutoff = day + datetime.timedelta(days=settings.ASSISTANCE_REVIEW_LEAD_DAYS)
    last_end = (Grant.objects.filter(file=OuterRef("file"), kind=OuterRef("kind"), status=GrantStatus.ACTIVE)
                .values("file").annotate(end=Max("period_end")).values("end"))
    due = (AssistanceApplication.objects.filter(case__status="granted", case__process=process.FULL)
           .annotate(grant_end=Subquery(last_end))
           .filter(Q(file__next_review_on__lte=cutoff) | Q(grant_end__lte=cutoff))
           .values_list("case__number", flat=True))
    count = 0
    for number in list(due):
        try:
            with transaction.atomic():
                row = _locked_row(number)
                if row.case.status != "granted":
                    continue
                transition(actor=None, case=row.case, action="review_start",
                           reason=str(_("The periodic review is due.")))
                count += 1
        except FieldError:
            continue  # moved meanwhile (a lost race): the next tick looks again
    return count


# --- the steps ----------------------------------------------------------------------------------------

def _locked_row(number: str) -> AssistanceApplication:
    row = (AssistanceApplication.objects.select_for_update(of=("self",)).select_related("case", "file")
           .filter(case__number=number).first())
    if row is None:
        raise NotFound(_("No such assistance application."), field="number")
    return row


def _is_applicant(actor: User, row: AssistanceApplication) -> bool:
    return actor.kind != UserKind.STAFF and row.applicant_user_id is not None and row.applicant_user_id == actor.pk


def _needs(row: AssistanceApplication, actor: User, raw: Any) -> int:
    if not raw:
        return 0
    if not isinstance(raw, list):
        raise FieldError("fields.needs", _("A list of needs."))
    made = 0
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise FieldError(f"fields.needs.{i}", _("Each need is an object."))
        Need.objects.create(file=row.file, kind=choice(item.get("kind"), NeedKind, f"fields.needs.{i}.kind"),
                            description=text(item.get("description"), f"fields.needs.{i}.description",
                                             max_length=300),
                            area_code=row.file.area_code, found_on=today(), created_by=actor)
        made += 1
    return made


def _prepare(actor: User, row: AssistanceApplication, action: str, values: dict[str, Any]) -> None:
    """The row's fields of the step, set (and saved) before ``transition()``: guards read the saved row."""
    if action == "check":
        row.check_result = files.economic_check(row.file)
        values["flags"] = len(row.check_result["flags"])
        values["per_capita_monthly"] = row.check_result["per_capita_monthly"]
    elif action == "survey":
        row.survey = {"living_conditions": text(values.get("living_conditions"), "fields.living_conditions",
                                                max_length=2000),
                      "findings": text(values.get("findings"), "fields.findings", max_length=2000),
                      "surveyors": text(values.get("surveyors"), "fields.surveyors", max_length=200, required=False),
                      "on": today().isoformat(), "by": actor.pk}
        values["needs"] = _needs(row, actor, values.get("needs"))
    elif action == "appraise":
        held = date(values.get("held_on"), "fields.held_on")
        if held > today():
            raise FieldError("fields.held_on", _("The appraisal cannot be in the future."))
        row.amount = amount(values.get("amount"), "fields.amount", positive=True)
        row.appraisal = {"held_on": held.isoformat(),
                         "participants": whole(values.get("participants"), "fields.participants", high=10_000),
                         "votes_for": whole(values.get("votes_for"), "fields.votes_for", high=10_000),
                         "votes_against": whole(values.get("votes_against"), "fields.votes_against", high=10_000),
                         "minutes": text(values.get("minutes"), "fields.minutes", max_length=4000, required=False),
                         "by": actor.pk}
        values["amount"] = str(row.amount)
    elif action == "close_publicity":
        row.objections = text(values.get("objections"), "fields.objections", max_length=2000, required=False)
    elif action == "approve":
        row.amount = _approved_amount(row, values.get("amount"))
        values["amount"] = str(row.amount)
    elif action == "review_continue":
        row.amount = amount(values.get("amount"), "fields.amount", positive=True)
        values["amount"] = str(row.amount)
    elif action == "pay":
        paid = date(values.get("paid_from"), "fields.paid_from")
        values["paid_from"] = paid.isoformat()
    row.save()


def category_on_approval(row: AssistanceApplication) -> str:
    """The household's status once the application is approved (whose need line, tiers and cap then apply): the
    kind's own, except that 临时救助 leaves a household already in assistance in its status."""
    status = STATUS_OF_KIND.get(ApplicationKind(row.kind))
    if status and (status != AssistanceStatus.TEMPORARY or row.file.status == AssistanceStatus.NONE):
        return status
    return row.file.status


def rules_quote(row: AssistanceApplication) -> grants.Preview | None:
    """What the town's published rules give the household from this month, in the status the approval gives it
    (the grant 发放 opens is computed the same way): inputs, rules and the breakdown; None without rules."""
    category = category_on_approval(row)
    if category == AssistanceStatus.NONE:
        return None
    return grants.grant_quote(row.file, category=category, start=today().replace(day=1))


def rules_amount(row: AssistanceApplication) -> Decimal | None:
    """The monthly amount of ``rules_quote``."""
    quote = rules_quote(row)
    return quote.result.amount if quote else None


def _approved_amount(row: AssistanceApplication, raw: Any) -> Decimal:
    """审核确认 confirms the amount the published rules compute (typed or left empty); a town without published
    rules confirms the amount typed."""
    computed = rules_amount(row)
    if computed is None:
        typed = amount(raw, "fields.amount", positive=True)
        assert typed is not None  # required
        return typed
    if computed <= 0:
        raise FieldError("fields.amount", _("By the published rules this household receives nothing (its income "
                                            "after rigid expenditures is above the need line): deny the application "
                                            "or correct the household file."))
    if raw in (None, "") or amount(raw, "fields.amount", positive=True) == computed:
        return computed
    raise FieldError("fields.amount", _("By the published rules the monthly amount is %(amount)s yuan (the "
                                        "breakdown is on the application's page); the approval confirms it. "
                                        "Correct the household file to change it.") % {"amount": computed})


def _after(actor: User, row: AssistanceApplication, action: str, values: dict[str, Any], reason: str) -> None:
    """Keep the row and the household's file in step with the move just made."""
    on, now, file = today(), timezone.now(), row.file
    if action == "appraise":
        row.publicity_from = on
        row.publicity_until = add_working_days(on, settings.ASSISTANCE_PUBLICITY_WORKING_DAYS)
    elif action in ("approve", "deny"):
        row.decision = Decision.APPROVED if action == "approve" else Decision.DENIED
        row.decision_reason = str(values.get("reason") or reason)[:500]
        row.decided_at, row.decided_by = now, actor
        status = category_on_approval(row)
        if action == "approve" and status != file.status:
            files.status_set(file=file, status=status, on=on, reason=row.case.number, by=actor)
    elif action == "pay":
        row.paid_from = date(values["paid_from"], "fields.paid_from")
        if row.case.process == process.FULL:
            file.next_review_on = files.review_due(file, row.paid_from)
            file.save(update_fields=["next_review_on", "updated_at"])
        _grant_open(actor, row)
    elif action in ("review_continue", "review_stop"):
        review: dict[str, Any] = {"on": on.isoformat(), "by": actor.pk, "outcome": action,
                                  "note": str(values.get("findings") or values.get("reason") or reason)[:2000],
                                  "amount": str(row.amount) if action == "review_continue" else None}
        if action == "review_continue":
            file.next_review_on = files.review_due(file, on)
            file.save(update_fields=["next_review_on", "updated_at"])
            renewed = grants.grant_renew(actor=actor, file=file, kind=row.kind, on=on, review_on=file.next_review_on,
                                         application_number=row.case.number)
            if renewed is not None:  # the next period, computed by the rules in force then
                review.update(grant_from=renewed.period_start.isoformat(),
                              grant_amount=str(renewed.monthly_amount))
        else:
            _grants_stop(actor, row, on)
        row.reviews = [*row.reviews, review]
        if action == "review_stop" and file.status == STATUS_OF_KIND.get(ApplicationKind(row.kind)):
            files.status_set(file=file, status=AssistanceStatus.NONE, on=on, reason=row.case.number, by=actor)
    row.save()
    if row.hall_number and action in HALL_OUTCOMES:
        hook_call(HALL_APPLICATION_DECIDED, number=row.hall_number, outcome=HALL_OUTCOMES[action],
                  reason=str(values.get("reason") or reason)[:500], decided_by=row.case.number)


def _grant_open(actor: User, row: AssistanceApplication) -> None:
    """发放 starts the household's grant from the month of the first payment, computed by the town's published
    rules (docs/assistance-calc.md): under the full review up to the first 动态复核 (which renews it), under the
    short review to the year's end. A town that has published no rules yet pays the amount confirmed at approval."""
    assert row.paid_from is not None
    start = row.paid_from.replace(day=1)
    if not rules.rules_published(town_of(row.file.area_code), start):
        return
    if row.case.process == process.FULL:  # the first period: up to the month before the first 动态复核
        grants.grant_open_period(actor=actor, file=row.file, kind=row.kind, start=start,
                                 review_on=row.file.next_review_on, application_number=row.case.number)
        return
    grants.grant_open(actor=actor, file=row.file, kind=row.kind, start=start, application_number=row.case.number)


def _grants_stop(actor: User, row: AssistanceApplication, on: datetime.date) -> None:
    """动态复核 ended the assistance: the household's grants of this kind end with the current month (a period that
    ends with it, or before, runs out as it is: no renewal follows)."""
    found = Grant.objects.filter(file=row.file, kind=row.kind,
                                 period_end__gt=grants.month_last(on)).order_by("period_start")
    for pk in found.values_list("pk", flat=True):
        grant = Grant.objects.get(pk=pk)
        if grant.status == GrantStatus.ACTIVE:  # stopping a part also stops the parts that follow it
            grants.grant_stop(actor=actor, grant=grant, last_month=on.replace(day=1), reason=row.case.number)


@transaction.atomic
def application_act(*, actor: User, number: str, action: str, fields: dict[str, Any] | None = None,
                    reason: str = "", expected_version: int | None = None,
                    request_id: str = "") -> AssistanceApplication:
    """One step of an assistance application (every action of its process). The applicant's own account may
    only withdraw; staff act when they see the household (civil affairs, the village worker) and the process
    gives their role the action."""
    row = _locked_row(number)
    by_applicant = _is_applicant(actor, row)
    if by_applicant and action != "withdraw":
        raise Forbidden(_("Your roles do not allow this action."))
    if not by_applicant and not policy.visible_on(actor, row.case.area_code):
        raise NotFound(_("No such assistance application."), field="number")
    values = dict(fields or {})
    _prepare(actor, row, action, values)
    transition(actor=actor, case=row.case, action=action, fields=values, reason=reason,
               expected_version=expected_version, by_applicant=by_applicant, request_id=request_id)
    _after(actor, row, action, values, reason)
    return row


@transaction.atomic
def survey_photo_add(*, actor: User, number: str, data: bytes, name: str, request_id: str = "") -> str:
    """A photo of the home survey, stored on the case under its SHA-256 (while the survey or a review runs)."""
    row = _locked_row(number)
    if not policy.visible_on(actor, row.case.area_code):
        raise NotFound(_("No such assistance application."), field="number")
    if not actor.has_role(*process.VILLAGE):
        raise Forbidden(_("Your roles do not allow this action."))
    if row.case.status not in ("surveying", "reviewing"):
        raise FieldError("file", _("Photos are added during the home survey or a review."))
    link = attachment_add(actor=actor, case=row.case, data=data, name=name[:200] or "survey.jpg",
                          request_id=request_id)
    sha = link.attachment.sha256
    if sha not in row.survey_photos:
        row.survey_photos = [*row.survey_photos, sha]
        row.save(update_fields=["survey_photos"])
    return sha
