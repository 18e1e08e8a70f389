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
