"""权责清单: checking a power as the county's list states it, and saving it as a new immutable version.

A power's content is never edited in place: ``power_save`` writes a new ``PenaltyPowerVersion`` (with its
bands and responsibilities) and points the power at it, so a case keeps the version it was decided under.
Saving a power whose content equals its current version writes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from zhenwu.accounts.models import User
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import BAND_ORDER, BandLevel, OriginDepartment, Parties
from zhenwu.enforcement.models import (
    DiscretionBand,
    InspectionItem,
    PenaltyPower,
    PenaltyPowerVersion,
    Responsibility,
)
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _

CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{1,39}$")
MAX_AMOUNT = Decimal("100000000")  # no township penalty power reaches 100 million yuan


@dataclass
class BandDraft:
    level: str
    conditions: str
    fine_min: Decimal | None = None
    fine_max: Decimal | None = None
    other_penalty: str = ""

    def key(self) -> tuple[Any, ...]:
        return (self.level, self.conditions, self.fine_min, self.fine_max, self.other_penalty)


@dataclass
class PowerDraft:
    """A power as a sheet row group or an API body states it, before it is checked."""

    code: str
    name: str
    department: str
    law: str
    article: str
    clause: str = ""
    parties: str = Parties.BOTH
    bands: list[BandDraft] = field(default_factory=list)
    responsibilities: list[tuple[str, str]] = field(default_factory=list)

    def content(self) -> tuple[Any, ...]:
        """What a version holds, compared as the sheet reader sees text (NFKC: "，" reads as ",")."""
        def n(value: Any) -> Any:
            return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value

        bands = sorted(tuple(n(v) for v in b.key()) for b in self.bands)
        duties = sorted((n(d), n(a)) for d, a in self.responsibilities)
        return (*(n(getattr(self, f)) for f in ("name", "department", "law", "article", "clause", "parties")),
                bands, duties)


def amount_parse(value: Any, field_name: str) -> tuple[Decimal | None, str | None]:
    """A yuan amount from a cell or a body: (amount, None), or (None, message) when it is not one."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return None, _("Not an amount of money.")
    try:
        amount = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        return None, _("Not an amount of money.")
    if not amount.is_finite():
        return None, _("Not an amount of money.")
    if amount < 0:
        return None, _("The amount may not be negative.")
    if amount > MAX_AMOUNT:
        return None, _("The amount is too large.")
    return amount.quantize(Decimal("0.01")), None


def power_head_errors(d: PowerDraft) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    if not CODE.match(d.code or ""):
        errors.append(("code", _("A power code is 2 to 40 letters, digits, dots, hyphens or underscores.")))
    if not (d.name or "").strip():
        errors.append(("name", _("The name is required.")))
    if d.department not in OriginDepartment.values:
        errors.append(("department", _("Unknown origin department.")))
    if not (d.law or "").strip():
        errors.append(("law", _("The legal basis (the law) is required.")))
    if not (d.article or "").strip():
        errors.append(("article", _("The legal basis (the article) is required.")))
    if d.parties not in Parties.values:
        errors.append(("parties", _("Unknown applicable parties.")))
    return errors


def band_errors(band: BandDraft) -> list[tuple[str, str]]:
    """What is wrong with one band on its own."""
    errors: list[tuple[str, str]] = []
    if band.level not in BandLevel.values:
        errors.append(("level", _("The band is one of 轻微, 一般, 较重, 严重.")))
    if not (band.conditions or "").strip():
        errors.append(("conditions", _("The conditions of the band are required.")))
    if (band.fine_min is None) != (band.fine_max is None):
        errors.append(("fine_max", _("A fine range needs both a minimum and a maximum.")))
    elif band.fine_min is not None and band.fine_max is not None and band.fine_min > band.fine_max:
        errors.append(("fine_max", _("The maximum fine is below the minimum.")))
    if band.fine_min is None and not band.other_penalty.strip():
        errors.append(("other_penalty", _("A band needs a fine range or another penalty.")))
    return errors


def bands_overlap(bands: list[BandDraft]) -> list[tuple[int, str]]:
    """(index, message) for each band whose level repeats or whose fine range overlaps a lighter band's.

    Bands are ordered 轻微 < 一般 < 较重 < 严重; a heavier band's fines start where the lighter one's end
    (they may touch) — otherwise the same fine would belong to two bands and the band would not decide it.
    """
    found: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for i, b in enumerate(bands):
        if b.level in seen:
            found.append((i, _("The band %(level)s appears twice.") % {"level": b.level}))
        seen.setdefault(b.level, i)
    fined = sorted(((BAND_ORDER.index(BandLevel(b.level)), i, b) for i, b in enumerate(bands)
                    if b.level in BandLevel.values and b.fine_min is not None and b.fine_max is not None),
                   key=lambda t: (t[0], t[1]))
    for (_o1, _i1, lighter), (_o2, i2, heavier) in zip(fined, fined[1:], strict=False):
        assert lighter.fine_max is not None and heavier.fine_min is not None
        if heavier.fine_min < lighter.fine_max:
            found.append((i2, _("The fine range overlaps the lighter band's (%(lo)s–%(hi)s yuan).")
                          % {"lo": lighter.fine_min, "hi": lighter.fine_max}))
    return found


def power_check(d: PowerDraft) -> list[tuple[str, str]]:
    """Every (field, message) wrong with a draft; empty when it may be saved."""
    errors = power_head_errors(d)
    if not d.bands:
        errors.append(("bands", _("A power needs at least one discretion band.")))
    for i, band in enumerate(d.bands):
        errors += [(f"bands.{i}.{f}", m) for f, m in band_errors(band)]
    errors += [(f"bands.{i}.fine_min", m) for i, m in bands_overlap(d.bands)]
    for i, (duty, _acc) in enumerate(d.responsibilities):
        if not duty.strip():
            errors.append((f"responsibilities.{i}.duty", _("The duty is required.")))
    return errors


def _current_content(power: PenaltyPower) -> tuple[Any, ...] | None:
    v = power.current_version
    if v is None:
        return None
    bands = [BandDraft(b.level, b.conditions, b.fine_min, b.fine_max, b.other_penalty) for b in v.bands.all()]
    return PowerDraft(power.code, v.name, v.department, v.law, v.article, v.clause, v.parties, bands,
                      [(r.duty, r.accountability) for r in v.responsibilities.all()]).content()


@transaction.atomic  # the power row is locked while its new version, bands and duties are written
def power_write(*, draft: PowerDraft, created_by: User | None) -> tuple[PenaltyPower, bool]:
    """Write a checked draft (no role check: the callers do it): a new version unless nothing changed."""
    power, _created = PenaltyPower.objects.select_for_update().get_or_create(
        code=draft.code, defaults={"name": draft.name, "department": draft.department})
    if _current_content(power) == draft.content():
        return power, False
    number = (power.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PenaltyPowerVersion.objects.create(
        power=power, number=number, name=draft.name, department=draft.department, law=draft.law,
        article=draft.article, clause=draft.clause, parties=draft.parties, created_by=created_by)
    DiscretionBand.objects.bulk_create([
        DiscretionBand(version=version, level=b.level, conditions=b.conditions, fine_min=b.fine_min,
                       fine_max=b.fine_max, other_penalty=b.other_penalty) for b in draft.bands])
    Responsibility.objects.bulk_create([Responsibility(version=version, duty=duty, accountability=acc)
                                        for duty, acc in draft.responsibilities])
    power.name, power.department, power.current_version, power.active = (draft.name, draft.department,
                                                                          version, True)
    power.save(update_fields=["name", "department", "current_version", "active", "updated_at"])
    return power, True


@transaction.atomic
def power_save(*, actor: User, draft: PowerDraft) -> PenaltyPower:
    """Add a power or edit one (a new version); the list keepers only; every fault at once (400)."""
    policy.check_list_keeper(actor)
    errors = power_check(draft)
    if errors:
        raise FieldError(None, errors=list(errors))
    power, _changed = power_write(draft=draft, created_by=actor)
    return power


@transaction.atomic
def powers_load(drafts: list[PowerDraft], *, inspection_per_department: int = 3) -> tuple[int, int]:
    """Load a power list (the demo's, or a county's in code): (powers written, unchanged). Every draft is
    checked first; one bad draft stops the load with a FieldError naming its code and nothing is written.

    For the first ``inspection_per_department`` powers of each department an inspection item (检查事项)
    with the same legal basis is kept, so the random-inspection plans have items to draw on.
    """
    for draft in drafts:
        errors = power_check(draft)
        if errors:
            raise FieldError(None, errors=[(f"{draft.code}.{f}", m) for f, m in errors])
    written = unchanged = 0
    per_department: dict[str, int] = {}
    for draft in drafts:
        power, changed = power_write(draft=draft, created_by=None)
        written += changed
        unchanged += not changed
        n = per_department[draft.department] = per_department.get(draft.department, 0) + 1
        if n <= inspection_per_department:
            InspectionItem.objects.update_or_create(
                code=f"JC-{draft.code}", defaults={"name": f"{draft.name}的检查", "department": draft.department,
                                                    "law": draft.law, "article": draft.article, "power": power})
    return written, unchanged
