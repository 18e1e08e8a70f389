"""引用: what a spreadsheet row names — a grid, a household, an enterprise — by code or by name.

Offices write ``柳湾村第一网格`` rather than ``321181102201001001``, a household's address rather
than its number, an enterprise's name rather than its USCC. A name is accepted where exactly one
row of that kind in the importer's scope carries it; when several do, the row is rejected with
the candidates named, so the office can write the code instead. Each resolver looks up a whole
file's references in a few chunked queries and answers, per reference, the row found or the
reason (a lazy message).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from zhenwu.areas.choices import GRID_LEVELS
from zhenwu.areas.models import Area
from zhenwu.registry.models import Enterprise, Household

CANDIDATES_SHOWN = 5
_DIGITS = re.compile(r"^\d+$")


def _fmt(message: Any, **params: Any) -> Any:
    return lazy(lambda: str(message) % params, str)()


@dataclass(frozen=True)
class Found:
    """The row a reference names: its primary key and its code (a grid's area code, else the key)."""

    pk: int
    code: str


Resolved = dict[str, "Found | Any"]  # reference → Found, or the lazy message saying why not


def in_chunk_size() -> int:
    """How many values one ``IN (…)`` may carry: SQLite's parameter limit (999), else 10,000."""
    return min(connection.features.max_query_params or 10_000, 10_000) - 9


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    items, size = sorted(values), in_chunk_size()
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _candidates(codes: list[str]) -> str:
    shown = "、".join(sorted(codes)[:CANDIDATES_SHOWN])
    return shown + ("…" if len(codes) > CANDIDATES_SHOWN else "")


def resolve_grids(refs: Iterable[str], prefix: str) -> Resolved:
    """Grid codes (15 or 18 digits) or grid names; a grid must be of a grid level and in scope."""
    refs = set(refs)
    codes = {r for r in refs if _DIGITS.match(r)}
    out: Resolved = {}
    for chunk in _chunks(codes):
        for code, pk, level in Area.objects.filter(code__in=chunk).values_list("code", "pk", "level"):
            if level not in GRID_LEVELS:
                out[code] = _fmt(_("%(code)s is not a grid."), code=code)
            elif not code.startswith(prefix):
                out[code] = _fmt(_("The grid %(code)s is outside your scope."), code=code)
            else:
                out[code] = Found(pk, code)
    for code in codes - set(out):
        out[code] = _fmt(_("No grid has the code %(code)s."), code=code)
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(refs - codes):
        qs = Area.objects.filter(name__in=chunk, level__in=GRID_LEVELS, code__startswith=prefix)
        for name, pk, code in qs.values_list("name", "pk", "code"):
            by_name[name].append((pk, code))
    for name in refs - codes:
        out[name] = _one(by_name.get(name, []), name, _("No grid named %(name)s in your scope."),
                         _("Several grids in your scope are named %(name)s (%(codes)s); write the grid code."))
    return out


def _one(rows: list[tuple[int, str]], name: str, none: Any, several: Any) -> Found | Any:
    if len(rows) == 1:
        return Found(*rows[0])
    if not rows:
        return _fmt(none, name=name)
    return _fmt(several, name=name, codes=_candidates([code for _pk, code in rows]))


def _by_key_then_name(model: type[models.Model], key: str, name: str, refs: set[str],
                      prefix: str) -> tuple[dict[str, int], dict[str, list[tuple[int, str]]]]:
    """Rows in scope whose ``key`` is a reference, and those whose ``name`` field is one of the rest."""
    scoped = model._default_manager.filter(area_code__startswith=prefix)
    by_key: dict[str, int] = {}
    for chunk in _chunks(refs):
        by_key.update(dict(scoped.filter(**{f"{key}__in": chunk}).values_list(key, "pk")))
    by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for chunk in _chunks(refs - set(by_key)):
        for value, pk, code in scoped.filter(**{f"{name}__in": chunk}).values_list(name, "pk", key):
            by_name[value].append((pk, code))
    return by_key, by_name


def resolve_households(refs: Iterable[str], prefix: str) -> Resolved:
    """Household numbers, or a household's address where one household in scope has it."""
    refs = set(refs)
    by_number, by_address = _by_key_then_name(Household, "number", "address", refs, prefix)
    out: Resolved = {ref: Found(pk, ref) for ref, pk in by_number.items()}
    for ref in refs - set(by_number):
        out[ref] = _one(by_address.get(ref, []), ref,
                        _("No household with the number or address %(name)s in your scope."),
                        _("Several households in your scope are at %(name)s (numbers %(codes)s); write the "
                          "household number."))
    return out


def resolve_enterprises(refs: Iterable[str], prefix: str) -> Resolved:
    """Unified social credit codes, or an enterprise's name where one enterprise in scope has it."""
    refs = set(refs)
    by_uscc, by_name = _by_key_then_name(Enterprise, "uscc", "name", refs, prefix)
    out: Resolved = {ref: Found(pk, ref) for ref, pk in by_uscc.items()}
    for ref in refs - set(by_uscc):
        out[ref] = _one(by_name.get(ref, []), ref,
                        _("No enterprise with the code or name %(name)s in your scope."),
                        _("Several enterprises in your scope are named %(name)s (%(codes)s); write the unified "
                          "social credit code."))
    return out
