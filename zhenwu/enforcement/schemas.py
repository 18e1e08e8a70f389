"""Input and output schemas of /api/v1/enforcement/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema


class PenaltyPowerOut(Schema):
    """A power of the list (its current version); built from a ``PenaltyPower`` or a dict."""

    code: str
    name: str
    department: str
    department_label: str
    basis: str
    version: int

    @staticmethod
    def resolve_department_label(obj: Any) -> str:
        return obj["department_label"] if isinstance(obj, dict) else str(obj.get_department_display())

    @staticmethod
    def resolve_basis(obj: Any) -> str:
        return obj["basis"] if isinstance(obj, dict) else obj.current_version.basis

    @staticmethod
    def resolve_version(obj: Any) -> int:
        return obj["version"] if isinstance(obj, dict) else obj.current_version.number


class DiscretionBandOut(Schema):
    level: str
    level_label: str
    conditions: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    other_penalty: str


class PowerResponsibilityOut(Schema):
    duty: str
    accountability: str


class PenaltyPowerDetailOut(PenaltyPowerOut):
    law: str
    article: str
    clause: str
    parties: str
    parties_label: str
    bands: list[DiscretionBandOut]
    responsibilities: list[PowerResponsibilityOut]


class PowerImportErrorOut(Schema):
    row: int
    column: str
    field: str
    message: str
    message_en: str


class PowerImportReportOut(Schema):
    dry_run: bool
    rows: int
    powers: int
    written: int
    unchanged: int
    errors: list[PowerImportErrorOut]


class EnforcementOfficerOut(Schema):
    id: int
    name: str
    certificate_number: str
    certificate_valid_until: str
    certificate_valid: bool
    squad: str | None
    area_code: str
    last_lng: float | None = None  # the last GPS fix of the officer's patrols (phone app)
    last_lat: float | None = None
    last_seen_at: str | None = None
    patrol_km_today: float = 0.0
    patrol_km_month: float = 0.0


class PenaltyPartyIn(Schema):
    name: str
    id_number: str = ""
    uscc: str = ""


class SummaryPenaltyIn(Schema):
    power: str
    party: PenaltyPartyIn
    area_code: str
    facts: str = ""
    penalty_kind: str
    fine: str | None = None
    cash_on_spot: bool = False
    source: str = "patrol"


class GeneralPenaltyIn(Schema):
    power: str
    party: PenaltyPartyIn
    area_code: str
    facts: str = ""
    investigators: list[int]
    source: str = "patrol"


class PenaltyActionIn(Schema):
    fields: dict[str, Any] = {}
    reason: str = ""
    expected_version: int | None = None


class PenaltyCaseOut(Schema):
    number: str
    procedure: str
    source: str
    status: str
    status_label: str
    power: str
    power_name: str
    party_name: str
    area_code: str
    penalty_kind: str
    fine: Decimal | None
    decision_number: str
    created_at: str
    due_at: str | None
    light: str


class PenaltyCaseDetailOut(PenaltyCaseOut):
    facts: str
    party_id_number: str
    party_uscc: str
    major: bool
    noticed_fine: Decimal | None
    defence_until: str | None
    hearing_right: bool
    hearing_request_until: str | None
    legal_reviewed: bool
    investigators: list[str]
    served_on: str | None
    paid_on: str | None
    late_fee: Decimal
    service_method: str
    served_late: bool
    closed_on: str | None
    credit_flagged: bool
    payment: PaymentOut
    documents: list[CaseDocumentOut]
    version: int
    actions: list[str]


class ConflictDeclarationIn(Schema):
    kind: str
    party_name: str
    id_number: str = ""
    uscc: str = ""
    note: str = ""


class ConflictDeclarationOut(Schema):
    id: int
    kind: str
    party_name: str
    id_number: str
    uscc: str


class EvidenceOut(Schema):
    sha256: str
    name: str
    uploaded_at: str


class CaseDocumentOut(Schema):
    kind: str
    kind_label: str
    number: str
    issued_at: str
    url: str


class QuestionIn(Schema):
    q: str
    a: str = ""


class RecordIn(Schema):
    """询问笔录 / 现场检查笔录: when, where, who; ``officers`` present by id (≥ 2, certified); the signatures."""

    started_at: str
    ended_at: str
    place: str
    person_name: str
    person_role: str
    person_id_number: str = ""
    officers: list[Any]
    officers_signed_on: str
    person_signed_on: str | None = None
    refusal_note: str = ""


class InquiryIn(RecordIn):
    questions: list[Any]


class InspectionIn(RecordIn):
    findings: str
    evidence: list[str] = []


class RecordOut(Schema):
    id: int
    number: str
    started_at: str
    ended_at: str
    place: str
    person_name: str
    person_role: str
    person_id_number: str
    officers: list[str]
    person_signed_on: str | None
    refusal_note: str
    officers_signed_on: str
    questions: list[dict[str, str]] | None = None
    findings: str | None = None
    evidence: list[str] | None = None
    url: str


class DiscussionIn(Schema):
    held_at: str
    place: str
    chair: str
    participants: list[str]
    opinions: str
    conclusion: str


class DiscussionOut(Schema):
    id: int
    number: str
    held_at: str
    place: str
    chair: str
    participants: list[str]
    opinions: str
    conclusion: str
    url: str


class InstalmentOut(Schema):
    seq: int
    due_on: str
    amount: Decimal
    paid_on: str | None


class PaymentPlanOut(Schema):
    kind: str
    status: str
    reason: str
    requested_on: str
    deferred_until: str | None
    opinion: str
    instalments: list[InstalmentOut]


class PenaltyRemedyOut(Schema):
    """The party's 行政复议 or 行政诉讼: while pending (``days`` so far, both ends counted) no late fee runs."""

    kind: str
    kind_label: str
    body: str
    filed_on: str
    ended_on: str | None
    outcome: str
    outcome_label: str
    fine_before: Decimal | None
    days: int
    refund: Decimal | None  # what its outcome owes back of a fine already paid
    refunded_on: str | None
    refund_reference: str


class PaymentOut(Schema):
    """What is owed: the next due day, the late fee as of today, the plan, the window to ask the court; the
    party's reconsiderations and lawsuits and the days of them the late fee did not run (Art. 73 para. 3); what is
    owed back to the party when one annulled or lowered a fine it had paid."""

    next_due_on: str | None
    late_fee_today: Decimal
    plans: list[PaymentPlanOut]
    demand_served_on: str | None
    court_from: str | None
    court_until: str | None
    court_name: str
    court_applied_on: str | None
    late_fee_paused_days: int
    annulled: bool
    remedies: list[PenaltyRemedyOut]
    refund_owed: Decimal  # an annulled or lowered fine the party had paid, not yet refunded


PenaltyCaseDetailOut.model_rebuild()  # its payment and documents are declared below it
