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
import json
import operator
import struct
import sys
from array import array
from itertools import islice
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


def ids_digest(ids: list[int], what: str) -> str:
    """SHA-256 of the ids as unsigned 64-bit big-endian integers, one after another; they must be ascending."""
    try:
        packed = array("Q", ids)
    except (TypeError, OverflowError):
        raise DrawError(f"{what}: ids must be integers from 0 to 2**64 - 1") from None
    if not all(map(operator.lt, ids, islice(ids, 1, None))):
        raise DrawError(f"{what}: ids must be strictly ascending")
    if sys.byteorder == "little":
        packed.byteswap()
    return hashlib.sha256(packed.tobytes()).hexdigest()


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


_WORDS = struct.Struct(">4Q")


class Stream:
    """Uniform integers from SHA-256(seed ‖ label ‖ 0x00 ‖ counter as 8 bytes big-endian), counter 0, 1, …

    Each 32-byte block gives four 64-bit big-endian words, used in order. (The seed is public once the draw is
    published, so a keyed hash would add nothing; SHA-256 in counter mode is the whole generator.)
    """

    def __init__(self, seed: bytes, label: str) -> None:
        self.base = hashlib.sha256(seed + label.encode("utf-8") + b"\x00")
        self.counter = 0
        self.words: list[int] = []

    def below(self, n: int) -> int:
        """Uniform in [0, n): words at or above the largest multiple of n are rejected (no modulo bias)."""
        limit = _TWO64 - _TWO64 % n
        words = self.words
        while True:
            if not words:
                h = self.base.copy()
                h.update(self.counter.to_bytes(8, "big"))
                self.counter += 1
                words.extend(reversed(_WORDS.unpack(h.digest())))  # popped from the end: first word first
            w = words.pop()
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


def commitments(inputs: DrawInputs) -> dict[str, Any]:
    """What the announcement fixes: the plan and the digests of its directories, the date and the source of
    the public value. Its digest is the announcement hash."""
    cands = inputs["candidates"]
    pairs = [tuple(p) for p in inputs["recusals"]]
    if pairs != sorted(set(pairs)):
        raise DrawError("recusals: pairs must be unique and ascending")
    return {"format": FORMAT, "plan": inputs["plan"],
            "candidates_digest": {"flagged": ids_digest(cands["flagged"], "candidates.flagged"),
                                  "ordinary": ids_digest(cands["ordinary"], "candidates.ordinary")},
            "inspectors_digest": ids_digest(inputs["inspectors"], "inspectors"),
            "recusals_digest": digest(inputs["recusals"]),
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
    everyone, stream = list(inputs["inspectors"]), Stream(seed, "inspectors")
    for target in targets:  # one stream, consumed target after target in draw order
        barred = recused.get(target)
        pool = [o for o in everyone if o not in barred] if barred else everyone
        if len(pool) < per_target:
            raise DrawError(f"enterprise {target}: {len(pool)} inspectors without a conflict, {per_target} needed")
        out.append((target, shuffle_prefix(pool, per_target, stream)))
    return out


def as_json(assignment: Assignment) -> list[list[Any]]:
    """The assignment as published: [[enterprise id, [officer ids]], …]."""
    return [[t, list(o)] for t, o in assignment]
