"""Numbered documents (执法文书编号): one gap-free sequence per document kind and year.

A number is taken in the transaction that issues the document, as the kernel numbers cases: the counter's
row is bumped by an UPDATE that holds its lock until the transaction ends, so concurrent issuers queue on
it, every number is handed out once, and a refused step (rolled back) gives its number back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.enforcement.choices import DOCUMENT_CODES, DocumentKind
from zhenwu.enforcement.models import CaseDocument, DocumentCounter, PenaltyCase
from zhenwu.errors import Conflict
from zhenwu.errors import gettext as _


def document_number(kind: str, year: int, seq: int) -> str:
    """综执罚决字〔2026〕第12号: the authority's prefix (a setting), the kind's character, the year, the number."""
    return f"{settings.ENFORCEMENT_DOCUMENT_PREFIX}{DOCUMENT_CODES[kind]}字〔{year}〕第{seq}号"


def _next(kind: str, year: int) -> int:
    for _attempt in range(5):
        rows = DocumentCounter.objects.filter(kind=kind, year=year)
        if rows.update(last=F("last") + 1):  # the row lock is ours until the transaction ends
            return int(rows.values_list("last", flat=True).get())
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(kind=kind, year=year, last=1)
            return 1
        except IntegrityError:
            continue  # another issuer made the row first: bump it instead
    raise Conflict(_("Could not allocate a document number; try again."))


def document_issue(*, row: PenaltyCase, kind: str, actor: User | None) -> CaseDocument:
    """Issue the next number of ``kind`` this year on ``row`` (inside the caller's transaction)."""
    if kind not in DocumentKind.values:
        raise ValueError(kind)
    now = timezone.now()
    year = timezone.localdate(now).year
    seq = _next(kind, year)
    return CaseDocument.objects.create(penalty_case=row, kind=kind, year=year, seq=seq,
                                       number=document_number(kind, year, seq), issued_at=now, issued_by=actor)
