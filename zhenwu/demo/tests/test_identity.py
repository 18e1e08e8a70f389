"""Synthetic identity numbers pass the official checksums."""

from __future__ import annotations

import random

from stdnum.cn import ric, uscc

from zhenwu.demo import identity


def test_id_numbers_are_valid_for_many_seeds():
    numbers = [identity.id_number(random.Random(seed), region="321181") for seed in range(200)]
    assert all(ric.is_valid(n) for n in numbers)
    assert any(n.endswith("X") for n in numbers)  # the check character 10 is written X


def test_credit_codes_are_valid_for_many_seeds():
    codes = [identity.credit_code(random.Random(seed), region="321181") for seed in range(200)]
    assert all(uscc.is_valid(c) and c.startswith("91321181") for c in codes)


def test_mobiles_are_eleven_digits_from_1_and_unique_per_town_and_ordinal():
    numbers = {identity.mobile(town_number=t, ordinal=o) for t in (102, 103) for o in range(3000)}
    assert len(numbers) == 6000
    assert all(len(n) == 11 and n.isdigit() and n.startswith("1") for n in numbers)
