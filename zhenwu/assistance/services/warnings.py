"""智能+预警: the rules over settlements (one set-based query), raising warnings as cases for the village
worker of the household's grid, the home visit that closes them, and reassignment."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from zhenwu.accounts.choices import Role, UserKind
from zhenwu.accounts.models import User
from zhenwu.assistance import policy_warnings as policy
from zhenwu.assistance.choices import AssistanceStatus
from zhenwu.assistance.choices_warnings import WarningOutcome, WarningReason, WarningState
from zhenwu.assistance.models import AssistanceFile, EarlyWarning, HomeVisit, LifeEvent, Settlement, WarningRule
from zhenwu.assistance.warning_process import KIND, PROCESS
from zhenwu.casework.models import Case
from zhenwu.casework.services import attachment_store, audit_record, case_create, transition
from zhenwu.casework.services.assignment import case_assign, case_cover, case_hand_over
from zhenwu.casework.services.attachments import sniff_type
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.registry.models import GridAssignment, Resident

MAX_WINDOW_DAYS = 1096  # three years: a longer window is a typing error
MAX_PHOTOS = 9
PERSONS_IN_ONE_QUERY = 5000  # beyond this a scan looks at everyone (the IN list would only slow it down)
NONE = AssistanceStatus.NONE.value


@dataclass(frozen=True)
class Rule:
    """The threshold of one status over its rolling window (None: the status raises no warning)."""

    status: str
    threshold: Decimal | None
    window_days: int

    def window_start(self, as_of: dt.date) -> dt.date:
        """The day before the window: settlements dated after it and on or before ``as_of`` count."""
        return as_of - dt.timedelta(days=self.window_days)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    status: str
    amount: Decimal


def rules_current() -> dict[str, Rule]:
    """Every status's rule: the settings' default unless a WarningRule row of the status overrides it."""
    window = settings.ASSISTANCE_WARNING_WINDOW_DAYS
    rules = {status: Rule(status, Decimal(settings.ASSISTANCE_WARNING_THRESHOLDS[status])
                          if status in settings.ASSISTANCE_WARNING_THRESHOLDS else None, window)
             for status in AssistanceStatus.values}
    for row in WarningRule.objects.all():
        rules[row.status] = Rule(row.status, row.threshold if row.active else None, row.window_days)
    return rules


@transaction.atomic
def rule_set(*, actor: User, status: str, threshold: Decimal, window_days: int, active: bool = True) -> WarningRule:
    """Change one status's threshold and window (civil affairs); applies from the next scan."""
    policy.check_manager(actor)
    if status not in AssistanceStatus.values:
        raise FieldError("status", _("Choose one of the allowed values."))
    if threshold is None or threshold <= 0:
        raise FieldError("threshold", _("The threshold must be more than zero."))
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise FieldError("window_days", _("The window must be between 1 and %(max)d days.") % {"max": MAX_WINDOW_DAYS})
    row, _created = WarningRule.objects.update_or_create(
        status=status, defaults={"threshold": threshold, "window_days": window_days, "active": active,
                                 "updated_by": actor})
    audit_record(subject=f"assistance.warningrule:{status}", actor=actor, action="rule_set",
                 data={"threshold": str(threshold), "window_days": window_days, "active": active})
    return row


# --- the rule as one query --------------------------------------------------------------------------------

def _case(expr: str, pairs: Sequence[tuple[str, object]], cast: str = "") -> tuple[str, list[object]]:
    whens, params = [], []
    for key, value in pairs:
        whens.append(f"WHEN %s THEN {cast.replace('?', '%s') if cast else '%s'}")
        params += [key, value]
    return f"CASE {expr} {' '.join(whens)} END", params


def spending_sql(rules: dict[str, Rule], as_of: dt.date, persons: Sequence[int] | None) -> tuple[str, list[object]]:
    """The rule over every person at once: out-of-pocket spending summed per person over the window of the
    person's status, kept where it reaches that status's threshold and no open or recent warning exists."""
    active = [r for r in rules.values() if r.threshold is not None]
    s, r, f, w = (Settlement._meta.db_table, Resident._meta.db_table, AssistanceFile._meta.db_table,
                  EarlyWarning._meta.db_table)
    status = f"COALESCE(f.status, '{NONE}')"
    starts, start_params = _case(status, [(x.status, x.window_start(as_of)) for x in active])
    # CAST: SQLite compares a number with a text parameter as text
    limits, limit_params = _case(status, [(x.status, x.threshold) for x in active], cast="CAST(? AS NUMERIC)")
    earliest = min(x.window_start(as_of) for x in active)
    quiet_since = as_of - dt.timedelta(days=settings.ASSISTANCE_WARNING_QUIET_DAYS)
    only = ""
    params: list[object] = [earliest, as_of, *start_params]
    if persons is not None:
        only = f" AND s.person_id IN ({', '.join(['%s'] * len(persons))})"
        params += list(persons)
    params += [*limit_params, WarningReason.SPENDING.value, WarningState.OPEN.value, quiet_since]
    sql = (f"SELECT g.person_id, g.st, g.amount FROM ("
           f" SELECT s.person_id AS person_id, {status} AS st, SUM(s.out_of_pocket) AS amount"
           f" FROM {s} s JOIN {r} r ON r.id = s.person_id LEFT JOIN {f} f ON f.household_id = r.household_id"
           f" WHERE s.date > %s AND s.date <= %s AND s.date > {starts}{only}"
           f" GROUP BY s.person_id, {status}"
           f" HAVING SUM(s.out_of_pocket) >= {limits}) g"
           f" WHERE NOT EXISTS (SELECT 1 FROM {w} w WHERE w.person_id = g.person_id AND w.reason = %s"
           f" AND (w.state = %s OR w.as_of > %s))"
           f" ORDER BY g.person_id")
    return sql, params


def spending_candidates(*, as_of: dt.date, persons: Iterable[int] | None = None) -> list[Candidate]:
    """The people the spending rule flags on ``as_of`` (see ``spending_sql``)."""
    rules = rules_current()
    if not any(r.threshold is not None for r in rules.values()):
        return []
    ids = sorted(set(persons)) if persons is not None else None
    if ids is not None and not ids:
        return []
    if ids is not None and len(ids) > PERSONS_IN_ONE_QUERY:
        ids = None
    sql, params = spending_sql(rules, as_of, ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # type: ignore[arg-type]
        rows = cursor.fetchall()
    return [Candidate(int(pid), str(st), Decimal(str(amount)).quantize(Decimal("0.01"))) for pid, st, amount in rows]


# --- raising ------------------------------------------------------------------------------------------------

DUTY_ORDER = ("worker", "special", "leader", "info_officer")


def village_worker_for(area_code: str) -> User | None:
    """Who holds a warning of the grid ``area_code``: the grid's assigned staff (a grid worker first), else the
    village service staff of its village; None when nobody serves it (civil affairs then reassign it)."""
    today = timezone.localdate()
    codes = [area_code[:n] for n in range(len(area_code), policy.VILLAGE_CODE_LENGTH, -3)]
    rows = (GridAssignment.objects.filter(grid__code__in=codes, started_on__lte=today, user__is_active=True)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today)).select_related("user", "grid"))
    ranked = sorted(rows, key=lambda a: (-len(a.grid.code), DUTY_ORDER.index(a.duty) if a.duty in DUTY_ORDER else 9,
                                         a.user_id))
    for row in ranked:
        if policy.is_village_worker(row.user, area_code):
            return row.user
    village = area_code[:policy.VILLAGE_CODE_LENGTH]
    return (User.objects.filter(kind=UserKind.STAFF, is_active=True, scope_area__code=village,
                                role_assignments__role=Role.VILLAGE_STAFF).order_by("pk").first())


def _title(reason: str) -> str:
    # Supervision lists show the title to people who may not read the warning: no name, no amount.
    return str(WarningReason(reason).label)[:200]


def warning_raise(*, person: Resident, reason: str, status: str, as_of: dt.date, rule: Rule | None = None,
                  amount: Decimal | None = None, event: LifeEvent | None = None) -> EarlyWarning | None:
    """Raise one warning and its case (opened by the system), held by the village worker of the grid.
    None when an open spending warning of the person exists already (a concurrent scan raised it)."""
    home = person.household
    area = home.area_code if home is not None else person.area_code
    try:
        with transaction.atomic():
            case = case_create(kind=KIND, process=PROCESS, area_code=area, title=_title(reason), actor=None)
            warning = EarlyWarning.objects.create(
                case=case, person=person, household=home, area_code=area, reason=reason, status_at=status,
                threshold=rule.threshold if rule else None, window_start=rule.window_start(as_of) if rule else None,
                as_of=as_of, amount=amount, event=event)
            worker = village_worker_for(area)
            if worker is not None:
                case_hand_over(case=case, handler=worker, reason="村（网格）工作人员")
    except IntegrityError:
        return None
    return warning


def warnings_scan(*, as_of: dt.date | None = None, persons: Iterable[int] | None = None) -> list[EarlyWarning]:
    """Run the spending rule as of ``as_of`` (today) over everyone or ``persons`` and raise what it flags."""
    as_of = as_of or timezone.localdate()
    found = spending_candidates(as_of=as_of, persons=persons)
    if not found:
        return []
    rules = rules_current()
    people = Resident.objects.select_related("household").in_bulk([c.person_id for c in found])
    raised = []
    for c in found:
        warning = warning_raise(person=people[c.person_id], reason=WarningReason.SPENDING, status=c.status,
                                as_of=as_of, rule=rules[c.status], amount=c.amount)
        if warning is not None:
            raised.append(warning)
    return raised


def person_status(person: Resident) -> str:
    """The status of the assistance file of the person's household; none without one."""
    if person.household_id is None:
        return NONE
    row = AssistanceFile.objects.filter(household_id=person.household_id).values_list("status", flat=True).first()
    return row or NONE


def event_warnings_raise(events: Iterable[LifeEvent]) -> list[EarlyWarning]:
    """A warning per life event of a kind the settings name."""
    raised = []
    for event in events:
        if event.kind not in settings.ASSISTANCE_WARNING_EVENT_KINDS:
            continue
        person = event.person
        warning = warning_raise(person=person, reason=event.kind, status=person_status(person),
                                as_of=event.date, event=event)
        if warning is not None:
            raised.append(warning)
    return raised


# --- the visit -------------------------------------------------------------------------------------------

def _text(value: str, field: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise FieldError(field, _("This field is required."))
    if len(value) > max_length:
        raise FieldError(field, _("Enter at most %(max)d characters.") % {"max": max_length})
    return value


def _visit_fields(outcome: str, application_number: str, referred_to: str) -> dict[str, str]:
    if outcome not in WarningOutcome.values:
        raise FieldError("outcome", _("Choose one of the allowed values."))
    fields = {"outcome": outcome, "application_number": "", "referred_to": ""}
    if outcome == WarningOutcome.APPLICATION_OPENED:
        fields["application_number"] = _text(application_number, "application_number", 48)
    elif outcome == WarningOutcome.REFERRED:
        fields["referred_to"] = _text(referred_to, "referred_to", 100)
    return fields


def _photos_check(photos: Sequence[tuple[str, bytes]]) -> None:
    if len(photos) > MAX_PHOTOS:
        raise FieldError("photos", _("At most %(n)d photos.") % {"n": MAX_PHOTOS})
    for i, (_name, data) in enumerate(photos):
        if not sniff_type(data).startswith("image/"):
            raise FieldError(f"photos.{i}", _("Only photos (JPEG, PNG, WebP or GIF) may be attached."))


def _visit_day(visited_on: dt.date | None, warning: EarlyWarning) -> dt.date:
    today = timezone.localdate()
    day = visited_on or today
    if day > today:
        raise FieldError("visited_on", _("The date cannot be in the future."))
    if day < timezone.localdate(warning.created_at):
        raise FieldError("visited_on", _("The visit cannot be before the warning was raised."))
    return day


@transaction.atomic
def warning_visit(*, actor: User, warning: EarlyWarning, record: str, outcome: str, application_number: str = "",
                  referred_to: str = "", photos: Sequence[tuple[str, bytes]] = (),
                  visited_on: dt.date | None = None, expected_version: int | None = None,
                  request_id: str = "") -> EarlyWarning:
    """入户核实: the village worker's record, photos and outcome close the warning and its case."""
    warning = EarlyWarning.objects.select_for_update().select_related("case").get(pk=warning.pk)
    if not policy.may_read_person(actor, warning.area_code):
        raise NotFound(_("No such warning."), field="number")
    if warning.state != WarningState.OPEN:
        raise FieldError("status", _("This warning has been visited already."))
    record = _text(record, "record", 4000)
    fields = _visit_fields(outcome, application_number, referred_to)
    day = _visit_day(visited_on, warning)
    _photos_check(photos)
    # Stored by the kernel but not filed on the case: the kernel serves a case's files to everyone in its
    # scope, and these show a family's home; the app serves them under its own rule (policy_warnings).
    hashes = [attachment_store(actor=actor, data=data).sha256 for _name, data in photos]
    digest = hashlib.sha256(record.encode("utf-8")).hexdigest()
    warning.case = transition(actor=actor, case=warning.case, action="visit",
                              reason=str(WarningOutcome(outcome).label),
                              fields={**fields, "record_sha256": digest, "visited_on": day.isoformat()},
                              attachments=hashes, expected_version=expected_version, request_id=request_id)
    HomeVisit.objects.create(warning=warning, visited_on=day, visited_by=actor, record=record, photos=hashes)
    warning.state, warning.outcome, warning.closed_at = WarningState.CLOSED, outcome, timezone.now()
    warning.application_number, warning.referred_to = fields["application_number"], fields["referred_to"]
    warning.save(update_fields=["state", "outcome", "closed_at", "application_number", "referred_to"])
    return warning


def may_visit(user: User, warning: EarlyWarning) -> bool:
    """The visit form shows exactly when ``warning_visit`` would take the step."""
    if not policy.may_visit(user, warning):
        return False
    try:
        case_cover(actor=user, case=warning.case)
    except Forbidden:
        return False
    return True


@transaction.atomic
def warning_reassign(*, actor: User, warning: EarlyWarning, handler: User, reason: str = "",
                     request_id: str = "") -> Case:
    """改派: civil affairs hand the warning to another village worker of the grid (or themselves)."""
    if not policy.is_manager(actor, warning.area_code):
        if policy.may_read_person(actor, warning.area_code):
            raise Forbidden(_("Only civil-affairs staff may do this."))
        raise NotFound(_("No such warning."), field="number")
    if not policy.may_read_person(handler, warning.area_code):
        raise FieldError("handler", _("Choose the village worker of the household's grid or civil-affairs staff."))
    return case_assign(actor=actor, case=warning.case, handler=handler, reason=reason, request_id=request_id,
                       roles=[r.value for r in policy.VISIT_ROLES],
                       reassigner_roles=[r.value for r in policy.REASSIGN_ROLES])


def warning_viewed(*, actor: User, warning: EarlyWarning, request_id: str = "") -> None:
    """Every view of a warning (a person's medical spending) is audited on its case's chain."""
    audit_record(subject=warning.case.number, case=warning.case, actor=actor, action="view", request_id=request_id)
