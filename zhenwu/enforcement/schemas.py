"""Input and output schemas of /api/v1/enforcement/."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema


class PowerOut(Schema):
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


class BandOut(Schema):
    level: str
    level_label: str
    conditions: str
    fine_min: Decimal | None
    fine_max: Decimal | None
    other_penalty: str


class ResponsibilityOut(Schema):
    duty: str
    accountability: str


class PowerDetailOut(PowerOut):
    law: str
    article: str
    clause: str
    parties: str
    parties_label: str
    bands: list[BandOut]
    responsibilities: list[ResponsibilityOut]


class ImportErrorOut(Schema):
    row: int
    column: str
    field: str
    message: str
    message_en: str


class ImportReportOut(Schema):
    dry_run: bool
    rows: int
    powers: int
    written: int
    unchanged: int
    errors: list[ImportErrorOut]
