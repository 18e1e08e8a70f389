"""What a (valid) 18-character ID number says about its holder (GB 11643)."""

from __future__ import annotations

import datetime

from zhenwu.registry.choices import Sex


def id_birth_date(id_number: str) -> datetime.date:
    """Characters 7–14 are the birth date YYYYMMDD."""
    return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_sex(id_number: str) -> str:
    """Character 17 (the sequence code's last digit) is odd for men, even for women."""
    return Sex.MALE if int(id_number[16]) % 2 else Sex.FEMALE
