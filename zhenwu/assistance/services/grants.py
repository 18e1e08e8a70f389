"""Grants: open one for an approved household, renew or stop one at the periodic review, and recompute them when
new rules take effect.

A grant runs for whole months within one year; a longer period (发放 up to the first 动态复核, a renewal up to the
next one) is a chain of grants, one per year, each linked to the one before by ``previous``. Its amount is computed by
``zhenwu.assistance.calc.calculate`` under the rule set in force at its start; when a later version takes effect
inside its period the grant is split there, each part under its own rules. The household's cap of combined
assistance per year counts every grant of the household in that year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db import transaction

from zhenwu.accounts.models import User
from zhenwu.assistance import policy_calc as policy
from zhenwu.assistance.calc import ZERO, CalcInputs, CalcResult, Rules, calc_inputs, calc_inputs_many, calculate
from zhenwu.assistance.choices import ApplicationKind, AssistanceStatus
from zhenwu.assistance.choices_calc import GrantStatus
from zhenwu.assistance.models import AssistanceFile, Grant, RuleSet
from zhenwu.assistance.services.rules import rule_set_for, rules_of, rules_published
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import Conflict, FieldError
from zhenwu.errors import gettext as _

ONE_DAY = dt.timedelta(days=1)


def month_first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_last(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - ONE_DAY


def months_in_year(start: dt.date, end: dt.date, year: int) -> int:
    """Whole months of [start, end] (a month's first day … a month's last day) that fall in ``year``."""
    first, last = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


def town_of(area_code: str) -> str:
    return area_code[:policy.TOWN_CODE_LENGTH]


# --- the household's year -------------------------------------------------------------------------------------

class YearLedger:
    """Every grant period of some households (monthly amount over months), for their yearly cap."""

    def __init__(self, file_ids: list[int]) -> None:
        self.rows: dict[int, dict[Any, tuple[dt.date, dt.date, Decimal]]] = defaultdict(dict)
        for pk, f, start, end, amount in Grant.objects.filter(file_id__in=file_ids).values_list(
                "pk", "file_id", "period_start", "period_end", "monthly_amount"):
            self.rows[f][pk] = (start, end, amount)

    def granted(self, file_id: int, year: int) -> Decimal:
        return sum((amount * months_in_year(s, e, year) for s, e, amount in self.rows[file_id].values()), ZERO)

    def put(self, file_id: int, key: Any, start: dt.date, end: dt.date, amount: Decimal) -> None:
        self.rows[file_id][key] = (start, end, amount)


# --- opening ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Preview:
    inputs: CalcInputs
    rules: Rules
    rule_set: RuleSet
    result: CalcResult


def _period(start: dt.date, end: dt.date | None) -> tuple[dt.date, dt.date]:
    if start != month_first(start):
        raise FieldError("start", _("A grant starts on the first day of a month."))
    end = end or dt.date(start.year, 12, 31)
    if end != month_last(end) or end < start:
        raise FieldError("end", _("A grant ends on the last day of a month, not before it starts."))
    if end.year != start.year:
        raise FieldError("end", _("A grant runs within one year; the yearly review renews it."))
    return start, end


def grant_preview(*, actor: User, file: AssistanceFile, start: dt.date, end: dt.date | None = None) -> Preview:
    """What a grant from ``start`` would be (rules in force then, the household's year so far); nothing written."""
    policy.check_grant_write(actor, file)
    start, end = _period(start, end)
    return _preview(file, _category(file), start, end)


def grant_quote(file: AssistanceFile, *, category: str, start: dt.date) -> Preview | None:
    """What a grant of ``category`` from ``start`` (the first of a month) to the year's end would be under the
    town's published rules, or None when it has published none for then; nothing written."""
    if not rules_published(town_of(file.area_code), start):
        return None
    start, end = _period(start, None)
    return _preview(file, category, start, end)


def _preview(file: AssistanceFile, category: str, start: dt.date, end: dt.date) -> Preview:
    rule_set = rule_set_for(town_of(file.area_code), start)
    rules = rules_of(rule_set)
    ledger = YearLedger([file.pk])
    inputs = replace(calc_inputs(file, year=start.year, months=months_in_year(start, end, start.year),
                                 year_granted=ledger.granted(file.pk, start.year)), category=category)
    return Preview(inputs, rules, rule_set, calculate(inputs, rules))


def _category(file: AssistanceFile) -> str:
    if file.status == AssistanceStatus.NONE:
        raise FieldError("file", _("This household is not in assistance: record its status first."))
    return file.status


def grant_open(*, actor: User, file: AssistanceFile, kind: str, start: dt.date, end: dt.date | None = None,
               application_number: str = "", request_id: str = "") -> Grant:
    """Open a grant of ``kind`` for the household from ``start`` (the first of a month) to ``end`` (default: the
    year's end). Called when an application is approved (assist-core), or by civil-affairs staff."""
    policy.check_grant_write(actor, file)
    if kind not in ApplicationKind.values:
        raise FieldError("kind", _("Unknown kind of assistance."))
    start, end = _period(start, end)
    category = _category(file)
    with transaction.atomic():
        AssistanceFile.objects.select_for_update().filter(pk=file.pk).first()  # one household's cap at a time
        if Grant.objects.filter(file=file, kind=kind, period_start__lte=end, period_end__gte=start).exists():
            raise Conflict(_("This household already receives this kind of assistance in that period."), field="kind")
        previous: Grant | None = None
        first: Grant | None = None
        for seg_start, seg_end, rule_set in _segments(town_of(file.area_code), start, end):
            previous = _create(actor=actor, file=file, kind=kind, category=category, start=seg_start, end=seg_end,
                               rule_set=rule_set, previous=previous, application_number=application_number,
                               request_id=request_id, action="grant_open")
            first = first or previous
    assert first is not None
    return first


def _segments(town: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, RuleSet]]:
    """[start, end] cut where a later rule set takes effect, each part with the rules in force."""
    first = rule_set_for(town, start)
    later = list(RuleSet.objects.filter(town_code=town, effective_from__gt=start, effective_from__lte=end)
                 .order_by("effective_from"))
    cuts = [(start, first), *[(r.effective_from, r) for r in later]]
    return [(s, (cuts[i + 1][0] - ONE_DAY) if i + 1 < len(cuts) else end, r) for i, (s, r) in enumerate(cuts)]


def _create(*, actor: User | None, file: AssistanceFile, kind: str, category: str, start: dt.date, end: dt.date,
            rule_set: RuleSet, previous: Grant | None, application_number: str, request_id: str,
            action: str, inputs: CalcInputs | None = None) -> Grant:
    rules = rules_of(rule_set)
    if inputs is None:
        granted = YearLedger([file.pk]).granted(file.pk, start.year)
        inputs = replace(calc_inputs(file, year=start.year, months=months_in_year(start, end, start.year),
                                     year_granted=granted), category=category)
    result = calculate(inputs, rules)
    grant = Grant.objects.create(file=file, area_code=file.area_code, kind=kind, category=category,
                                 monthly_amount=result.amount, breakdown=result.breakdown(inputs, rules),
                                 rule_set=rule_set, period_start=start, period_end=end, previous=previous,
                                 application_number=application_number[:40], created_by=actor)
    audit_record(subject=f"assistance.grant:{grant.pk}", actor=actor, action=action, request_id=request_id,
                 to_state=grant.status, data={"file": file.pk, "kind": kind, "amount": result.amount,
                                              "rule_set": rule_set.pk, "version": rule_set.version,
                                              "period": [start, end]})
    return grant


# --- periods longer than a year, renewing -----------------------------------------------------------------------

def _open_chain(*, actor: User | None, file: AssistanceFile, kind: str, category: str, start: dt.date, end: dt.date,
                previous: Grant | None, application_number: str, request_id: str, action: str) -> Grant:
    """Grants for [start, end] (month bounds, any length): one part per year and per rule set in force."""
    first: Grant | None = None
    town = town_of(file.area_code)
    for year in range(start.year, end.year + 1):
        y_start, y_end = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        for seg_start, seg_end, rule_set in _segments(town, y_start, y_end):
            previous = _create(actor=actor, file=file, kind=kind, category=category, start=seg_start, end=seg_end,
                               rule_set=rule_set, previous=previous, application_number=application_number,
                               request_id=request_id, action=action)
            first = first or previous
    assert first is not None
    return first


def period_until(start: dt.date, review_on: dt.date | None) -> dt.date:
    """The last day of a grant period from ``start`` to the next review (the month before it is due); the year's
    end when no review is scheduled. At least the month of ``start``."""
    if review_on is None:
        return dt.date(start.year, 12, 31)
    return max(month_first(review_on) - ONE_DAY, month_last(start))


def grant_open_period(*, actor: User, file: AssistanceFile, kind: str, start: dt.date, review_on: dt.date | None,
                      application_number: str = "", request_id: str = "") -> Grant | None:
    """发放: the household's grant from ``start`` (a month's first day) to the month before its first review;
    None when the town has published no rules for ``start`` (the amount confirmed at approval is paid)."""
    policy.check_grant_write(actor, file)
    if not rules_published(town_of(file.area_code), start):
        return None
    end = period_until(start, review_on)
    category = _category(file)
    with transaction.atomic():
        AssistanceFile.objects.select_for_update().filter(pk=file.pk).first()
        if Grant.objects.filter(file=file, kind=kind, period_start__lte=end, period_end__gte=start).exists():
            raise Conflict(_("This household already receives this kind of assistance in that period."), field="kind")
        return _open_chain(actor=actor, file=file, kind=kind, category=category, start=start, end=end,
                           previous=None, application_number=application_number, request_id=request_id,
                           action="grant_open")


def grant_renew(*, actor: User, file: AssistanceFile, kind: str, on: dt.date, review_on: dt.date | None,
                application_number: str = "", request_id: str = "") -> Grant | None:
    """动态复核 decided to continue: the next period of the household's grant of ``kind`` — from the month after the
    review (or, when the current period ended before that, from the day after it ended: no month unpaid) to the
    month before the next review — with the amount computed anew from the household's data and the rules in force
    in that period. Months before it keep their amounts; parts of the current period after its start are
    replaced. None when the town has no rules for the new period (the amount confirmed at approval is paid)."""

    policy.check_grant_write(actor, file)
    category = _category(file)
    with transaction.atomic():
        AssistanceFile.objects.select_for_update().filter(pk=file.pk).first()
        running = list(Grant.objects.select_for_update().filter(file=file, kind=kind, status=GrantStatus.ACTIVE)
                       .order_by("period_start", "pk"))
        start = month_last(on) + ONE_DAY
        last_end = max((g.period_end for g in running), default=None)
        if last_end is not None and last_end + ONE_DAY < start:
            start = last_end + ONE_DAY
        if not rules_published(town_of(file.area_code), start):
            return None
        end = period_until(start, review_on)
        reason = str(_("Renewed at the periodic review of %(number)s from %(day)s.")
                     % {"number": application_number or "-", "day": start.isoformat()})
        later = [g for g in running if g.period_end >= start]
        earlier = [g for g in running if g.period_end < start]
        previous = _cut(actor, later, start, reason, request_id)
        if not later and earlier and not Grant.objects.filter(previous=earlier[-1]).exists():
            previous = earlier[-1]  # the period just ended: the new one follows it
        return _open_chain(actor=actor, file=file, kind=kind, category=category, start=start, end=end,
                           previous=previous, application_number=application_number, request_id=request_id,
                           action="grant_renew")


def _cut(actor: User | None, parts: list[Grant], start: dt.date, reason: str, request_id: str) -> Grant | None:
    """End the current period's parts before ``start`` (a part not begun by then is voided and leaves the chain);
    the part the new period follows, when one ran into it."""
    follows: Grant | None = None
    for g in sorted(parts, key=lambda g: g.period_start, reverse=True):  # the later parts first: they link back
        old = g.period_end
        g.period_end = start - ONE_DAY
        fields = ["period_end"]
        if g.period_end < g.period_start:  # voided, and out of the chain: the new period follows the part before
            g.status, g.stopped_reason, g.previous = GrantStatus.STOPPED, reason[:200], None
            fields += ["status", "stopped_reason", "previous"]
        else:
            follows = g
        g.save(update_fields=fields)
        audit_record(subject=f"assistance.grant:{g.pk}", actor=actor, action="grant_split", reason=reason,
                     request_id=request_id, data={"period_end": [old, g.period_end]})
    if follows is not None and Grant.objects.filter(previous=follows).exists():
        return None  # it links to a voided part already (one next per grant)
    return follows


# --- stopping -----------------------------------------------------------------------------------------------

def grant_stop(*, actor: User | None, grant: Grant, last_month: dt.date, reason: str, request_id: str = "",
               checked: bool = True) -> Grant:
    """End ``grant`` (and the parts that follow it) after ``last_month``; a month before its start voids it."""
    if checked:
        policy.check_grant_write(actor, grant.file)
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Say why the grant stops."))
    end = month_last(last_month)
    if end >= grant.period_end:
        raise FieldError("last_month", _("The grant already ends on %(day)s.") % {"day": grant.period_end})
    with transaction.atomic():
        part: Grant | None = grant
        while part is not None:
            row = Grant.objects.select_for_update().get(pk=part.pk)
            if end < row.period_end:
                old = row.period_end
                row.period_end = max(end, row.period_start - ONE_DAY)
                row.status, row.stopped_reason = GrantStatus.STOPPED, reason[:200]
                row.save(update_fields=["period_end", "status", "stopped_reason"])
                audit_record(subject=f"assistance.grant:{row.pk}", actor=actor, action="grant_stop", reason=reason,
                             request_id=request_id, from_state=GrantStatus.ACTIVE, to_state=GrantStatus.STOPPED,
                             data={"period_end": [old, row.period_end]})
            part = Grant.objects.filter(previous=row).first()
    grant.refresh_from_db()
    return grant


# --- recomputing for new rules ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recomputed:
    """One grant the new rules reach: from ``starts`` on its amount is ``new_amount`` instead of ``old_amount``."""

    grant_id: int
    file_id: int
    household_number: str
    kind: str
    starts: dt.date
    old_amount: Decimal
    new_amount: Decimal
    new_grant_id: int | None


def grants_recompute(*, actor: User | None, rules: Rules, rule_set: RuleSet | None) -> list[Recomputed]:
    """The town's grants running on or after the new rules' first day under older rules, recomputed from that
    day on (the periods before keep their amounts). ``rule_set`` None: a dry run, nothing written."""
    day = rules.effective_from
    old = list(Grant.objects.filter(area_code__startswith=rules.town_code, period_end__gte=day,
                                    rule_set__effective_from__lt=day)
               .select_related("file__household").order_by("file_id", "period_start", "pk"))
    old = [g for g in old if g.period_end >= g.period_start]  # not those voided before they began
    ledger = YearLedger([g.file_id for g in old])
    inputs_by_year = {year: calc_inputs_many({g.file_id for g in old if g.period_start.year == year}, year=year)
                      for year in {g.period_start.year for g in old}}
    out = []
    for g in old:
        starts = max(day, g.period_start)
        year = starts.year
        ledger.put(g.file_id, g.pk, g.period_start, starts - ONE_DAY, g.monthly_amount)
        inputs = replace(inputs_by_year[year][g.file_id], category=g.category,
                         months=months_in_year(starts, g.period_end, year),
                         year_granted=ledger.granted(g.file_id, year))
        result = calculate(inputs, rules)
        ledger.put(g.file_id, ("new", g.pk), starts, g.period_end, result.amount)
        new_id = _split(actor, g, starts, rule_set, inputs).pk if rule_set is not None else None
        out.append(Recomputed(g.pk, g.file_id, g.file.household.number, g.kind, starts, g.monthly_amount,
                              result.amount, new_id))
    return out


def _split(actor: User | None, grant: Grant, starts: dt.date, rule_set: RuleSet, inputs: CalcInputs) -> Grant:
    end = grant.period_end
    reason = _("Rule set version %(version)s takes effect on %(day)s.") % {"version": rule_set.version, "day": starts}
    grant.period_end = starts - ONE_DAY
    fields = ["period_end"]
    if grant.period_end < grant.period_start:  # it had not begun: replaced whole
        grant.status, grant.stopped_reason = GrantStatus.STOPPED, str(reason)[:200]
        fields += ["status", "stopped_reason"]
    grant.save(update_fields=fields)
    audit_record(subject=f"assistance.grant:{grant.pk}", actor=actor, action="grant_split", reason=str(reason),
                 data={"period_end": [end, grant.period_end]})
    chained = Grant.objects.filter(previous=grant).exists()
    return _create(actor=actor, file=grant.file, kind=grant.kind, category=grant.category, start=starts, end=end,
                   rule_set=rule_set, previous=None if chained else grant,
                   application_number=grant.application_number, request_id="", action="recompute", inputs=inputs)
