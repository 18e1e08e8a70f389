"""双随机 draw: which market entities are inspected and by which inspectors, reproducible by anyone.

Pure functions over plain data (standard library only): the services feed them the plan's frozen inputs,
``zhenwu enforcement verify-draw`` and ``docs/verify_draw.py`` feed them the published JSON. The algorithm,
step by step, is in ``docs/enforcement-draw.md``; ``docs/verify_draw.py`` is an independent copy of it and
the tests hold the two to the same answers.

Inputs (``DrawInputs``, a dict as published)::

    {"format": "zhenwu-draw/1",
     "plan": {"number", "items", "filter", "ratio", "flagged_ratio", "inspectors_per_target"},
     "candidates": {"flagged": [ids…], "ordinary": [ids…]},   # ascending enterprise ids
     "inspectors": [ids…],                                     # ascending officer ids
     "recusals": [[officer id, enterprise id], …],             # ascending pairs
     "draw_date": "YYYY-MM-DD", "beacon_source": "…",          # fixed at announcement
     "beacon_value": "…"}                                      # the public value, known on the draw date
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

FORMAT = "zhenwu-draw/1"
RATIO_SCALE = 10_000  # ratios are percentages with two decimals: basis points of a percent
_TWO64 = 1 << 64

DrawInputs = dict[str, Any]
Assignment = list[tuple[int, list[int]]]  # (enterprise id, officer ids) in draw order


class DrawError(ValueError):
    """The inputs cannot be drawn (malformed, unsorted, or a target without enough inspectors)."""


def canonical(value: Any) -> bytes:
    """The one byte string a JSON value hashes as: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(value: Any) -> str:
    return hashlib.sha256(canonical(value)).hexdigest()


def ratio_units(text: str) -> int:
    """"5.5" / "5.50" → 550 (hundredths of a percent); no floats anywhere."""
    whole, _, frac = str(text).partition(".")
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(frac) > 2:
        raise DrawError(f"ratio {text!r} is not a percentage with at most two decimals")
    return int(whole) * 100 + int((frac + "00")[:2])


def sample_size(population: int, units: int) -> int:
    """ceil(population × ratio), at least one when the population is not empty, at most all of it."""
    if population == 0:
        return 0
    return min(population, max(1, -(-population * units // RATIO_SCALE)))


class Stream:
    """Uniform integers from HMAC-SHA256(seed, label ‖ 0x00 ‖ counter as 8 bytes big-endian), counter 0, 1, …

    Each 32-byte block gives four 64-bit big-endian words, used in order.
    """

    def __init__(self, seed: bytes, label: str) -> None:
        self.seed, self.prefix, self.counter = seed, label.encode("utf-8") + b"\x00", 0
        self.words: list[int] = []

    def word(self) -> int:
        if not self.words:
            block = hmac.digest(self.seed, self.prefix + self.counter.to_bytes(8, "big"), "sha256")
            self.counter += 1
            self.words = [int.from_bytes(block[i:i + 8], "big") for i in (24, 16, 8, 0)]  # popped from the end
        return self.words.pop()

    def below(self, n: int) -> int:
        """Uniform in [0, n): words at or above the largest multiple of n are rejected (no modulo bias)."""
        limit = _TWO64 - _TWO64 % n
        while True:
            w = self.word()
            if w < limit:
                return w % n


def shuffle_prefix(items: list[int], k: int, stream: Stream) -> list[int]:
    """The first ``k`` positions of a Fisher–Yates shuffle of ``items``: for i in 0…k-1, swap i with
    i + below(len − i)."""
    a = list(items)
    n = len(a)
    for i in range(k):
        j = i + stream.below(n - i)
        a[i], a[j] = a[j], a[i]
    return a[:k]


def _ascending(values: list[Any], what: str) -> None:
    if any(not isinstance(v, int) or isinstance(v, bool) for v in values):
        raise DrawError(f"{what}: ids must be integers")
    if any(b <= a for a, b in zip(values, values[1:], strict=False)):
        raise DrawError(f"{what}: ids must be strictly ascending")


def commitments(inputs: DrawInputs) -> dict[str, Any]:
    """What the announcement fixes: the plan and the digests of its directories, the date and the source of
    the public value. Its digest is the announcement hash."""
    cands = inputs["candidates"]
    _ascending(cands["flagged"], "candidates.flagged")
    _ascending(cands["ordinary"], "candidates.ordinary")
    _ascending(inputs["inspectors"], "inspectors")
    pairs = [tuple(p) for p in inputs["recusals"]]
    if pairs != sorted(set(pairs)):
        raise DrawError("recusals: pairs must be unique and ascending")
    return {"format": FORMAT, "plan": inputs["plan"], "candidates_digest": digest(cands),
            "inspectors_digest": digest(inputs["inspectors"]), "recusals_digest": digest(inputs["recusals"]),
            "draw_date": inputs["draw_date"], "beacon_source": inputs["beacon_source"]}


def announcement_hash(inputs: DrawInputs) -> str:
    return digest(commitments(inputs))


def seed_of(inputs: DrawInputs) -> bytes:
    """SHA-256 over the announcement's commitments, its hash and the public value (``beacon_value``)."""
    if not str(inputs.get("beacon_value") or "").strip():
        raise DrawError("beacon_value: the public value is missing")
    fixed = commitments(inputs)
    return hashlib.sha256(canonical({"announcement": fixed, "announcement_hash": digest(fixed),
                                     "beacon_value": inputs["beacon_value"]})).digest()


def draw(inputs: DrawInputs) -> Assignment:
    """Targets (flagged stratum first, then ordinary, each in draw order) with their inspectors."""
    seed, plan, cands = seed_of(inputs), inputs["plan"], inputs["candidates"]
    base = ratio_units(plan["ratio"])
    raised = max(base, ratio_units(plan["flagged_ratio"]))
    per_target = int(plan["inspectors_per_target"])
    targets = (shuffle_prefix(cands["flagged"], sample_size(len(cands["flagged"]), raised),
                              Stream(seed, "targets/flagged"))
               + shuffle_prefix(cands["ordinary"], sample_size(len(cands["ordinary"]), base),
                                Stream(seed, "targets/ordinary")))
    recused: dict[int, set[int]] = {}
    for officer, entity in inputs["recusals"]:
        recused.setdefault(entity, set()).add(officer)
    out: Assignment = []
    for target in targets:
        barred = recused.get(target, set())
        pool = [o for o in inputs["inspectors"] if o not in barred]
        if len(pool) < per_target:
            raise DrawError(f"enterprise {target}: {len(pool)} inspectors without a conflict, {per_target} needed")
        out.append((target, shuffle_prefix(pool, per_target, Stream(seed, f"inspectors/{target}"))))
    return out


def as_json(assignment: Assignment) -> list[list[Any]]:
    """The assignment as published: [[enterprise id, [officer ids]], …]."""
    return [[t, list(o)] for t, o in assignment]
