"""Display masking of personal data (PIPL; GB/T 35273 §7.2), for screens and logs."""

from __future__ import annotations


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    if len(value) <= keep_start + keep_end:
        return value[:keep_start] + "*" * max(len(value) - keep_start, 0)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def mask_id_number(value: str | None) -> str:
    """Keep the first character and the last two: ``1***************2X``."""
    return _mask(value or "", 1, 2)


def mask_mobile(value: str | None) -> str:
    """Keep the first three digits and the last four: ``135****2210``."""
    return _mask(value or "", 3, 4)


def mask_name(value: str | None) -> str:
    """Keep the first character: ``李**``."""
    return _mask(value or "", 1, 0)


def mask_uscc(value: str | None) -> str:
    """Keep the first two (registration authority, kind) and the last two characters."""
    return _mask(value or "", 2, 2)
