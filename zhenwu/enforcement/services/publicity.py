"""行政处罚决定公开 (Administrative Penalty Law Art. 39, 48): decided general-procedure cases on the public pages.

- ``publication_schedule`` — when a general case is decided: a pending row due ``ENFORCEMENT_PUBLISH_WORKING_DAYS``
  working days after the decision (7: 国办发〔2018〕118号). Summary-procedure decisions (a warning or a small fine
  on the spot) are not published: see docs/enforcement.md "Publicity of decisions".
- ``publication_publish`` — a legal reviewer or leader publishes it: what the public sees is fixed then (a
  citizen's name masked to its first character, an organisation's name shown, never an ID number).
- ``publication_overturn`` — a decision revoked or changed on reconsideration or by a court, or confirmed illegal
  or void, must be withdrawn within ``ENFORCEMENT_WITHDRAW_WORKING_DAYS`` working days (3, Art. 48).
- ``publication_overturned_by_remedy`` — the same, recorded with the end of the party's reconsideration or lawsuit
  on the case (``services/remedies.py``); a decision still pending is then never published.
- ``publication_withdraw`` — the leader withdraws it: the public page stays, marked 已撤销 with the reason.

Each step locks the row, checks role and scope (404 outside, 403 without the role) and writes an audit entry in
the penalty case's chain.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.masking import mask_name
from zhenwu.accounts.models import User
from zhenwu.casework.services import audit_record
from zhenwu.enforcement import policy
from zhenwu.enforcement.choices import OverturnKind, Procedure, PublicationStatus
from zhenwu.enforcement.guards import _date, add_working_days, today
from zhenwu.enforcement.models import DecisionPublication, PenaltyCase
from zhenwu.errors import FieldError, NotFound
from zhenwu.errors import gettext as _


def party_shown(row: PenaltyCase) -> str:
    """The party as published: an organisation by its name; a citizen by the first character (张*)."""
    return row.party_name if row.party_is_organisation else mask_name(row.party_name)


def publication_schedule(row: PenaltyCase) -> DecisionPublication | None:
    """A decided general case waits to be published by its deadline (called inside the decision's step)."""
    if row.procedure != Procedure.GENERAL or row.decided_on is None:
        return None
    due = add_working_days(row.decided_on, settings.ENFORCEMENT_PUBLISH_WORKING_DAYS)
    pub, _created = DecisionPublication.objects.get_or_create(
        penalty=row, defaults={"area_code": row.case.area_code, "due_on": due, "decided_on": row.decided_on,
                               "decision_number": row.decision_number})
    return pub


def _locked(actor: User, pub_id: int, action: str) -> DecisionPublication:
    pub = (DecisionPublication.objects.select_for_update().select_related("penalty__case", "penalty__power_version")
           .filter(pk=pub_id).first())
    if pub is None:
        raise NotFound(_("No such publication."), field="publication")
    policy.check(actor, action, area_code=pub.area_code, missing=_("No such publication."))
    return pub


def _audit(actor: User, pub: DecisionPublication, action: str, reason: str = "", **data: Any) -> None:
    case = pub.penalty.case
    audit_record(subject=case.number, case=case, actor=actor, action=action, reason=reason,
                 data={"publication": pub.pk, "decision_number": pub.decision_number, **data})


@transaction.atomic
def publication_publish(*, actor: User, pub_id: int) -> DecisionPublication:
    """Publish a pending decision (late ones too: the audit says it was late)."""
    pub = _locked(actor, pub_id, "publish")
    if pub.status != PublicationStatus.PENDING:
        raise FieldError("status", _("This decision has already been published or withdrawn."))
    if pub.overturned_on is not None:
        raise FieldError("status", _("This decision was overturned: withdraw it instead of publishing it."))
    row = pub.penalty
    v = row.power_version
    pub.decision_number, pub.party_shown = row.decision_number, party_shown(row)
    pub.power_code, pub.power_name, pub.basis = v.power.code, v.name, v.basis
    pub.penalty_kind, pub.fine, pub.decided_on = row.penalty_kind, row.fine, row.decided_on or pub.decided_on
    pub.status, pub.published_at, pub.published_by = PublicationStatus.PUBLISHED, timezone.now(), actor
    pub.save()
    _audit(actor, pub, "publication_publish", late=today() > pub.due_on, due_on=pub.due_on.isoformat())
    return pub


def _overturn_fields(kind: str, overturned_on: Any) -> tuple[str, datetime.date]:
    if kind not in OverturnKind.values:
        raise FieldError("overturn_kind", _("Choose how the decision was overturned."))
    day = _date(overturned_on, "overturned_on")
    if day > today():
        raise FieldError("overturned_on", _("The day the decision was overturned cannot be in the future."))
    return kind, day


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", _("Give the reason."))
    return reason


def _overturn_set(actor: User, pub: DecisionPublication, kind: str, day: datetime.date) -> None:
    pub.overturn_kind, pub.overturned_on, pub.overturn_recorded_by = kind, day, actor
    pub.withdraw_due_on = add_working_days(day, settings.ENFORCEMENT_WITHDRAW_WORKING_DAYS)


@transaction.atomic
def publication_overturn(*, actor: User, pub_id: int, overturn_kind: str, overturned_on: Any,
                         reason: str = "") -> DecisionPublication:
    """Record that a published decision was overturned: its withdrawal is due in 3 working days (Art. 48)."""
    pub = _locked(actor, pub_id, "overturn")
    kind, day = _overturn_fields(overturn_kind, overturned_on)
    if pub.status != PublicationStatus.PUBLISHED or pub.overturned_on is not None:
        raise FieldError("status", _("Only a published decision not yet recorded as overturned can be."))
    _overturn_set(actor, pub, kind, day)
    pub.save()
    _audit(actor, pub, "publication_overturn", reason=reason.strip(), overturn_kind=kind,
           overturned_on=day.isoformat(), withdraw_due_on=pub.withdraw_due_on.isoformat()
           if pub.withdraw_due_on else None)
    return pub


def publication_overturned_by_remedy(*, actor: User, row: PenaltyCase, overturn_kind: str,
                                     day: datetime.date) -> DecisionPublication | None:
    """The decision annulled or changed on the party's reconsideration or lawsuit, as recorded on the case
    (``remedies.remedy_end``, inside its step): its publication is marked overturned — a published one is due to
    be withdrawn in 3 working days (Art. 48), a pending one is never published. Once is enough: a publication
    already marked or withdrawn stays as it is."""
    pub = DecisionPublication.objects.select_for_update().select_related("penalty__case").filter(penalty=row).first()
    if pub is None or pub.status == PublicationStatus.WITHDRAWN or pub.overturned_on is not None:
        return pub
    _overturn_set(actor, pub, overturn_kind, day)
    pub.save()
    _audit(actor, pub, "publication_overturn", overturn_kind=overturn_kind, overturned_on=day.isoformat(),
           withdraw_due_on=pub.withdraw_due_on.isoformat() if pub.withdraw_due_on else None, recorded_on_case=True)
    return pub


@transaction.atomic
def publication_withdraw(*, actor: User, pub_id: int, reason: str, overturn_kind: str = "",
                         overturned_on: Any = None) -> DecisionPublication:
    """撤回 (Art. 48): the public page stays, marked withdrawn with the reason. How and when the decision was
    overturned is given here unless it was recorded before. A pending decision overturned before it was
    published is withdrawn without ever being shown."""
    pub = _locked(actor, pub_id, "withdraw")
    reason = _reason(reason)
    if pub.status == PublicationStatus.WITHDRAWN:
        raise FieldError("status", _("This decision has already been withdrawn."))
    if pub.overturned_on is None:
        kind, day = _overturn_fields(overturn_kind, overturned_on)
        _overturn_set(actor, pub, kind, day)
    pub.status, pub.withdrawn_at, pub.withdrawn_by, pub.withdrawal_reason = (
        PublicationStatus.WITHDRAWN, timezone.now(), actor, reason)
    pub.save()
    late = pub.withdraw_due_on is not None and today() > pub.withdraw_due_on
    _audit(actor, pub, "publication_withdraw", reason=reason, overturn_kind=pub.overturn_kind, late=late)
    return pub
