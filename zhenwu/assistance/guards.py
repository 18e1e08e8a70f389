"""The review rules as the process's guards: each raises a FieldError naming the field at fault, and the case
stays as it was (``transition()`` runs the guards before it changes anything). They read the pillar's saved
row (``AssistanceApplication``) and the step's audited ``fields``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from zhenwu.accounts.models import User
from zhenwu.assistance import process
from zhenwu.assistance.models import AssistanceApplication
from zhenwu.assistance.services.common import today, whole
from zhenwu.casework.models import Case
from zhenwu.casework.process import guard_register
from zhenwu.errors import FieldError
from zhenwu.errors import gettext as _


def _row(case: Case) -> AssistanceApplication:
    return AssistanceApplication.objects.get(case=case)


def survey_photos(*, case: Case, actor: User, action: str, fields: Mapping[str, Any]) -> None:
    """入户调查: the survey is recorded with its photos (at least ``ASSISTANCE_SURVEY_MIN_PHOTOS``)."""
    need = settings.ASSISTANCE_SURVEY_MIN_PHOTOS
    if len(_row(case).survey_photos) < need:
        raise FieldError("photos", _("Add at least %(count)s photo(s) of the home survey first.") % {"count": need})


def appraisal_quorum(*, case: Case, actor: User, action: str, fields: Mapping[str, Any]) -> None:
    """民主评议: enough participants, and no more votes than participants."""
    people = whole(fields.get("participants"), "fields.participants", high=10_000)
    if people < settings.ASSISTANCE_APPRAISAL_MIN_PARTICIPANTS:
        raise FieldError("fields.participants", _("A village appraisal needs at least %(count)s participants.")
                         % {"count": settings.ASSISTANCE_APPRAISAL_MIN_PARTICIPANTS})
    votes = (whole(fields.get("votes_for"), "fields.votes_for", high=10_000)
             + whole(fields.get("votes_against"), "fields.votes_against", high=10_000))
    if votes > people:
        raise FieldError("fields.votes_for", _("More votes than participants."))


def publicity_over(*, case: Case, actor: User, action: str, fields: Mapping[str, Any]) -> None:
    """公示: the list stays public for its whole period before the town confirms."""
    until = _row(case).publicity_until
    if until is None or today() < until:
        raise FieldError("action", _("The publicity lasts until %(day)s; confirm after it ends.")
                         % {"day": until.isoformat() if until else "?"})


def amount_set(*, case: Case, actor: User, action: str, fields: Mapping[str, Any]) -> None:
    """审核确认: an approval names the monthly amount (more than zero)."""
    from zhenwu.assistance.services.common import amount

    amount(fields.get("amount"), "fields.amount", positive=True)


def register() -> None:
    guard_register(process.SURVEY_PHOTOS, survey_photos)
    guard_register(process.APPRAISAL_QUORUM, appraisal_quorum)
    guard_register(process.PUBLICITY_OVER, publicity_over)
    guard_register(process.AMOUNT_SET, amount_set)
