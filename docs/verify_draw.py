#!/usr/bin/env python3
"""Check a 双随机 draw of Zhenwu from its published inputs, with nothing but Python 3.9+.

    python3 verify_draw.py draw-inputs.json          # a downloaded file
    python3 verify_draw.py https://…/draw-inputs.json  # or its address
    python3 verify_draw.py - < draw-inputs.json

It recomputes the announcement hash, the seed and the draw (docs/enforcement-draw.md) and compares them
with what the file says was announced and drawn. Exit status 0: they agree; 1: they do not; 2: bad input.
"""

import hashlib
import json
import sys
import urllib.request


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sha256_hex(value):
    return hashlib.sha256(canonical(value)).hexdigest()


def ids_sha256(ids):
    """The ids as unsigned 64-bit big-endian integers, one after another (ascending, checked)."""
    if any(ids[i + 1] <= ids[i] for i in range(len(ids) - 1)):
        raise ValueError("ids are not strictly ascending")
    return hashlib.sha256(b"".join(i.to_bytes(8, "big") for i in ids)).hexdigest()


def percent_hundredths(text):
    whole, _, frac = text.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def how_many(population, hundredths):
    if population == 0:
        return 0
    return min(population, max(1, -(-population * hundredths // 10000)))


def uniform_below(seed, label, n, state):
    """state = [counter, pending words]; SHA-256 counter mode, rejection sampling."""
    limit = 2**64 - 2**64 % n
    while True:
        if not state[1]:
            block = hashlib.sha256(seed + label.encode("utf-8") + b"\x00" + state[0].to_bytes(8, "big")).digest()
            state[0] += 1
            state[1] = [int.from_bytes(block[i:i + 8], "big") for i in range(0, 32, 8)]
        word = state[1].pop(0)
        if word < limit:
            return word % n


def first_of_shuffle(ids, k, seed, label, state=None):
    a, state = list(ids), [0, []] if state is None else state
    for i in range(k):
        j = i + uniform_below(seed, label, len(a) - i, state)
        a[i], a[j] = a[j], a[i]
    return a[:k]


def main(argv):
    source = argv[1] if len(argv) > 1 else "-"
    if source == "-":
        data = json.load(sys.stdin)
    elif source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source) as response:  # noqa: S310 - the user names the address
            data = json.load(response)
    else:
        with open(source, encoding="utf-8") as f:
            data = json.load(f)
    plan, cands = data["plan"], data["candidates"]
    fixed = {"format": data["format"], "plan": plan,
             "candidates_digest": {"flagged": ids_sha256(cands["flagged"]), "ordinary": ids_sha256(cands["ordinary"])},
             "inspectors_digest": ids_sha256(data["inspectors"]), "recusals_digest": sha256_hex(data["recusals"]),
             "draw_date": data["draw_date"], "beacon_source": data["beacon_source"]}
    announced = sha256_hex(fixed)
    seed = hashlib.sha256(canonical({"announcement": fixed, "announcement_hash": announced,
                                     "beacon_value": data["beacon_value"]})).digest()
    base = percent_hundredths(plan["ratio"])
    raised = max(base, percent_hundredths(plan["flagged_ratio"]))
    targets = (first_of_shuffle(cands["flagged"], how_many(len(cands["flagged"]), raised), seed, "targets/flagged")
               + first_of_shuffle(cands["ordinary"], how_many(len(cands["ordinary"]), base), seed, "targets/ordinary"))
    barred = {}
    for officer, entity in data["recusals"]:
        barred.setdefault(entity, set()).add(officer)
    drawn, shared = [], [0, []]  # one "inspectors" stream, used target after target
    for t in targets:
        pool = [o for o in data["inspectors"] if o not in barred.get(t, set())]
        drawn.append([t, first_of_shuffle(pool, int(plan["inspectors_per_target"]), seed, "inspectors", shared)])
    ok = True
    print("announcement hash", announced, "OK" if announced == data.get("announcement_hash") else "MISMATCH")
    ok &= announced == data.get("announcement_hash")
    print("seed", seed.hex(), "OK" if seed.hex() == data.get("seed") else "MISMATCH")
    ok &= seed.hex() == data.get("seed")
    for target, officers in drawn:
        print("enterprise", target, "inspectors", " ".join(str(o) for o in officers))
    same = drawn == data.get("result")
    print("draw", "OK: the published targets and inspectors are reproduced" if same else "MISMATCH")
    return 0 if ok and same else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (KeyError, ValueError, TypeError, OSError) as exc:
        print("bad input:", exc, file=sys.stderr)
        sys.exit(2)
