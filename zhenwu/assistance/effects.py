"""What a step of an assistance case sets off, named on its action in ``process.py`` and registered here.

Both are SMS to the applicant's mobile (from the registry), queued in the outbox in the step's transaction.
They say no amount and no reason: a text message is not a private channel; the decision letter is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zhenwu.accounts.models import User
from zhenwu.assistance import process
from zhenwu.assistance.models import AssistanceApplication
from zhenwu.casework.choices import Channel
from zhenwu.casework.models import Case
from zhenwu.casework.services import effect_register, notification_enqueue
from zhenwu.errors import gettext as _


def _mobile(case: Case) -> str:
    """The applicant's mobile, or "" when nothing is to be sent: an application taken over from the service hall
    (一窗受理) is told of by the hall, which sent the receipt and sends the decision with its 出件 (one SMS each)."""
    row = AssistanceApplication.objects.select_related("applicant").get(case=case)
    return "" if row.hall_number else row.applicant.mobile


def sms_accepted(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                 context: Mapping[str, Any]) -> None:
    mobile = _mobile(case)
    if mobile:
        notification_enqueue(channel=Channel.SMS, recipient=mobile, body=str(
            _("Your assistance application %(number)s has been accepted by the town.") % {"number": case.number}))


def sms_decided(*, case: Case, actor: User, action: str, fields: Mapping[str, Any],
                context: Mapping[str, Any]) -> None:
    mobile = _mobile(case)
    if mobile:
        notification_enqueue(channel=Channel.SMS, recipient=mobile, body=str(
            _("A decision was made on your assistance application %(number)s; your village worker will bring "
              "you the letter.") % {"number": case.number}))


def register() -> None:
    effect_register(process.SMS_ACCEPTED, sms_accepted, in_transaction=True)
    effect_register(process.SMS_DECIDED, sms_decided, in_transaction=True)
