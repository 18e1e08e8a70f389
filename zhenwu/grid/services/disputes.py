"""Every write of 矛盾纠纷: filing a dispute with its parties, mediation sessions, and the steps of its case
(上报, 调解成功 with the agreement PDF, 调解不成 → 移交, 回访, 撤回).

Each step locks the dispute, asks ``policy_disputes.check`` (404 outside the scope, 403 without the role
for the dispute's current level), then moves the case with ``transition()`` (the client's
``expected_version``: 409 when stale) and keeps the dispute row in step, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhenwu.accounts.models import User
from zhenwu.accounts.scope import in_scope, restrict
from zhenwu.accounts.validation import clean_id_number, clean_mobile, clean_uscc, normalise
from zhenwu.areas.choices import AreaLevel
from zhenwu.areas.models import Area
from zhenwu.casework.services import attachment_add, audit_record, case_create, transition
from zhenwu.errors import FieldError, Forbidden, NotFound
from zhenwu.errors import gettext as _
from zhenwu.grid import dispute_process as dp
from zhenwu.grid import policy_disputes as policy
from zhenwu.grid.choices import EscalationLevel
from zhenwu.grid.choices_disputes import DisputeKind, DisputeOutcome, PartyRole, ReferralTarget, SessionResult
from zhenwu.grid.dispute_documents import AgreementData, AgreementParty, agreement_pdf
from zhenwu.grid.models import Dispute, DisputeParty, MediationSession
from zhenwu.registry.choices import RiskLevel
from zhenwu.registry.models import Enterprise, Resident

GRID_LEVELS = (AreaLevel.GRID1, AreaLevel.GRID2, AreaLevel.SPECIAL)
TEXT_MAX = 5000
MAX_PARTIES = 20
VILLAGE_CODE, TOWN_CODE = 12, 9
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def _text(value: Any, field: str, *, required: bool = True, limit: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise FieldError(field, _("This field is required."))
    if len(text) > limit:
        raise FieldError(field, _("At most %(n)d characters.") % {"n": limit})
    return text


def _choice(value: Any, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise FieldError(field, _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)})
    return str(value)


def _grid(actor: User, grid_code: str) -> Area:
    grid = Area.objects.filter(code=str(grid_code or ""), level__in=GRID_LEVELS).first()
    if grid is None or not in_scope(actor, grid.code):
        raise FieldError("grid_code", _("No such grid in your scope."))
    return grid


# ---------------------------------------------------------------- parties

def _party_id(value: Any, field: str) -> str:
    """An ID number (GB 11643, checked) or a USCC (checked) — whichever it has the shape of; or empty."""
    raw = normalise(value)
    if not raw:
        return ""
    return clean_id_number(raw, field) if _ID_SHAPE.match(raw) else clean_uscc(raw, field)


def _party(actor: User, raw: Mapping[str, Any], i: int) -> DisputeParty:
    at = f"parties.{i}"
    role = _choice(raw.get("role"), PartyRole, f"{at}.role")
    resident_id, enterprise_id = raw.get("resident_id"), raw.get("enterprise_id")
    if resident_id:  # from the registry: the registry's name, number and mobile (in the actor's scope)
        found = restrict(Resident.objects.all(), actor).filter(pk=resident_id).first()
        if found is None:
            raise FieldError(f"{at}.resident_id", _("No such resident in your scope."))
        return DisputeParty(role=role, resident=found, name=found.name, id_number=found.id_number,
                            mobile=found.mobile, address=_text(raw.get("address"), f"{at}.address", required=False,
                                                               limit=200))
    if enterprise_id:
        ent = restrict(Enterprise.objects.all(), actor).filter(pk=enterprise_id).first()
        if ent is None:
            raise FieldError(f"{at}.enterprise_id", _("No such enterprise in your scope."))
        return DisputeParty(role=role, enterprise=ent, name=ent.name, id_number=ent.uscc, mobile=ent.mobile,
                            address=_text(raw.get("address"), f"{at}.address", required=False, limit=200))
    mobile = str(raw.get("mobile") or "").strip()
    return DisputeParty(role=role, name=_text(raw.get("name"), f"{at}.name", limit=200),
                        id_number=_party_id(raw.get("id_number"), f"{at}.id_number"),
                        mobile=clean_mobile(mobile, f"{at}.mobile") if mobile else "",
                        address=_text(raw.get("address"), f"{at}.address", required=False, limit=200))


def _parties(actor: User, raw: Sequence[Mapping[str, Any]]) -> list[DisputeParty]:
    if not isinstance(raw, (list, tuple)) or len(raw) > MAX_PARTIES:
        raise FieldError("parties", _("Give from 2 to %(n)d parties.") % {"n": MAX_PARTIES})
    parties = [_party(actor, p if isinstance(p, Mapping) else {}, i) for i, p in enumerate(raw)]
    roles = {p.role for p in parties}
    if roles != {PartyRole.APPLICANT, PartyRole.RESPONDENT}:
        raise FieldError("parties", _("A dispute needs at least one applicant and one respondent."))
    return parties


# ---------------------------------------------------------------- filing

def _default_level(actor: User) -> str:
    """The level a dispute starts at: the lowest at which the actor acts (a grid worker's grid, …)."""
    for level in policy.LEVELS:
        if actor.has_role(*policy.LEVEL_ROLES[level]):
            return level
    return EscalationLevel.GRID.value


@transaction.atomic
def dispute_create(*, actor: User, grid_code: str, kind: str, description: str,
                   parties: Sequence[Mapping[str, Any]], risk: str = RiskLevel.LOW, level: str = "",
                   address: str = "", occurred_on: dt.date | None = None, request_id: str = "") -> Dispute:
    """登记 a dispute in a grid with its parties; its case (kind JF) starts at 调解中 with the level's limit."""
    if not policy.may_file_somewhere(actor):
        raise Forbidden(_("Your roles do not include disputes."))
    grid = _grid(actor, grid_code)
    kind = _choice(kind, DisputeKind, "kind")
    risk = _choice(risk, RiskLevel, "risk")
    level = _choice(level, EscalationLevel, "level") if level else _default_level(actor)
    if level not in policy.LEVELS:
        raise FieldError("level", _("A dispute is mediated at the grid, the village or the town."))
    if not policy.may_file(actor, area_code=grid.code) or not policy.may(actor, dp.SETTLE, area_code=grid.code,
                                                                         level=level):
        raise FieldError("level", _("You cannot file a dispute at this level."), status=403)
    description = _text(description, "description")
    if occurred_on and occurred_on > timezone.localdate():
        raise FieldError("occurred_on", _("The date is in the future."))
    rows = _parties(actor, parties)
    title = f"{DisputeKind(kind).label} {rows[0].name}"[:200]
    case = case_create(kind=dp.KIND, process=dp.PROCESS, area_code=grid.code, title=str(title), actor=actor,
                       deadline=dp.level_deadline(level), request_id=request_id, reason=description[:500])
    dispute = Dispute.objects.create(case=case, grid=grid, kind=kind, risk=risk, level=level,
                                     description=description, occurred_on=occurred_on, created_by=actor,
                                     address=_text(address, "address", required=False, limit=200))
    for row in rows:
        row.dispute = dispute
    DisputeParty.objects.bulk_create(rows)
    return dispute


# ---------------------------------------------------------------- steps

def _locked(dispute: Dispute, actor: User, action: str) -> Dispute:
    locked = Dispute.objects.select_for_update().select_related("case", "grid").filter(pk=dispute.pk).first()
    if locked is None:
        raise NotFound(_("No such dispute."), field="number")
    policy.check(actor, action, area_code=locked.case.area_code, level=locked.level)
    return locked


def _move(dispute: Dispute, actor: User, action: str, reason: str, fields: Mapping[str, Any],
          expected_version: int | None, request_id: str, **extra: Any) -> None:
    dispute.case = transition(actor=actor, case=dispute.case, action=action, reason=reason, fields=fields,
                              expected_version=expected_version, request_id=request_id, **extra)


@transaction.atomic
def dispute_escalate(*, actor: User, dispute: Dispute, reason: str, expected_version: int | None = None,
                     request_id: str = "") -> Dispute:
    """上报: not settled at this level, the next level up answers for it (its own time limit starts)."""
    reason = _text(reason, "reason")
    dispute = _locked(dispute, actor, dp.ESCALATE)
    level = policy.next_level(dispute.level)
    assert level is not None  # the policy refuses escalation at the top level
    _move(dispute, actor, dp.ESCALATE, reason, {"reason": reason, "from_level": dispute.level, "to_level": level},
          expected_version, request_id, deadline=dp.level_deadline(level))
    dispute.level = level
    dispute.save(update_fields=["level"])
    return dispute


def _committee(dispute: Dispute) -> str:
    """The people's mediation committee that signs: the village's for grid and village, else the town's."""
    code = dispute.case.area_code[:TOWN_CODE if dispute.level == EscalationLevel.TOWN else VILLAGE_CODE]
    name = Area.objects.filter(code=code).values_list("name", flat=True).first() or code
    return _("%(area)s people's mediation committee") % {"area": name}


def _mediators(dispute: Dispute, actor: User) -> tuple[str, ...]:
    names = [str(u) for s in dispute.sessions.prefetch_related("mediators") for u in s.mediators.all()]
    return tuple(dict.fromkeys(names or [str(actor)]))


def _agreement(dispute: Dispute, actor: User, terms: str) -> bytes:
    parties = tuple(AgreementParty(role=str(p.get_role_display()), name=p.name, id_number=p.id_number,
                                   mobile=p.mobile, address=p.address) for p in dispute.parties.all())
    return agreement_pdf(AgreementData(case_number=dispute.case.number, committee=_committee(dispute),
                                       kind=str(dispute.get_kind_display()), parties=parties,
                                       facts=dispute.description, terms=terms,
                                       mediators=_mediators(dispute, actor), signed_on=timezone.localdate()))


@transaction.atomic
def dispute_settle(*, actor: User, dispute: Dispute, agreement: str, expected_version: int | None = None,
                   request_id: str = "") -> Dispute:
    """调解成功: the agreed terms, rendered as a 人民调解协议书 PDF and filed on the case (content-addressed)."""
    agreement = _text(agreement, "agreement")
    dispute = _locked(dispute, actor, dp.SETTLE)
    pdf = _agreement(dispute, actor, agreement)
    _move(dispute, actor, dp.SETTLE, "", {"agreement": agreement}, expected_version, request_id)
    link = attachment_add(actor=actor, case=dispute.case, data=pdf, request_id=request_id,
                          name=f"人民调解协议书-{dispute.case.number}.pdf")
    dispute.outcome, dispute.agreement = DisputeOutcome.SETTLED, agreement
    dispute.agreement_sha256, dispute.decided_at = link.attachment.sha256, timezone.now()
    dispute.save(update_fields=["outcome", "agreement", "agreement_sha256", "decided_at"])
    return dispute


@transaction.atomic
def dispute_refer(*, actor: User, dispute: Dispute, referral_to: str, reason: str,
                  expected_version: int | None = None, request_id: str = "") -> Dispute:
    """调解不成: the town sends the dispute to the court or the county's mediation centre."""
    referral_to = _choice(referral_to, ReferralTarget, "referral_to")
    reason = _text(reason, "reason")
    dispute = _locked(dispute, actor, dp.REFER)
    _move(dispute, actor, dp.REFER, reason, {"referral_to": referral_to, "reason": reason}, expected_version,
          request_id)
    dispute.outcome, dispute.referral_to, dispute.referral_reason = DisputeOutcome.REFERRED, referral_to, reason
    dispute.decided_at = timezone.now()
    dispute.save(update_fields=["outcome", "referral_to", "referral_reason", "decided_at"])
    return dispute


@transaction.atomic
def dispute_follow_up(*, actor: User, dispute: Dispute, record: str, expected_version: int | None = None,
                      request_id: str = "") -> Dispute:
    """回访: whether the agreement is kept (or how the referral went); closes the case."""
    record = _text(record, "record")
    dispute = _locked(dispute, actor, dp.FOLLOW_UP)
    _move(dispute, actor, dp.FOLLOW_UP, record, {"record": record}, expected_version, request_id)
    dispute.follow_up, dispute.followed_up_at, dispute.followed_up_by = record, timezone.now(), actor
    dispute.save(update_fields=["follow_up", "followed_up_at", "followed_up_by"])
    return dispute


@transaction.atomic
def dispute_withdraw(*, actor: User, dispute: Dispute, reason: str, expected_version: int | None = None,
                     request_id: str = "") -> Dispute:
    """撤回: the applicant withdraws the dispute before it is decided."""
    reason = _text(reason, "reason")
    dispute = _locked(dispute, actor, dp.WITHDRAW)
    _move(dispute, actor, dp.WITHDRAW, reason, {"reason": reason}, expected_version, request_id)
    dispute.outcome, dispute.decided_at = DisputeOutcome.WITHDRAWN, timezone.now()
    dispute.save(update_fields=["outcome", "decided_at"])
    return dispute


STEPS = {dp.ESCALATE: dispute_escalate, dp.SETTLE: dispute_settle, dp.REFER: dispute_refer,
         dp.FOLLOW_UP: dispute_follow_up, dp.WITHDRAW: dispute_withdraw}


# ---------------------------------------------------------------- sessions

def _mediator_users(actor: User, ids: Iterable[Any], area_code: str) -> list[User]:
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError) as exc:
        raise FieldError("mediator_ids", _("Give the mediators as staff ids.")) from exc
    wanted = wanted or {actor.pk}
    found = [u for u in User.objects.filter(pk__in=wanted, is_active=True).select_related("scope_area")
             if u.scope_code and (area_code.startswith(u.scope_code) or u.scope_code.startswith(area_code[:TOWN_CODE]))]
    if len(found) != len(wanted):
        raise FieldError("mediator_ids", _("A mediator is not a staff member of this town."))
    return found


@transaction.atomic
def dispute_session_add(*, actor: User, dispute: Dispute, held_on: dt.date, place: str, minutes: str,
                        result: str, mediator_ids: Iterable[Any] = (), request_id: str = "") -> MediationSession:
    """调解记录: a mediation session at the dispute's current level (while it is being mediated)."""
    place, minutes = _text(place, "place", limit=200), _text(minutes, "minutes")
    result = _choice(result, SessionResult, "result")
    dispute = _locked(dispute, actor, dp.SETTLE)
    if dispute.case.status != dp.MEDIATING:
        raise FieldError("status", _("Sessions are recorded while the dispute is being mediated."))
    if held_on > timezone.localdate():
        raise FieldError("held_on", _("The date is in the future."))
    mediators = _mediator_users(actor, mediator_ids, dispute.case.area_code)
    session = MediationSession.objects.create(dispute=dispute, held_on=held_on, place=place, minutes=minutes,
                                              result=result, level=dispute.level, recorded_by=actor)
    session.mediators.set(mediators)
    audit_record(subject=dispute.case.number, case=dispute.case, actor=actor, action=dp.SESSION_NOTE,
                 reason=minutes[:500], request_id=request_id,
                 data={"held_on": held_on.isoformat(), "place": place, "result": result, "level": dispute.level,
                       "mediators": [u.pk for u in mediators]})
    return session
