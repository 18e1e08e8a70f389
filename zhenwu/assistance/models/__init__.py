"""Models of social assistance. Each module owns one part; import them all here so Django sees them."""

from zhenwu.assistance.models.applications import AssistanceApplication
from zhenwu.assistance.models.grants import Grant
from zhenwu.assistance.models.household import (
    Asset,
    AssistanceFile,
    Expenditure,
    ImportedIncome,
    Income,
    MemberProfile,
    Need,
    Resource,
    ResourceMatch,
    StatusChange,
)
from zhenwu.assistance.models.mutual_aid import Claim, DiseaseGroup, Enrolment, FundEntry, MutualAidYear
from zhenwu.assistance.models.payments import PayeeAccount, PaymentLine, PaymentList
from zhenwu.assistance.models.rules import AddOn, CategoryRule, ItemCap, RuleSet, Tier
from zhenwu.assistance.models.warnings import (
    EarlyWarning,
    HomeVisit,
    LifeEvent,
    Settlement,
    SettlementImport,
    WarningRule,
)

__all__ = ["AddOn", "Asset", "AssistanceApplication", "AssistanceFile", "CategoryRule", "Claim", "DiseaseGroup",
           "EarlyWarning", "Enrolment", "Expenditure", "FundEntry", "Grant", "HomeVisit", "ImportedIncome", "Income",
           "ItemCap", "LifeEvent", "MemberProfile", "MutualAidYear", "Need", "PayeeAccount", "PaymentLine",
           "PaymentList", "Resource", "ResourceMatch", "RuleSet", "Settlement", "SettlementImport", "StatusChange",
           "Tier", "WarningRule"]
