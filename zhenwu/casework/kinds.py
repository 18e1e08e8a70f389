"""Case kinds: each kind of case (一窗受理 applications, 一网治理 incidents, …) is registered once.

A pillar registers its kind from its ``AppConfig.ready()``::

    kind_register(code=KIND, label=gettext_lazy("Service-hall application"), model=Application,
                  page="services:case", process_prefix="services:", own_services_only=True)

and every other piece of code reads the kind from here: the code used in case numbers, the label,
the pillar's model (a one-to-one to ``Case``) and object, the URL of its case page, which processes
belong to it (their keys start with the kind's ``process_prefix``), and whether its cases may move
only through the pillar's own services (the generic transitions endpoint then refuses them).

Mistakes are configuration errors and fail at start-up (``ImproperlyConfigured``): a code
registered twice, a code that is not a short upper-case code, two kinds claiming the same process
prefix, a model without a one-to-one to ``Case``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

if TYPE_CHECKING:  # the registry is imported by process.py, before the models are ready
    from django.db import models
    from django.db.models import Q, QuerySet

    from zhenwu.casework.models import Case

CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
PREFIX = re.compile(r"[a-z][a-z0-9_-]*:")

CasePage = Callable[["Case"], str]
# Who may read a kind's cases beyond the scope rule: ``readers(user)`` is True (all in scope), False (none) or a
# Q over Case fields (those). For kinds whose cases are sensitive (社会救助): the kernel's generic reads — the
# case, its timeline, attachments, my work, supervision lists — then leave out what the pillar would refuse.
CaseReaders = Callable[[Any], "bool | Q"]


@dataclass(frozen=True)
class CaseKind:
    code: str
    label: Any  # a lazy string: rendered in the language of the page or message using it
    process_prefix: str
    model: type[models.Model] | None = None
    case_field: str = ""  # the model's one-to-one field to Case
    page: str | CasePage | None = None  # a URL name taking ``number=``, or a function Case → URL
    own_services_only: bool = False
    readers: CaseReaders | None = None

    def owns_process(self, key: str) -> bool:
        return key.startswith(self.process_prefix)

    def pillar_object(self, case: Case) -> models.Model | None:
        """The pillar's row for ``case`` (None for a kind without a model, or no row yet)."""
        if self.model is None:
            return None
        manager = self.model._default_manager
        return manager.filter(**{self.case_field: case}).first()

    def page_url(self, case: Case) -> str | None:
        if self.page is None:
            return None
        if callable(self.page):
            return self.page(case)
        return reverse(self.page, kwargs={"number": case.number})


_KINDS: dict[str, CaseKind] = {}


def _case_field(model: type[models.Model]) -> str:
    from zhenwu.casework.models import Case

    for f in model._meta.get_fields():
        if getattr(f, "one_to_one", False) and getattr(f, "concrete", False) and f.related_model is Case:
            return f.name
    raise ImproperlyConfigured(f"Case kind model {model.__name__} has no one-to-one field to casework.Case.")


def kind_register(*, code: str, label: Any, process_prefix: str, model: type[models.Model] | None = None,
                  page: str | CasePage | None = None, own_services_only: bool = False,
                  readers: CaseReaders | None = None) -> CaseKind:
    """Register a case kind once (from the pillar's ``AppConfig.ready()``)."""
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise ImproperlyConfigured(f"Case kind code {code!r}: use 2 to 8 upper-case letters or digits, "
                                   "starting with a letter (e.g. SQ).")
    if code in _KINDS:
        raise ImproperlyConfigured(f"Case kind {code} is registered twice.")
    if not isinstance(process_prefix, str) or not PREFIX.fullmatch(process_prefix):
        raise ImproperlyConfigured(f"Case kind {code}: process prefix {process_prefix!r} must be lower-case "
                                   "letters, digits, '_' or '-' ending in ':' (e.g. 'services:').")
    for other in _KINDS.values():
        if other.process_prefix == process_prefix:
            raise ImproperlyConfigured(f"Case kinds {other.code} and {code} both claim process prefix "
                                       f"{process_prefix!r}.")
    kind = CaseKind(code=code, label=label, process_prefix=process_prefix, model=model,
                    case_field=_case_field(model) if model is not None else "", page=page,
                    own_services_only=own_services_only, readers=readers)
    _KINDS[code] = kind
    return kind


def cases_readable(qs: QuerySet[Case], user: Any) -> QuerySet[Case]:
    """``qs`` (already cut to the user's scope) without the cases a kind's ``readers`` keep from ``user``."""
    from django.db.models import Q

    for kind in _KINDS.values():
        if kind.readers is None:
            continue
        allowed = kind.readers(user)
        if allowed is True:
            continue
        qs = qs.exclude(kind=kind.code) if allowed is False else qs.exclude(Q(kind=kind.code) & ~allowed)
    return qs


def kind_get(code: str) -> CaseKind | None:
    return _KINDS.get(code)


def kind_label(code: str) -> str:
    """A kind's name for people (its code when no app registered it)."""
    kind = _KINDS.get(code)
    return str(kind.label) if kind else code


def kinds() -> list[CaseKind]:
    """Every registered kind, in code order (for filters, labels and statistics)."""
    return sorted(_KINDS.values(), key=lambda k: k.code)


def process_prefix_of(key: str) -> str:
    """The kind part of a process key (``services:`` of ``services:A1:v2``), '' when it has none."""
    head, sep, _rest = key.partition(":")
    return f"{head}:" if sep else ""


def kind_for_process(key: str) -> CaseKind | None:
    prefix = process_prefix_of(key)
    return next((k for k in _KINDS.values() if k.process_prefix == prefix), None) if prefix else None


def case_kind(case: Case) -> CaseKind | None:
    return _KINDS.get(case.kind)


def case_pillar(case: Case) -> models.Model | None:
    """The pillar object of any case (an ``Application`` for SQ, …), None when its kind has none."""
    kind = case_kind(case)
    return kind.pillar_object(case) if kind else None


def case_url(case: Case) -> str | None:
    """The URL of any case's page in its pillar, None when its kind has no page."""
    kind = case_kind(case)
    return kind.page_url(case) if kind else None


@contextlib.contextmanager
def kinds_isolated() -> Iterator[None]:
    """Tests: register kinds inside the block; the registry is put back as it was afterwards."""
    saved = dict(_KINDS)
    try:
        yield
    finally:
        _KINDS.clear()
        _KINDS.update(saved)
