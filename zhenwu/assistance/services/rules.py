"""Publishing rule sets: validated whole (a clear message per field), written once, never edited.

A town's first rule set may take effect from any period; every later version from a period after the current one
(the next period at the earliest) and after the latest version, so amounts already computed for the current and
past periods never change. Publishing recomputes the grants that run into the new rules' periods
(``zhenwu.assistance.services.grants.grants_recompute``), in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.assistance import policy_calc as policy
from zhenwu.assistance.calc import CategoryRules, Rules, TierRule
from zhenwu.assistance.choices import ExpenditureKind
from zhenwu.assistance.choices_calc import MemberCondition
from zhenwu.assistance.models import AddOn, CategoryRule, ItemCap, RuleSet, Tier
from zhenwu.assistance.models.rules import CATEGORIES
from zhenwu.casework.services.audit import audit_record
from zhenwu.errors import Conflict, FieldError, NotFound
from zhenwu.errors import gettext as _

SEED_NOTE = "初始规则（系统设置中的默认值）"  # stored with the rule set, shown as it is

MAX_MONEY = Decimal("9999999999.99")
CATEGORY_CODES = [code for code, _label in CATEGORIES]


# --- periods ------------------------------------------------------------------------------------------------

def period_months() -> int:
    months = int(settings.ASSISTANCE_RULE_PERIOD_MONTHS)
    return months if months in (1, 2, 3, 4, 6, 12) else 1


def period_start(day: dt.date) -> dt.date:
    """The first day of the rule period holding ``day`` (periods are aligned on January)."""
    size = period_months()
    return dt.date(day.year, (day.month - 1) // size * size + 1, 1)


def next_period_start(day: dt.date) -> dt.date:
    start = period_start(day)
    month = start.month - 1 + period_months()
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def today() -> dt.date:
    return timezone.localdate()


# --- reading ------------------------------------------------------------------------------------------------

# A published rule set never changes: its plain form is kept per process (keyed beyond the id, which a rolled-back
# test database may hand out again).
_RULES_CACHE: dict[tuple[Any, ...], Rules] = {}


def rules_of(rule_set: RuleSet) -> Rules:
    """The rule set as the calculation's plain values."""
    key = (rule_set.pk, rule_set.town_code, rule_set.version, rule_set.published_at, rule_set.effective_from,
           rule_set.local_standard, rule_set.household_cap_yearly)
    found = _RULES_CACHE.get(key)
    if found is not None:
        return found
    tiers: dict[str, list[TierRule]] = {}
    for t in rule_set.tiers.order_by("category", "lower"):
        tiers.setdefault(t.category, []).append(TierRule(t.lower, t.upper, t.rate_percent))
    categories = {c.category: CategoryRules(c.line_factor, c.cap_monthly, tuple(tiers.get(c.category, ())))
                  for c in rule_set.categories.all()}
    rules = Rules(town_code=rule_set.town_code, version=rule_set.version, effective_from=rule_set.effective_from,
                  local_standard=rule_set.local_standard, household_cap_yearly=rule_set.household_cap_yearly,
                  categories=categories, item_caps={c.kind: c.cap_yearly for c in rule_set.item_caps.all()},
                  add_ons={a.condition: a.percent for a in rule_set.add_ons.all()})
    _RULES_CACHE[key] = rules
    return rules


def rules_published(town_code: str, on: dt.date) -> bool:
    """Whether the town has a rule set in force on ``on``."""
    return RuleSet.objects.filter(town_code=town_code, effective_from__lte=on).exists()


def rule_set_for(town_code: str, on: dt.date, *, field_name: str = "start") -> RuleSet:
    """The town's rule set in force on ``on``; a 400 on ``field_name`` when none was published for that day."""
    found = RuleSet.objects.filter(town_code=town_code, effective_from__lte=on).order_by("-effective_from").first()
    if found is None:
        raise FieldError(field_name, _("No assistance rules of town %(town)s are in force on %(day)s.")
                         % {"town": town_code, "day": on.isoformat()})
    return found


# --- validation ---------------------------------------------------------------------------------------------

@dataclass
class _Checker:
    errors: list[tuple[str | None, Any]] = field(default_factory=list)

    def fail(self, name: str, message: Any) -> None:
        self.errors.append((name, message))

    def amount(self, name: str, raw: Any, *, low: Decimal = Decimal(0), high: Decimal = MAX_MONEY,
               places: int = 2, positive: bool = False) -> Decimal | None:
        if raw is None or raw == "":
            self.fail(name, _("This value is missing."))
            return None
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            self.fail(name, _("Enter a number."))
            return None
        if not value.is_finite() or value.as_tuple().exponent < -places:  # type: ignore[operator]
            self.fail(name, _("Enter a number with at most %(places)s decimal places.") % {"places": places})
            return None
        if value < low or value > high or (positive and value == 0):
            self.fail(name, _("Enter a number from %(low)s to %(high)s%(more)s.")
                      % {"low": low, "high": high, "more": _(" (not 0)") if positive else ""})
            return None
        return value


def rules_validate(data: dict[str, Any], *, town_code: str) -> Rules:
    """A rule set from its input (see ``docs/assistance-calc.md``): every fault named at once, as a 400."""
    c = _Checker()
    effective_from = _effective_from(c, data.get("effective_from"))
    standard = c.amount("local_standard", data.get("local_standard"), positive=True)
    cap = c.amount("household_cap_yearly", data.get("household_cap_yearly"), positive=True)
    categories = _categories(c, data.get("categories"))
    item_caps = _keyed(c, "item_caps", data.get("item_caps"), ExpenditureKind.values, required=True)
    add_ons = _keyed(c, "add_ons", data.get("add_ons") or {}, MemberCondition.values, required=False, high=Decimal(100))
    if c.errors:
        raise FieldError(None, errors=c.errors)
    assert effective_from is not None and standard is not None and cap is not None
    return Rules(town_code=town_code, version=0, effective_from=effective_from, local_standard=standard,
                 household_cap_yearly=cap, categories=categories, item_caps=item_caps, add_ons=add_ons)


def _effective_from(c: _Checker, raw: Any) -> dt.date | None:
    try:
        day = raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw or ""))
    except ValueError:
        c.fail("effective_from", _("Enter a date as YYYY-MM-DD."))
        return None
    if day != period_start(day):
        c.fail("effective_from", _("Rules take effect on the first day of a period (%(months)s months, from "
                                   "January): %(day)s is not one.") % {"months": period_months(), "day": day})
        return None
    return day


def _categories(c: _Checker, raw: Any) -> dict[str, CategoryRules]:
    if not isinstance(raw, dict):
        c.fail("categories", _("Give the rules of every category."))
        return {}
    out = {}
    for code in raw:
        if code not in CATEGORY_CODES:
            c.fail(f"categories.{code}", _("Unknown category."))
    for code in CATEGORY_CODES:
        name = f"categories.{code}"
        row = raw.get(code)
        if not isinstance(row, dict):
            c.fail(name, _("The rules of this category are missing (need line, monthly cap and tiers)."))
            continue
        factor = c.amount(f"{name}.line_factor", row.get("line_factor"), high=Decimal(10), places=3, positive=True)
        cap = c.amount(f"{name}.cap_monthly", row.get("cap_monthly"))
        tiers = _tiers(c, f"{name}.tiers", row.get("tiers"))
        if factor is not None and cap is not None and tiers is not None:
            out[code] = CategoryRules(factor, cap, tiers)
    return out


def _tiers(c: _Checker, name: str, raw: Any) -> tuple[TierRule, ...] | None:
    if not isinstance(raw, list) or not raw:
        c.fail(name, _("Give at least one tier."))
        return None
    before = len(c.errors)
    tiers = []
    for i, row in enumerate(raw):
        row = row if isinstance(row, dict) else {}
        lower = c.amount(f"{name}[{i}].lower", row.get("lower"))
        upper = None if row.get("upper") in (None, "") else c.amount(f"{name}[{i}].upper", row.get("upper"))
        rate = c.amount(f"{name}[{i}].rate_percent", row.get("rate_percent"), high=Decimal(100))
        if lower is not None and rate is not None:
            tiers.append(TierRule(lower, upper, rate))
    if len(c.errors) > before:
        return None
    tiers.sort(key=lambda t: t.lower)
    return _tiers_checked(c, name, tiers)


def _tiers_checked(c: _Checker, name: str, tiers: list[TierRule]) -> tuple[TierRule, ...] | None:
    if tiers[0].lower != 0:
        c.fail(name, _("The first tier starts at 0."))
        return None
    for i, tier in enumerate(tiers):
        if tier.upper is not None and tier.upper <= tier.lower:
            c.fail(f"{name}[{i}].upper", _("A tier ends above where it starts."))
            return None
        if i == len(tiers) - 1:
            break
        nxt = tiers[i + 1]
        if tier.upper is None or nxt.lower < tier.upper:
            c.fail(name, _("Tiers %(a)s and %(b)s overlap.") % {"a": _tier_label(tier), "b": _tier_label(nxt)})
            return None
        if nxt.lower > tier.upper:
            c.fail(name, _("Between tiers %(a)s and %(b)s part of the gap would have no rate.")
                   % {"a": _tier_label(tier), "b": _tier_label(nxt)})
            return None
    return tuple(tiers)


def _tier_label(t: TierRule) -> str:
    return f"{t.lower}–{'∞' if t.upper is None else t.upper}"


def _keyed(c: _Checker, name: str, raw: Any, known: list[str], *, required: bool,
           high: Decimal = MAX_MONEY) -> dict[str, Decimal]:
    if not isinstance(raw, dict):
        c.fail(name, _("Give one value per kind."))
        return {}
    out = {}
    for key in raw:
        if key not in known:
            c.fail(f"{name}.{key}", _("Unknown kind."))
    for key in known:
        if key not in raw:
            if required:
                c.fail(f"{name}.{key}", _("The cap of this kind is missing."))
            continue
        value = c.amount(f"{name}.{key}", raw[key], high=high)
        if value is not None:
            out[key] = value
    return out


# --- publishing ---------------------------------------------------------------------------------------------

@dataclass
class PublishReport:
    rules: Rules
    rule_set: RuleSet | None  # None on a dry run
    changes: list[Any]  # zhenwu.assistance.services.grants.Recomputed, one per grant the new rules reach
    dry_run: bool


def rules_publish(*, actor: User, town_code: str, data: dict[str, Any], dry_run: bool = False,
                  request_id: str = "") -> PublishReport:
    """Publish a new version of ``town_code``'s rules (or, on a dry run, only say what it would change)."""
    from zhenwu.assistance.services.grants import grants_recompute

    policy.check_publish_rules(actor, town_code)
    _check_town(town_code)
    rules = rules_validate(data, town_code=town_code)
    with transaction.atomic():
        latest = RuleSet.objects.select_for_update().filter(town_code=town_code).order_by("-version").first()
        _check_effective(rules.effective_from, latest)
        version = latest.version + 1 if latest else 1
        if dry_run:
            return PublishReport(rules, None, grants_recompute(actor=actor, rules=rules, rule_set=None), True)
        try:
            with transaction.atomic():
                rule_set = _write(rules, version=version, actor=actor, note=str(data.get("note") or "")[:200])
        except IntegrityError:
            raise Conflict(_("Another version was published at the same time: reload and try again.")) from None
        audit_record(subject=f"assistance.ruleset:{rule_set.pk}", actor=actor, action="publish",
                     request_id=request_id, data={"town": town_code, "version": version,
                                                  "effective_from": rules.effective_from})
        changes = grants_recompute(actor=actor, rules=rules_of(rule_set), rule_set=rule_set)
    return PublishReport(rules_of(rule_set), rule_set, changes, False)


def _check_town(town_code: str) -> None:
    from zhenwu.areas.choices import AreaLevel
    from zhenwu.areas.models import Area

    if not Area.objects.filter(code=town_code, level=AreaLevel.TOWN).exists():
        raise NotFound(_("No such town."), field="town_code")


def _check_effective(day: dt.date, latest: RuleSet | None) -> None:
    if latest is None:
        return
    earliest = next_period_start(today())
    if day < earliest:
        raise FieldError("effective_from", _("A new version takes effect from the next period at the earliest "
                                             "(%(day)s): amounts of the current and past periods never change.")
                         % {"day": earliest.isoformat()})
    if day <= latest.effective_from:
        raise FieldError("effective_from", _("Version %(version)s already takes effect on %(day)s: a new version "
                                             "starts later.")
                         % {"version": latest.version, "day": latest.effective_from.isoformat()})


def _write(rules: Rules, *, version: int, actor: User | None, note: str) -> RuleSet:
    rule_set = RuleSet.objects.create(town_code=rules.town_code, version=version, effective_from=rules.effective_from,
                                      local_standard=rules.local_standard,
                                      household_cap_yearly=rules.household_cap_yearly, note=note, published_by=actor)
    CategoryRule.objects.bulk_create([CategoryRule(rule_set=rule_set, category=code, line_factor=c.line_factor,
                                                   cap_monthly=c.cap_monthly) for code, c in rules.categories.items()])
    Tier.objects.bulk_create([Tier(rule_set=rule_set, category=code, lower=t.lower, upper=t.upper,
                                   rate_percent=t.rate_percent)
                              for code, c in rules.categories.items() for t in c.tiers])
    ItemCap.objects.bulk_create([ItemCap(rule_set=rule_set, kind=k, cap_yearly=v) for k, v in rules.item_caps.items()])
    AddOn.objects.bulk_create([AddOn(rule_set=rule_set, condition=k, percent=v) for k, v in rules.add_ons.items()])
    return rule_set


def seed_data(effective_from: dt.date) -> dict[str, Any]:
    """``settings.ASSISTANCE_SEED_RULE_SET`` in the input form ``rules_validate`` reads."""
    seed = settings.ASSISTANCE_SEED_RULE_SET
    categories = {code: {"line_factor": row["line_factor"], "cap_monthly": row["cap_monthly"],
                         "tiers": [{"lower": lo, "upper": up, "rate_percent": rate} for lo, up, rate in row["tiers"]]}
                  for code, row in seed["categories"].items()}
    return {"effective_from": effective_from.isoformat(), "local_standard": seed["local_standard"],
            "household_cap_yearly": seed["household_cap_yearly"], "categories": categories,
            "item_caps": dict(seed["item_caps"]), "add_ons": dict(seed["add_ons"]),
            "note": str(SEED_NOTE)}


def rules_seed(*, town_code: str, effective_from: dt.date) -> RuleSet:
    """The seed rule set as a town's first version (the demo, ``zhenwu assistance seed-rules``); kept if any exists."""
    existing = RuleSet.objects.filter(town_code=town_code).order_by("version").first()
    if existing is not None:
        return existing
    rules = rules_validate(seed_data(effective_from), town_code=town_code)
    with transaction.atomic():
        rule_set = _write(rules, version=1, actor=None, note=SEED_NOTE)
        audit_record(subject=f"assistance.ruleset:{rule_set.pk}", actor=None, action="publish",
                     data={"town": town_code, "version": 1, "effective_from": effective_from, "seed": True})
    return rule_set
