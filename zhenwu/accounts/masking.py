"""Display masking of personal data (PIPL; GB/T 35273 §7.2), for screens and logs."""

from __future__ import annotations

import logging
import re

# Where a secret (a one-time code) stands in a message text kept for people to read (outbox, admin, logs).
SECRET_MARK = "******"
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[0-9]{10}(?![0-9])")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


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


def mask_text(text: str) -> str:
    """Mask every mobile number and ID number inside free text (log lines, error messages)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_mobile(m.group(0)), text)


class MaskingFormatter(logging.Formatter):
    """The log formatter of every handler: the whole line, traceback included, passes through mask_text."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_text(super().format(record))
