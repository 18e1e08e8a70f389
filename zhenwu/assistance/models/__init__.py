"""Models of social assistance. Each module owns one part; import them all here so Django sees them."""

from zhenwu.assistance.models.household import AssistanceFile, StatusChange
from zhenwu.assistance.models.mutual_aid import Claim, DiseaseGroup, Enrolment, FundEntry, MutualAidYear
from zhenwu.assistance.models.warnings import (
    EarlyWarning,
    HomeVisit,
    LifeEvent,
    Settlement,
    SettlementImport,
    WarningRule,
)

__all__ = ["AssistanceFile", "Claim", "DiseaseGroup", "EarlyWarning", "Enrolment", "FundEntry", "HomeVisit",
           "LifeEvent", "MutualAidYear", "Settlement", "SettlementImport", "StatusChange", "WarningRule"]
