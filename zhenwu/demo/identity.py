"""Synthetic but checksum-valid identity numbers for demo accounts (GB 11643, GB 32100)."""

from __future__ import annotations

import datetime
import random

from stdnum.cn import ric, uscc

# GB 11714 organisation code: weights of the eight body characters, check = 11 − Σ mod 11.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MOBILE_PREFIXES = ("35", "36", "37", "38", "39", "50", "51", "52", "58", "59", "87", "88")


def id_number(rng: random.Random, *, region: str, born_from: int = 1990, born_to: int = 2000) -> str:
    """A 居民身份证号 for someone born in `region` (6 digits) between the given years.

    `region` must have existed in the birth year for `stdnum.cn.ric` to accept it
    (321181 丹阳市 exists from 1989).
    """
    first = datetime.date(born_from, 1, 1).toordinal()
    last = datetime.date(born_to, 12, 31).toordinal()
    born = datetime.date.fromordinal(rng.randint(first, last))
    body = f"{region}{born:%Y%m%d}{rng.randint(1, 999):03d}"
    # The check digit is stdnum's (it expects a placeholder); validating again would look the region up in
    # stdnum's history database, a third of the time of drawing the demo's 20,000 applicants.
    return body + ric.calc_check_digit(body + "?")


def org_code(rng: random.Random, *, prefix: str = "") -> str:
    """A nine-character organisation code: eight digits (starting with `prefix`) and the GB 11714
    check character."""
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(8 - len(prefix)))
    check = (11 - sum(int(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def credit_code(rng: random.Random, *, region: str, kind: str = "91", org_prefix: str = "") -> str:
    """A 统一社会信用代码 registered by market regulation in `region`: a company ("91") or an
    individual business ("92"); `org_prefix` fixes the organisation code's first digits."""
    body = f"{kind}{region}{org_code(rng, prefix=org_prefix)}"
    number = body + uscc.calc_check_digit(body)
    uscc.validate(number)
    return number


def mobile(*, town_number: int, ordinal: int) -> str:
    """An 11-digit mobile number unique per (town, ordinal), whatever the seed.

    Derived from position rather than drawn at random, so re-running with another seed
    never swaps numbers between accounts (``User.mobile`` is unique).
    """
    return f"1{MOBILE_PREFIXES[ordinal % len(MOBILE_PREFIXES)]}{town_number:03d}{ordinal:05d}"
