"""The calculation of expenditure-based assistance (分类+量化, issue 13 §4): a pure function and its inputs.

``calculate(inputs, rules)`` reads nothing and writes nothing: from a household's inputs and one published rule
set it returns the monthly amount and every step that led to it, in order:

1. the need line: local standard × the category's factor × members, plus each member's add-ons (分类);
2. income: every source, per month;
3. rigid expenditures of the year, each kind counted up to its yearly cap, per month;
4. the gap: need line − (income − counted expenditures), never below 0;
5. the tiers of the category (量化): each slice of the gap paid at its rate;
6. the category's monthly cap, then the household's yearly cap of combined assistance (what is left of it this
   year, spread over this grant's months), then rounding to the fen.

Every step's value is rounded to 0.01 yuan (half up) as it is made, so a person can redo the sum from the
breakdown. ``calc_inputs(file)`` / ``calc_inputs_many(files)`` build the inputs from the household file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy

from zhenwu.assistance.choices import ExpenditureKind, IncomeSource
from zhenwu.assistance.choices_calc import Health, MemberCondition, Schooling, WorkCapacity
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
MONTHS_PER_YEAR = Decimal(12)


def money(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


# --- inputs -------------------------------------------------------------------------------------------------

class MemberInput(NamedTuple):
    resident_id: int
    name: str
    disability_grade: int = 0  # 0 none; 1 (most severe) … 4
    work_capacity: str = ""
    schooling: str = ""
    health: str = ""


class IncomeInput(NamedTuple):
    source: str
    monthly_amount: Decimal


class ExpenditureInput(NamedTuple):
    kind: str
    yearly_amount: Decimal
    year: int


@dataclass(frozen=True)
class CalcInputs:
    """Everything the calculation reads about one household, for one grant."""

    file_id: int
    household_number: str
    category: str  # the file's status: whose need line, tiers and cap apply
    members: tuple[MemberInput, ...]
    incomes: tuple[IncomeInput, ...]
    expenditures: tuple[ExpenditureInput, ...]
    year: int  # expenditures of this year are counted; the household cap is this year's
    months: int = 12  # this grant's months within the year
    year_granted: Decimal = ZERO  # the household's other assistance already granted for this year

    def as_json(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "household_number": self.household_number, "category": self.category,
                "members": [m._asdict() for m in self.members],
                "incomes": [{"source": i.source, "monthly_amount": str(i.monthly_amount)} for i in self.incomes],
                "expenditures": [{"kind": e.kind, "yearly_amount": str(e.yearly_amount), "year": e.year}
                                 for e in self.expenditures],
                "year": self.year, "months": self.months, "year_granted": str(self.year_granted)}


# --- rules --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TierRule:
    lower: Decimal
    upper: Decimal | None  # None: open
    rate_percent: Decimal


@dataclass(frozen=True)
class CategoryRules:
    line_factor: Decimal
    cap_monthly: Decimal
    tiers: tuple[TierRule, ...]


@dataclass(frozen=True)
class Rules:
    """One published rule set, as plain values (``zhenwu.assistance.services.rules.rules_of`` builds it)."""

    town_code: str
    version: int
    effective_from: dt.date
    local_standard: Decimal
    household_cap_yearly: Decimal
    categories: Mapping[str, CategoryRules]
    item_caps: Mapping[str, Decimal]
    add_ons: Mapping[str, Decimal] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The rule set as JSON; made once per rule set (every breakdown holds it)."""
        found = _RULES_JSON.get(id(self))
        if found is None or found[0] is not self:
            found = _RULES_JSON[id(self)] = (self, _jsonable(asdict(self)))
        return found[1]


_RULES_JSON: dict[int, tuple[Rules, dict[str, Any]]] = {}


# --- result -------------------------------------------------------------------------------------------------

@dataclass(slots=True)
class Step:
    """One line of the breakdown: what was applied (``code``), its result and the numbers it used."""

    code: str
    value: Decimal
    params: dict[str, Any] = field(default_factory=dict)
    capped: bool = False  # a cap that changed the figure

    def as_json(self) -> dict[str, Any]:
        params = {k: str(v) if isinstance(v, Decimal) else v for k, v in self.params.items()}
        return {"code": self.code, "value": str(self.value), "params": params, "capped": self.capped}


@dataclass(frozen=True)
class CalcResult:
    amount: Decimal  # per month
    steps: tuple[Step, ...]

    def step(self, code: str) -> Step:
        return next(s for s in self.steps if s.code == code)

    def breakdown(self, inputs: CalcInputs, rules: Rules) -> dict[str, Any]:
        """The whole record kept with a grant: inputs, rules, steps and the amount (JSON)."""
        return {"amount": str(self.amount), "inputs": inputs.as_json(), "rules": dict(rules.as_json()),
                "steps": [s.as_json() for s in self.steps]}


class CalcError(FieldError):
    """Inputs the rules cannot be applied to (400 naming the field)."""


def calculate(inputs: CalcInputs, rules: Rules) -> CalcResult:
    """The monthly amount of one household under ``rules``, with every step (see the module's docstring)."""
    category = rules.categories.get(inputs.category)
    if category is None:
        raise CalcError("category", _("The rule set has no rules for the category %(category)s.")
                        % {"category": inputs.category})
    if not inputs.members:
        raise CalcError("members", _("The household has no members."))
    if not 1 <= inputs.months <= 12:
        raise CalcError("months", _("A grant lasts 1 to 12 months within one year."))
    steps: list[Step] = []
    need = _need_line(inputs, rules, category, steps)
    income = _income(inputs, steps)
    spent = _expenditures(inputs, rules, steps)
    net = money(income - spent)
    steps.append(Step("net_income", net, {"income": income, "expenditure": spent}))
    gap = max(ZERO, money(need - net))
    steps.append(Step("gap", gap, {"need": need, "net_income": net}))
    amount = _tiers(gap, category, steps)
    amount = _caps(amount, inputs, rules, category, steps)
    steps.append(Step("amount", amount))
    return CalcResult(amount, tuple(steps))


def _need_line(inputs: CalcInputs, rules: Rules, category: CategoryRules, steps: list[Step]) -> Decimal:
    count = len(inputs.members)
    base = money(rules.local_standard * category.line_factor * count)
    steps.append(Step("base_line", base, {"standard": rules.local_standard, "factor": category.line_factor,
                                          "members": count}))
    total = base
    for member in inputs.members:
        for condition in member_conditions(member):
            percent = rules.add_ons.get(condition)
            if not percent:
                continue
            add = money(rules.local_standard * percent / HUNDRED)
            steps.append(Step("add_on", add, {"member": member.name, "condition": condition, "percent": percent,
                                              "standard": rules.local_standard}))
            total += add
    steps.append(Step("need_line", total))
    return total


def member_conditions(member: MemberInput) -> list[str]:
    """分类: the conditions of a member that the add-ons name (a grade-1–2 disability is the severe one)."""
    found = []
    if member.disability_grade in (1, 2):
        found.append(MemberCondition.SEVERE_DISABILITY.value)
    elif member.disability_grade in (3, 4):
        found.append(MemberCondition.DISABILITY.value)
    if member.work_capacity == WorkCapacity.NONE:
        found.append(MemberCondition.NO_WORK_CAPACITY.value)
    if member.schooling and member.schooling != Schooling.NONE:
        found.append(MemberCondition.IN_SCHOOL.value)
    if member.health == Health.SERIOUS:
        found.append(MemberCondition.SERIOUS_ILLNESS.value)
    return found


def _income(inputs: CalcInputs, steps: list[Step]) -> Decimal:
    total = ZERO
    for row in inputs.incomes:
        value = money(row.monthly_amount)
        steps.append(Step("income", value, {"source": row.source}))
        total += value
    steps.append(Step("income_total", total))
    return total


def _expenditures(inputs: CalcInputs, rules: Rules, steps: list[Step]) -> Decimal:
    """Each kind's expenditures of the year, up to the kind's cap, then per month."""
    by_kind: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in inputs.expenditures:
        if row.year == inputs.year:
            by_kind[row.kind] += row.yearly_amount
    counted = ZERO
    for kind in ExpenditureKind.values:
        if kind not in by_kind:
            continue
        cap = rules.item_caps.get(kind)
        if cap is None:
            raise CalcError("item_caps", _("The rule set has no cap for %(kind)s expenditures.") % {"kind": kind})
        claimed = money(by_kind[kind])
        kept = min(claimed, cap)
        steps.append(Step("item_cap", kept, {"kind": kind, "claimed": claimed, "cap": cap, "year": inputs.year},
                          capped=kept < claimed))
        counted += kept
    monthly = money(counted / MONTHS_PER_YEAR)
    steps.append(Step("expenditure_total", monthly, {"yearly": counted}))
    return monthly


def _tiers(gap: Decimal, category: CategoryRules, steps: list[Step]) -> Decimal:
    total = ZERO
    for tier in category.tiers:
        top = gap if tier.upper is None else min(gap, tier.upper)
        portion = max(ZERO, top - tier.lower)
        paid = money(portion * tier.rate_percent / HUNDRED)
        steps.append(Step("tier", paid, {"lower": tier.lower, "upper": tier.upper, "rate": tier.rate_percent,
                                         "portion": portion}))
        total += paid
    steps.append(Step("tiered", total))
    return total


def _caps(amount: Decimal, inputs: CalcInputs, rules: Rules, category: CategoryRules, steps: list[Step]) -> Decimal:
    capped = min(amount, category.cap_monthly)
    steps.append(Step("category_cap", capped, {"cap": category.cap_monthly, "before": amount},
                      capped=capped < amount))
    left = max(ZERO, rules.household_cap_yearly - inputs.year_granted)
    room = (left / inputs.months).quantize(FEN, rounding="ROUND_DOWN")  # never over the cap by rounding
    final = min(capped, room)
    steps.append(Step("household_cap", final, {"cap": rules.household_cap_yearly, "granted": inputs.year_granted,
                                               "left": left, "months": inputs.months, "room": room,
                                               "before": capped}, capped=final < capped))
    return final


# --- how each step reads (the page and the decision PDF) ---------------------------------------------------

STEP_TEXT: dict[str, Any] = {
    "base_line": gettext_lazy("Base need line: local standard %(standard)s × %(factor)s × %(members)s members"),
    "add_on": gettext_lazy("Add-on for %(member)s (%(condition_label)s): %(percent)s%% of %(standard)s"),
    "need_line": gettext_lazy("Need line per month"),
    "income": gettext_lazy("Income: %(source)s"),
    "income_total": gettext_lazy("Income per month"),
    "item_cap": gettext_lazy("%(kind_label)s expenditures of %(year)s: %(claimed)s, counted up to the cap %(cap)s"),
    "expenditure_total": gettext_lazy("Rigid expenditures counted per month: %(yearly)s ÷ 12"),
    "net_income": gettext_lazy("Income after rigid expenditures: %(income)s − %(expenditure)s"),
    "gap": gettext_lazy("Gap: need line %(need)s − %(net_income)s (not below 0)"),
    "tier": gettext_lazy("Tier %(lower)s–%(upper_label)s at %(rate)s%%: %(portion)s of the gap"),
    "tiered": gettext_lazy("Amount by the tiers"),
    "category_cap": gettext_lazy("Cap of the category: %(cap)s per month"),
    "household_cap": gettext_lazy("Household cap: %(cap)s a year, %(granted)s already granted this year, "
                                  "%(left)s left over %(months)s months = at most %(room)s per month"),
    "amount": gettext_lazy("Monthly amount"),
}


def step_text(step: Mapping[str, Any]) -> str:
    """One stored step (``Step.as_json()``) as a sentence in the active language."""
    params = dict(step.get("params") or {})
    if "condition" in params:
        params["condition_label"] = dict(MemberCondition.choices).get(params["condition"], params["condition"])
    if "kind" in params:
        params["kind_label"] = dict(ExpenditureKind.choices).get(params["kind"], params["kind"])
    if "source" in params:  # an income's source, by its name
        params["source"] = dict(IncomeSource.choices).get(params["source"], params["source"])
    if "upper" in params:
        params["upper_label"] = params["upper"] if params["upper"] is not None else "∞"
    try:
        return str(STEP_TEXT[step["code"]]) % {k: str(v) for k, v in params.items()}
    except (KeyError, ValueError, TypeError):
        return str(step.get("code", ""))


# --- inputs from the household file ------------------------------------------------------------------------

NO_PROFILE = (0, "", "", "")


def calc_inputs(file: Any, *, year: int, months: int = 12, year_granted: Decimal = ZERO) -> CalcInputs:
    """The inputs of one ``AssistanceFile``: members (registry residents with their profiles), incomes and the
    year's expenditures."""
    found = calc_inputs_many([file.pk], year=year)
    return replace(found[file.pk], months=months, year_granted=year_granted)


def calc_inputs_many(files_or_ids: Iterable[int] | Any, *, year: int) -> dict[int, CalcInputs]:
    """The inputs of many files in five queries (files, members, profiles, incomes, expenditures). ``files_or_ids``:
    ids, or a queryset of ``AssistanceFile`` (a town's, say), which the queries then use as a subquery."""
    from django.db.models import QuerySet

    from zhenwu.assistance.models import AssistanceFile, Expenditure, Income, MemberProfile
    from zhenwu.registry.models import Resident

    chosen = files_or_ids if isinstance(files_or_ids, QuerySet) else AssistanceFile.objects.filter(
        pk__in=list(files_or_ids))
    ids: Any = chosen.values("pk")  # subqueries
    households: Any = chosen.values("household_id")
    files = list(chosen.values_list("pk", "household_id", "household__number", "status"))
    by_household = {household: pk for pk, household, _n, _s in files}
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for rid, name, household in (Resident.objects.filter(household_id__in=households)
                                 .order_by("household_id", "pk").values_list("pk", "name", "household_id")):
        members[by_household[household]].append((rid, name))
    profiles = {(f, r): (g, w, s, h) for f, r, g, w, s, h in MemberProfile.objects.filter(file_id__in=ids)
                .values_list("file_id", "resident_id", "disability_grade", "work_capacity", "schooling", "health")}
    incomes: dict[int, list[IncomeInput]] = defaultdict(list)
    for f, source, amount in Income.objects.filter(file_id__in=ids).order_by("pk").values_list(
            "file_id", "source", "monthly_amount"):
        incomes[f].append(IncomeInput(source, amount))
    spent: dict[int, list[ExpenditureInput]] = defaultdict(list)
    for f, kind, amount, y in Expenditure.objects.filter(file_id__in=ids, year=year).order_by("pk").values_list(
            "file_id", "kind", "yearly_amount", "year"):
        spent[f].append(ExpenditureInput(kind, amount, y))
    out = {}
    for pk, _household, number, status in files:
        people = tuple(MemberInput(rid, name, *profiles.get((pk, rid), NO_PROFILE)) for rid, name in members[pk])
        out[pk] = CalcInputs(file_id=pk, household_number=number, category=status, members=people,
                             incomes=tuple(incomes[pk]), expenditures=tuple(spent[pk]), year=year)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
